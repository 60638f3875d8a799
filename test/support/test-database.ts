/**
 * A fresh, migrated database for one test file: in-memory PGlite in the `pglite` project, a new
 * database on the throwaway server in the `postgres` project (dropped again on close).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { findRootDir } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/platform/db/index.js';

export type TestDbKind = 'pglite' | 'postgres';

export function testDbKind(): TestDbKind {
  const kind = process.env.TEST_DB;
  if (kind !== 'pglite' && kind !== 'postgres') {
    throw new Error(
      `TEST_DB must be pglite or postgres (got ${String(kind)}): run database tests through vitest's projects`,
    );
  }
  return kind;
}

export const migrationsFolder = path.join(findRootDir(), 'db', 'migrations');

/** Creates an empty database on the test server and returns its URL and a dropper. */
export async function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject('postgresUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export async function createTestDatabase(): Promise<Database> {
  if (testDbKind() === 'pglite') return openDatabase({ kind: 'pglite-memory' }, migrationsFolder);
  const { url, drop } = await createServerDatabase();
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 }, migrationsFolder);
  return {
    ...database,
    close: async () => {
      await database.close();
      await drop();
    },
  };
}
