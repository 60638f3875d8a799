/**
 * The app on a throwaway PostgreSQL server, as one process for Playwright's webServer
 * (playwright.config.ts): `npx tsx test/support/postgres-app-server.ts`. Starts PostgreSQL
 * (./postgres-server.ts), then the built server (`node dist/server.js`, so `npm run build`
 * first) with DATABASE_URL pointing at it and this process's environment otherwise (PORT, HOST,
 * NODE_ENV, DEMO_DATA, …); the app's output is this process's output.
 *
 * On SIGTERM or SIGINT, or when the app exits by itself, it stops the app, then PostgreSQL, and
 * removes PostgreSQL's folder. pg_ctl starts PostgreSQL in a session of its own, out of reach of
 * the signals Playwright sends to this process group, so a detached watchdog stops PostgreSQL
 * should this process be killed outright (SIGKILL) instead.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { findPostgresBin, type PostgresServer, startPostgres } from './postgres-server.js';

/**
 * Playwright (with gracefulShutdown) and a terminal's Ctrl-C signal the whole process group, so
 * the app usually has the signal already: it is only sent one (a second makes it exit at once)
 * if it is still running after a moment, and killed if it has not closed in time (it waits up to
 * 10 s for requests in flight: src/server.ts).
 */
const APP_SIGNAL_AFTER_MS = 2_000;
const APP_KILL_AFTER_MS = 15_000;

const log = (message: string) => {
  process.stderr.write(`[postgres-app-server] ${message}\n`);
};

/**
 * A detached shell that waits for this process to end and then, if PostgreSQL's folder is still
 * there (this process was killed before it could clean up), stops PostgreSQL and removes it.
 */
function startWatchdog(server: PostgresServer): ChildProcess {
  const pgCtl = path.join(findPostgresBin(), 'pg_ctl');
  const stopCommand =
    process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', pgCtl] : [pgCtl];
  const script = [
    'pid=$1; dir=$2; shift 2',
    'while kill -0 "$pid" 2>/dev/null; do sleep 1; done',
    '[ -d "$dir" ] || exit 0',
    '"$@" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1',
    'rm -rf "$dir"',
  ].join('\n');
  const watchdog = spawn(
    'sh',
    ['-c', script, 'digicap-pg-watchdog', String(process.pid), server.dir, ...stopCommand],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
  return watchdog;
}

let stopRequested = false;
let wake: () => void = () => undefined;
const stopping = new Promise<void>((resolve) => {
  wake = resolve;
});
const requestStop = () => {
  stopRequested = true;
  wake();
};
process.on('SIGTERM', requestStop);
process.on('SIGINT', requestStop);

/** Runs the app until a stop is asked for or it exits; resolves to this process's exit code. */
async function runApp(databaseUrl: string): Promise<number> {
  if (stopRequested) return 0;
  let exitCode = 0;
  const app = spawn(process.execPath, ['dist/server.js'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const appExited = new Promise<void>((resolve) => {
    app.once('exit', (code, signal) => {
      if (!stopRequested) {
        log(`the app exited by itself (${signal ?? `code ${String(code)}`})`);
        exitCode = code || 1;
      }
      resolve();
    });
    app.once('error', (error) => {
      log(`the app could not be started: ${error.message}`);
      exitCode = 1;
      resolve();
    });
  });
  void appExited.then(requestStop);
  await stopping;
  const timers = [
    setTimeout(() => app.kill('SIGTERM'), APP_SIGNAL_AFTER_MS),
    setTimeout(() => {
      log(`the app did not close within ${String(APP_KILL_AFTER_MS / 1000)} s: killing it`);
      app.kill('SIGKILL');
    }, APP_KILL_AFTER_MS),
  ];
  await appExited;
  for (const timer of timers) clearTimeout(timer);
  return exitCode;
}

let server: PostgresServer;
try {
  server = await startPostgres();
} catch (error) {
  log(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const watchdog = startWatchdog(server);
const exitCode = await runApp(server.url).finally(async () => {
  await server.stop();
  try {
    if (watchdog.pid) process.kill(-watchdog.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
});
process.exit(exitCode);
