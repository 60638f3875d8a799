/**
 * A throwaway PostgreSQL server for a benchmark, as test/support/postgres-server.ts starts one
 * for the tests (initdb in a temporary folder as the `postgres` user when we are root, a free
 * loopback port, fsync off), with settings for a bulk load added on the command line: larger
 * shared buffers, work memory and WAL, no autovacuum while loading (the loader analyses), lz4
 * for compressed values.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  findPostgresBin,
  freePort,
  type PostgresServer,
} from '../../test/support/postgres-server.js';

const run = promisify(execFile);

/** postgresql.conf settings for a bulk load on a machine with a few GB to spare. */
export const BULK_LOAD_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '50',
  shared_buffers: '2GB',
  effective_cache_size: '8GB',
  work_mem: '64MB',
  maintenance_work_mem: '1GB',
  max_wal_size: '16GB',
  checkpoint_timeout: '30min',
  wal_level: 'minimal',
  max_wal_senders: '0',
  autovacuum: 'off',
  jit: 'off',
  // Results snapshots (4 KB of JSON each) are compressed: lz4 is several times faster than pglz.
  default_toast_compression: 'lz4',
};

async function idOf(user: string): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', user]),
    run('id', ['-g', user]),
  ]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export async function startBenchPostgres(
  settings: Readonly<Record<string, string>> = BULK_LOAD_SETTINGS,
): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const isRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'digicap-bench-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  if (isRoot) {
    const { uid, gid } = await idOf('postgres').catch(() => {
      throw new Error(
        'Running as root needs the `postgres` user (apt-get install -y postgresql creates it).',
      );
    });
    await chown(dir, uid, gid);
    await chmod(dir, 0o700);
  }
  const asPostgres = (cmd: string, args: string[]) =>
    isRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args])
      : run(path.join(bin, cmd), args);
  const port = await freePort();
  try {
    await asPostgres('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
      '--locale=C.UTF-8',
    ]);
    const options = [
      `-p ${String(port)}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
    ].join(' ');
    await asPostgres('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      logFile,
      '-o',
      options,
      '-w',
      '-t',
      '120',
      'start',
    ]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${String(port)}/postgres`,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(
        () => undefined,
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
}
