/** The platform-admin command line, against a real database (PGlite folder or PostgreSQL). */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, testDbKind } from '../test/support/test-database.js';
import { runCli } from './cli.js';
import { createServices } from './composition.js';
import { loadConfig } from './config.js';
import pino from 'pino';

let env: Record<string, string>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  if (testDbKind() === 'postgres') {
    const { url, drop } = await createServerDatabase();
    env = { NODE_ENV: 'test', DATABASE_URL: url };
    cleanup = drop;
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'digicap-cli-'));
    env = { NODE_ENV: 'test', DATA_DIR: dir };
    cleanup = () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    };
  }
  const services = await createServices(loadConfig(env), pino({ level: 'silent' }));
  await services.accounts.createConfirmedAccount({
    email: 'ops@example.org',
    displayName: 'Olu Ops',
    password: 'granite orchard velvet comet',
  });
  await services.database.close();
});
afterAll(async () => {
  await cleanup();
});

describe('node dist/cli.js platform-admin', () => {
  it('grants, lists and revokes, and says plainly when there is no such account', async () => {
    expect(await runCli(['platform-admin', 'list'], env)).toEqual({
      code: 0,
      output: 'There are no platform admins.',
    });
    expect(await runCli(['platform-admin', 'grant', 'OPS@example.org'], env)).toEqual({
      code: 0,
      output: 'ops@example.org is now a platform admin.',
    });
    expect(await runCli(['platform-admin', 'list'], env)).toEqual({
      code: 0,
      output: 'ops@example.org\tOlu Ops',
    });
    expect(await runCli(['platform-admin', 'revoke', 'ops@example.org'], env)).toMatchObject({
      code: 0,
    });
    const missing = await runCli(['platform-admin', 'grant', 'nobody@example.org'], env);
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/There is no account for nobody@example.org/);
  });

  it('explains its usage when the command is wrong', async () => {
    expect((await runCli(['platform-admin', 'promote', 'x@example.org'], env)).code).toBe(2);
    expect((await runCli(['platform-admin', 'grant'], env)).output).toMatch(/Give an email/);
  });
});
