/** Start-up behaviour of the whole app; runs on PGlite and PostgreSQL. */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../test/support/test-app.js';
import { createTestDatabase } from '../test/support/test-database.js';
import { buildApp } from './app.js';
import { findRootDir } from './config.js';
import { ContentError } from './modules/framework/index.js';

describe('start-up', () => {
  it('loads content once: building the app twice on one database keeps one version', async () => {
    const database = await createTestDatabase();
    const shared = { ...database, close: () => Promise.resolve() };
    try {
      const first = await buildApp(testConfig(), { database: shared, logger: false });
      await first.close();
      const second = await buildApp(testConfig(), { database: shared, logger: false });
      const list = await second.inject({ url: '/api/v1/frameworks' });
      expect(list.json<{ version: number }[]>()[0]?.version).toBe(1);
      await second.close();
    } finally {
      await database.close();
    }
  });

  it('refuses to start on malformed content, naming the file, line and path', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'digicap-bad-content-'));
    const fwDir = path.join(dir, 'frameworks', 'ai-digital-healthcare');
    await cp(path.join(findRootDir(), 'content', 'frameworks', 'ai-digital-healthcare'), fwDir, {
      recursive: true,
    });
    const file = path.join(fwDir, 'statements', '2.2.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('level: 2', 'level: two'));
    const database = await createTestDatabase();
    try {
      const error = await buildApp(testConfig({ CONTENT_DIR: dir }), {
        database,
        logger: false,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContentError);
      expect((error as Error).message).toMatch(
        /frameworks\/ai-digital-healthcare\/statements\/2\.2\.yaml:line \d+ at statements\[\d+\]\.level: level must be a whole number from 1 to 4/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
      await database.close();
    }
  });

  it('lists development email at /dev/outbox only while mail goes to the outbox', async () => {
    const database = await createTestDatabase();
    const app = await buildApp(testConfig(), { database, logger: false });
    try {
      expect((await app.inject({ url: '/dev/outbox' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
    const smtpDatabase = await createTestDatabase();
    const withSmtp = await buildApp(testConfig({ SMTP_URL: 'smtp://127.0.0.1:1' }), {
      database: smtpDatabase,
      logger: false,
    });
    try {
      expect((await withSmtp.inject({ url: '/dev/outbox' })).statusCode).toBe(404);
    } finally {
      await withSmtp.close();
    }
  });
});
