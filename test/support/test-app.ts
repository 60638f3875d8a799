/** Builds the real app on a fresh test database, for page and API tests through app.inject(). */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createTestDatabase } from './test-database.js';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}

export async function buildTestApp(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const database = await createTestDatabase();
  return buildApp(testConfig(env), { database, logger: false, latestTtlMs: 0 });
}
