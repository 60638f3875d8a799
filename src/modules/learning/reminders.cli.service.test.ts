/**
 * `node dist/cli.js send-reminders` against a real database (a PGlite folder, or PostgreSQL):
 * one run sends what is due and records it, so running it again sends nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePerson } from '../../../test/support/organisations.js';
import { createServerDatabase, testDbKind } from '../../../test/support/test-database.js';
import { runCli } from '../../cli.js';
import { createServices, loadBundledContent } from '../../composition.js';
import { loadConfig } from '../../config.js';
import { addDays, todayIn } from './plans.dates.js';
import { countRows } from './plans.fixtures.js';

let env: Record<string, string>;
let cleanup: () => Promise<void>;

async function withServices<T>(
  fn: (services: Awaited<ReturnType<typeof createServices>>) => Promise<T>,
) {
  const config = loadConfig(env);
  const services = await createServices(config, pino({ level: 'silent' }));
  try {
    return await fn(services);
  } finally {
    await services.database.close();
  }
}

beforeAll(async () => {
  if (testDbKind() === 'postgres') {
    const { url, drop } = await createServerDatabase();
    env = { NODE_ENV: 'test', DATABASE_URL: url };
    cleanup = drop;
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'digicap-reminders-cli-'));
    env = { NODE_ENV: 'test', DATA_DIR: dir };
    cleanup = () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    };
  }
  await withServices(async (services) => {
    await loadBundledContent(loadConfig(env), services);
    const personId = await makePerson(services.database, 'Casey Cron');
    await services.plans.createGoal(personId, {
      areaCode: '6.2',
      targetLevel: 2,
      targetDate: addDays(todayIn(new Date()), -1),
      notes: '',
      from: '',
      resource: '',
    });
  });
}, 120_000);
afterAll(async () => {
  await cleanup();
});

describe('node dist/cli.js send-reminders', () => {
  it('sends what is due once, then nothing', async () => {
    expect(await runCli(['send-reminders'], env)).toEqual({
      code: 0,
      output: 'Reminders sent: 1. Not sent, to be tried again: 0. Taken by another instance: 0.',
    });
    expect(await runCli(['send-reminders'], env)).toMatchObject({
      code: 0,
      output: expect.stringMatching(/^Reminders sent: 0\./) as unknown,
    });
    expect(await withServices((s) => countRows(s.database, 'plan_reminders'))).toBe(1);
  });

  it('explains its usage, and refuses to run with nowhere to send email', async () => {
    expect((await runCli(['send-reminders', 'now'], env)).code).toBe(2);
    const development = await runCli(['send-reminders'], { ...env, NODE_ENV: 'development' });
    expect(development.code).toBe(1);
    expect(development.output).toMatch(/No SMTP server is configured/);
  });
});
