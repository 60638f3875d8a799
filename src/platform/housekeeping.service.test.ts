/** Housekeeping on PGlite and PostgreSQL: only what has expired goes. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/test-database.js';
import { sessionRepository } from '../modules/accounts/session.repository.js';
import type { Database } from './db/index.js';
import { runHousekeeping } from './housekeeping.js';
import { createRateLimiter } from './rate-limit/rate-limiter.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

it('removes expired sessions and closed rate-limit windows, keeping live ones', async () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  const session = (id: string, expiresInMinutes: number) =>
    sessionRepository.upsert(database.db, {
      id,
      personId: null,
      data: {},
      now: at(-60),
      expiresAt: at(expiresInMinutes),
      absoluteExpiresAt: at(600),
    });
  await session('expired', -1);
  await session('live', 30);
  let clock = at(-300);
  const limiter = createRateLimiter(database, { now: () => clock });
  await limiter.hit('old-window', { limit: 5, windowSeconds: 60 });
  clock = at(0);
  await limiter.hit('current-window', { limit: 5, windowSeconds: 60 });

  expect(await runHousekeeping({ database, rateLimiter: limiter }, now)).toEqual({
    sessions: 1,
    rateLimitWindows: 1,
  });
  expect(await sessionRepository.findLive(database.db, 'live', now)).toBeDefined();
  expect((await limiter.peek('current-window', { limit: 5, windowSeconds: 60 })).remaining).toBe(4);
});
