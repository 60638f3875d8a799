/**
 * A throwaway PostgreSQL primary with a real streaming replica, for tests of reads that go to a
 * replica (Database.read). Like ./postgres-server.ts: initdb in a temporary directory, pg_ctl on
 * free loopback ports, fsync off, run as the `postgres` user when we are root. The replica is a
 * `pg_basebackup -R -X stream` of the primary, started as a hot standby.
 *
 * Both servers trust every loopback connection: never use this outside tests.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import {
  freePort,
  initCluster,
  postgresWorkspace,
  startCluster,
  stopCluster,
} from './postgres-server.js';

/** The database both URLs name: created on the primary before the base backup copies it. */
const DATABASE_NAME = 'digicap';

export interface PrimaryWithReplica {
  /** Superuser URL of the primary's `digicap` database. */
  primaryUrl: string;
  /** Superuser URL of the same database on the replica (read-only: a hot standby). */
  replicaUrl: string;
  /** Asks the replica to stop applying WAL: writes to the primary from now on are not seen. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /**
   * Resolves once the replica has replayed everything the primary had written when this was
   * called; rejects after `timeoutMs` (10 s by default), for instance while replay is paused.
   */
  waitForReplayCatchUp(timeoutMs?: number): Promise<void>;
  /** Stops both servers and removes their folder, even if one fails to stop; runs once. */
  stop(): Promise<void>;
}

const CATCH_UP_POLL_MS = 50;

/** One query on a fresh connection (these servers are ours alone: no pool needed). */
async function queryOnce<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const urlFor = (port: number, database: string) =>
  `postgres://postgres@127.0.0.1:${port}/${database}`;

export async function startPrimaryWithReplica(): Promise<PrimaryWithReplica> {
  const workspace = await postgresWorkspace('digicap-pgrepl-');
  const { dir } = workspace;
  const primaryDir = path.join(dir, 'primary');
  const replicaDir = path.join(dir, 'replica');

  const started: string[] = [];
  const stopServers = async () => {
    // Replica first, so it does not spend its last moments trying to reconnect to the primary.
    const results = await Promise.allSettled(
      [...started].reverse().map((dataDir) => stopCluster(workspace, dataDir)),
    );
    started.length = 0;
    return results;
  };
  const startServer = async (
    dataDir: string,
    port: number,
    logName: string,
    settings: Record<string, string>,
  ) => {
    await startCluster(workspace, { dataDir, port, logName, settings });
    started.push(dataDir);
  };

  try {
    const primaryPort = await freePort();
    await initCluster(workspace, primaryDir);
    // Writing keeps the files' owner (postgres). pg_basebackup copies both to the replica.
    await writeFile(
      path.join(primaryDir, 'postgresql.conf'),
      [
        'wal_level = replica',
        'max_wal_senders = 5',
        'fsync = off',
        'full_page_writes = off',
        "listen_addresses = '127.0.0.1'",
        '',
      ].join('\n'),
      { flag: 'a' },
    );
    await writeFile(
      path.join(primaryDir, 'pg_hba.conf'),
      [
        'local all all trust',
        'host all all 127.0.0.1/32 trust',
        'host replication all 127.0.0.1/32 trust',
        '',
      ].join('\n'),
    );
    await startServer(primaryDir, primaryPort, 'primary.log', {});
    await queryOnce(urlFor(primaryPort, 'postgres'), `create database ${DATABASE_NAME}`);

    await workspace.asPostgres('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replicaDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
    const replicaPort = await freePort();
    // pg_ctl -w returns once the standby accepts connections (hot standby, consistent state).
    await startServer(replicaDir, replicaPort, 'replica.log', { hot_standby: 'on' });

    const primaryUrl = urlFor(primaryPort, DATABASE_NAME);
    const replicaUrl = urlFor(replicaPort, DATABASE_NAME);
    let stopping: Promise<void> | undefined;
    return {
      primaryUrl,
      replicaUrl,
      async pauseReplay() {
        await queryOnce(replicaUrl, 'select pg_wal_replay_pause()');
      },
      async resumeReplay() {
        await queryOnce(replicaUrl, 'select pg_wal_replay_resume()');
      },
      async waitForReplayCatchUp(timeoutMs = 10_000) {
        const [primary] = await queryOnce<{ lsn: string }>(
          primaryUrl,
          'select pg_current_wal_lsn()::text as lsn',
        );
        const target = primary?.lsn;
        if (!target) throw new Error('the primary reported no WAL position');
        const replica = new pg.Client({ connectionString: replicaUrl });
        await replica.connect();
        try {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const { rows } = await replica.query<{ caughtUp: boolean | null; at: string | null }>(
              'select pg_last_wal_replay_lsn() >= $1::pg_lsn as "caughtUp", pg_last_wal_replay_lsn()::text as at',
              [target],
            );
            if (rows[0]?.caughtUp) return;
            if (Date.now() >= deadline) {
              throw new Error(
                `the replica had not replayed up to ${target} after ${timeoutMs} ms (it is at ${String(rows[0]?.at)})`,
              );
            }
            await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
          }
        } finally {
          await replica.end();
        }
      },
      stop() {
        return (stopping ??= (async () => {
          await stopServers();
          await workspace.remove();
        })());
      },
    };
  } catch (error) {
    await stopServers();
    await workspace.remove();
    throw error;
  }
}
