/**
 * Throwaway PostgreSQL servers for tests and benchmarks: initdb in a temporary directory, pg_ctl
 * on a free loopback port, fsync off. Runs as the `postgres` user when we are root (initdb
 * refuses root). Fails loudly, with the fix, when the server binaries are missing.
 *
 * `startPostgres()` is the tests' server; bench/support/postgres.ts passes bulk-load settings, and
 * ./postgres-replica.ts builds a primary and a streaming replica from the same pieces
 * (`postgresWorkspace`, `initCluster`, `startCluster`).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PostgresServer {
  url: string;
  /** The temporary folder holding the cluster (`data/`), its socket and log; stop() removes it. */
  dir: string;
  stop(): Promise<void>;
}

export function findPostgresBin(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv && existsSync(path.join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin');
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with `apt-get install -y postgresql` or set PG_BIN to their folder.',
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

async function idOf(user: string): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', user]),
    run('id', ['-g', user]),
  ]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/** A temporary folder owned by whoever runs the servers, and a way to run their binaries. */
export interface PostgresWorkspace {
  dir: string;
  /** Runs one of the server binaries (initdb, pg_ctl, pg_basebackup…) as the server's user. */
  asPostgres(command: string, args: string[]): Promise<unknown>;
  /** Removes the folder and everything in it. */
  remove(): Promise<void>;
}

export async function postgresWorkspace(prefix: string): Promise<PostgresWorkspace> {
  const bin = findPostgresBin();
  const isRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const remove = () => rm(dir, { recursive: true, force: true });
  if (isRoot) {
    const { uid, gid } = await idOf('postgres').catch(async () => {
      await remove();
      throw new Error(
        'Running as root needs the `postgres` user (apt-get install -y postgresql creates it).',
      );
    });
    await chown(dir, uid, gid);
  }
  await chmod(dir, 0o700);
  return {
    dir,
    remove,
    asPostgres: (command, args) =>
      isRoot
        ? run('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args])
        : run(path.join(bin, command), args),
  };
}

/** initdb: a UTF-8 cluster whose superuser `postgres` is trusted, without syncing to disk. */
export async function initCluster(workspace: PostgresWorkspace, dataDir: string): Promise<void> {
  await workspace.asPostgres('initdb', [
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
}

/** pg_ctl start on a loopback port, socket in the workspace, with postgresql.conf settings. */
export async function startCluster(
  workspace: PostgresWorkspace,
  options: {
    dataDir: string;
    port: number;
    logName: string;
    settings: Readonly<Record<string, string>>;
    timeoutSeconds?: number;
  },
): Promise<void> {
  const serverOptions = [
    `-p ${String(options.port)}`,
    `-k ${workspace.dir}`,
    ...Object.entries(options.settings).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');
  await workspace.asPostgres('pg_ctl', [
    '-D',
    options.dataDir,
    '-l',
    path.join(workspace.dir, options.logName),
    '-o',
    serverOptions,
    '-w',
    '-t',
    String(options.timeoutSeconds ?? 60),
    'start',
  ]);
}

/** Fast shutdown for a server we are about to delete; a server that is already gone is fine. */
export async function stopCluster(workspace: PostgresWorkspace, dataDir: string): Promise<void> {
  await workspace.asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
}

/** The tests' settings: durability off (the data is thrown away), room for parallel pools. */
export const TEST_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '200',
};

export async function startPostgres(
  settings: Readonly<Record<string, string>> = TEST_SETTINGS,
  options: { prefix?: string; timeoutSeconds?: number } = {},
): Promise<PostgresServer> {
  const workspace = await postgresWorkspace(options.prefix ?? 'digicap-pg-');
  const dataDir = path.join(workspace.dir, 'data');
  const port = await freePort();
  try {
    await initCluster(workspace, dataDir);
    await startCluster(workspace, {
      dataDir,
      port,
      logName: 'server.log',
      settings: { listen_addresses: '127.0.0.1', ...settings },
      ...(options.timeoutSeconds ? { timeoutSeconds: options.timeoutSeconds } : {}),
    });
  } catch (error) {
    await workspace.remove();
    throw error;
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${String(port)}/postgres`,
    dir: workspace.dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopCluster(workspace, dataDir).catch(() => undefined);
      await workspace.remove();
    },
  };
}
