/**
 * One PostgreSQL dialect, two engines: the embedded PGlite (file-backed, or in memory for tests)
 * by default, a PostgreSQL server when DATABASE_URL is set. Both get the same Drizzle schema and
 * the same migrations (db/migrations), applied at start under an advisory lock so several app
 * instances can start at once.
 *
 * With a read URL (DATABASE_READ_URL), `read` queries a streaming replica of the primary
 * instead: for reads that may lag the primary slightly. Everything else (`db`, transactions,
 * migrations) stays on the primary.
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
  /** The primary: every write, and every read that must see the latest writes. */
  db: Db;
  /**
   * For read-only queries that may lag slightly behind `db`: the replica's pool when a read URL
   * is configured, otherwise the very same handle as `db`. Writes through it fail (25006 on a
   * replica), and a row just written through `db` may not be there yet.
   */
  read: Db;
  /** Where `read` goes. */
  readsFrom: 'primary' | 'replica';
  kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction; commits on return, rolls back on throw. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /** A streaming replica of `url`'s server, for `Database.read`; never migrated. */
      readUrl?: string;
    }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory' };

/** Arbitrary but fixed key for the migration lock (pg_advisory_lock takes a bigint). */
const MIGRATION_LOCK_KEY = 7_243_001;

export async function openDatabase(
  options: DatabaseOptions,
  migrationsFolder: string,
): Promise<Database> {
  if (options.kind === 'postgres')
    return openPostgres(options.url, migrationsFolder, options.poolSize, options.readUrl);
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
  return wrap(db, db, 'pglite', async () => {
    if (!client.closed) await client.close();
  });
}

/** The Database shape over Drizzle handles; `close` runs once however often it is called. */
function wrap(
  handle: Db,
  read: Db,
  kind: Database['kind'],
  closeOnce: () => Promise<void>,
): Database {
  let closing: Promise<void> | undefined;
  return {
    db: handle,
    read,
    readsFrom: read === handle ? 'primary' : 'replica',
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
  readUrl?: string,
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
  const pool = newPool(url, poolSize);
  const db = drizzlePg({ client: pool, schema });
  if (!readUrl) return wrap(db, db, 'postgres', () => pool.end());
  // The replica has the primary's schema by replication: nothing to migrate there.
  const replicaPool = newPool(readUrl, REPLICA_POOL_SIZE);
  return wrap(db, drizzlePg({ client: replicaPool, schema }), 'postgres', async () => {
    const ended = await Promise.allSettled([pool.end(), replicaPool.end()]);
    const failed = ended.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  });
}

const REPLICA_POOL_SIZE = 10;

function newPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000 });
  // An idle client erroring (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
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
