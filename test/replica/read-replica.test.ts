/**
 * Database.read on a real streaming replica (test/support/postgres-replica.ts): it reads what the
 * primary wrote once the replica has replayed it, not before, and it cannot write. Runs only in
 * the vitest `postgres` project.
 */
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type Db, openDatabase } from '../../src/platform/db/index.js';
import { type PrimaryWithReplica, startPrimaryWithReplica } from '../support/postgres-replica.js';
import { migrationsFolder } from '../support/test-database.js';

const STARTUP_MS = 120_000;

let servers: PrimaryWithReplica | undefined;
let database: Database | undefined;

beforeAll(async () => {
  servers = await startPrimaryWithReplica();
  database = await openDatabase(
    { kind: 'postgres', url: servers.primaryUrl, readUrl: servers.replicaUrl, poolSize: 2 },
    migrationsFolder,
  );
}, STARTUP_MS);

afterAll(async () => {
  try {
    await database?.close();
  } finally {
    await servers?.stop();
  }
}, STARTUP_MS);

const opened = () => {
  if (!database || !servers) throw new Error('beforeAll did not open the database');
  return { database, servers };
};

async function rows<T>(handle: Db, query: SQL): Promise<T[]> {
  const result = await handle.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

const notes = async (handle: Db) =>
  (await rows<{ note: string }>(handle, sql`select note from replica_scratch order by id`)).map(
    (row) => row.note,
  );

/** The SQLSTATE of a pg error, possibly wrapped by Drizzle. */
function sqlState(error: unknown): unknown {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

describe('Database.read on a streaming replica', () => {
  it('goes to the replica, which lags the primary and refuses writes', async () => {
    const { database, servers } = opened();
    expect(database.kind).toBe('postgres');
    expect(database.readsFrom).toBe('replica');
    expect(database.read).not.toBe(database.db);

    // The schema reached the replica by replication, not by migrating it.
    await database.db.execute(
      sql`create table replica_scratch (id integer primary key, note text not null)`,
    );
    await database.db.execute(sql`insert into replica_scratch values (1, 'before the pause')`);
    await servers.waitForReplayCatchUp();
    expect(await notes(database.read)).toEqual(['before the pause']);
    expect(await rows(database.read, sql`select 1 from people limit 1`)).toEqual([]);

    await servers.pauseReplay();
    try {
      await database.db.execute(sql`insert into replica_scratch values (2, 'during the pause')`);
      expect(await notes(database.db)).toEqual(['before the pause', 'during the pause']);
      expect(await notes(database.read)).toEqual(['before the pause']);

      let refused: unknown;
      try {
        await database.read.execute(sql`insert into replica_scratch values (3, 'through read')`);
      } catch (error) {
        refused = error;
      }
      expect(sqlState(refused)).toBe('25006'); // read_only_sql_transaction
    } finally {
      await servers.resumeReplay();
    }

    await servers.waitForReplayCatchUp();
    expect(await notes(database.read)).toEqual(['before the pause', 'during the pause']);
    expect(await notes(database.db)).toEqual(['before the pause', 'during the pause']);
  });

  it('is the primary handle itself when no read URL is given', async () => {
    const { servers } = opened();
    const primaryOnly = await openDatabase(
      { kind: 'postgres', url: servers.primaryUrl, poolSize: 2 },
      migrationsFolder,
    );
    try {
      expect(primaryOnly.readsFrom).toBe('primary');
      expect(primaryOnly.read).toBe(primaryOnly.db);
    } finally {
      await primaryOnly.close();
    }
  });

  it('is the same handle on PGlite', async () => {
    const embedded = await openDatabase({ kind: 'pglite-memory' }, migrationsFolder);
    try {
      expect(embedded.readsFrom).toBe('primary');
      expect(embedded.read).toBe(embedded.db);
    } finally {
      await embedded.close();
    }
  });
});
