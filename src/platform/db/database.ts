/**
 * One PostgreSQL dialect, two engines: the embedded PGlite (file-backed, or in memory for tests)
 * by default, a PostgreSQL server when DATABASE_URL is set. Both get the same Drizzle schema and
 * the same migrations (db/migrations), applied at start under an advisory lock so several app
 * instances can start at once.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** The query handle every repository takes: the database itself or a transaction. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction; commits on return, rolls back on throw. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory' };

/** Arbitrary but fixed key for the migration lock (pg_advisory_lock takes a bigint). */
const MIGRATION_LOCK_KEY = 7_243_001;

export async function openDatabase(
  options: DatabaseOptions,
  migrationsFolder: string,
): Promise<Database> {
  if (options.kind === 'postgres')
    return openPostgres(options.url, migrationsFolder, options.poolSize);
  return openPglite(options.kind === 'pglite' ? options.dataDir : undefined, migrationsFolder);
}

async function openPglite(
  dataDir: string | undefined,
  migrationsFolder: string,
): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(path.join(dataDir, 'pglite')) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite({ client, schema });
  // PGlite is single-connection and in-process: no other instance can race the migration.
  await migratePglite(db, { migrationsFolder });
  return wrap(db, 'pglite', async () => {
    if (!client.closed) await client.close();
  });
}

/** The Database shape over a Drizzle handle; `close` runs once however often it is called. */
function wrap(handle: Db, kind: Database['kind'], closeOnce: () => Promise<void>): Database {
  let closing: Promise<void> | undefined;
  return {
    db: handle,
    kind,
    transaction: (fn) => handle.transaction(fn),
    ping: async () => {
      await handle.execute(sql`select 1`);
    },
    close: () => (closing ??= closeOnce()),
  };
}

async function openPostgres(
  url: string,
  migrationsFolder: string,
  poolSize = 10,
): Promise<Database> {
  // Migrate on one dedicated connection holding a session advisory lock, so that instances
  // starting together apply each migration exactly once.
  const migrator = new pg.Client({ connectionString: url });
  await migrator.connect();
  try {
    await migrator.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePg(drizzlePg({ client: migrator, schema }), { migrationsFolder });
  } finally {
    await migrator
      .query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await migrator.end();
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client erroring (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return wrap(drizzlePg({ client: pool, schema }), 'postgres', () => pool.end());
}

/** The single row an INSERT … RETURNING produced; a missing row is a bug, so it throws. */
export function insertedRow<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('insert returned no row');
  return row;
}

/** A unique-constraint violation from either engine, possibly wrapped by Drizzle. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed UUID: check ids from URLs before looking them up by a uuid column. */
export const isUuid = (value: string): boolean => UUID.test(value);
