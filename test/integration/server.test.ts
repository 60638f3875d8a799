/**
 * The real entry point (src/server.ts) as a separate process: it starts on the embedded
 * database (pglite project) or on the PostgreSQL server (postgres project), serves requests and
 * shuts down cleanly on SIGTERM; bad configuration stops it with a clear message.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findRootDir } from '../../src/config.js';
import { freePort } from '../support/postgres-server.js';
import { createServerDatabase, testDbKind } from '../support/test-database.js';

const root = findRootDir();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startServer(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'server.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      resolve(code);
    });
  });
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, output: () => output, exited };
}

async function waitForHealth(port: number, output: () => string): Promise<Response> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.status === 200) return response;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy:\n${output()}`);
}

describe('the server process', () => {
  it('starts, serves the explorer and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const env: Record<string, string> = { PORT: String(port), HOST: '127.0.0.1' };
    if (testDbKind() === 'postgres') {
      const { url, drop } = await createServerDatabase();
      cleanups.push(drop);
      env.DATABASE_URL = url;
    } else {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'digicap-server-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      env.DATA_DIR = dataDir;
    }
    const server = startServer(env);
    const health = await waitForHealth(port, server.output);
    expect(await health.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });

    const page = await fetch(`http://127.0.0.1:${port}/frameworks/ai-digital-healthcare/domains/3`);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-request-id')).toBeTruthy();
    expect(await page.text()).toContain('Ethical, legal and regulatory considerations');

    const logLines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; reqId?: string; database?: string });
    expect(
      logLines.some((l) => l.msg?.startsWith('digicap is ready') && l.database === testDbKind()),
    ).toBe(true);
    expect(logLines.some((l) => typeof l.reqId === 'string')).toBe(true);

    server.child.kill('SIGTERM');
    const code = await server.exited;
    expect(code, server.output().slice(-2000)).toBe(0);
    expect(server.output()).toContain('shutting down');
  });

  it('refuses to start with bad configuration, saying which variable is wrong', async () => {
    const server = startServer({ PORT: 'eighty' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('digicap could not start');
    expect(server.output()).toContain('PORT must be a whole number (got "eighty")');
  });
});
