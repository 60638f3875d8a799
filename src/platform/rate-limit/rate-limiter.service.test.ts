/** The rate limiter on the real database (run on PGlite and on PostgreSQL). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/test-database.js';
import type { Database } from '../db/index.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import { rateLimitBuckets } from './rate-limit.tables.js';

const rule = { limit: 3, windowSeconds: 60 };
/** 10:00:15 UTC: 15 seconds into a one-minute window. */
const start = new Date('2025-06-02T10:00:15.000Z');

let database: Database;
let clock: Date;
let limiter: RateLimiter;

beforeAll(async () => {
  database = await createTestDatabase();
  limiter = createRateLimiter(database, { now: () => clock });
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  clock = start;
  await database.db.delete(rateLimitBuckets);
});

function later(seconds: number): Date {
  return new Date(start.getTime() + seconds * 1000);
}

async function hits(key: string, times: number, limit = rule) {
  const results = [];
  for (let i = 0; i < times; i++) results.push(await limiter.hit(key, limit));
  return results;
}

describe('rate limiter', () => {
  it('allows up to the limit, then refuses until the window ends', async () => {
    const results = await hits('sign-in:ip:203.0.113.9', 5);
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(results.every((r) => r.retryAfterSeconds === 45)).toBe(true);
  });

  it('counts down the seconds to the end of the window', async () => {
    clock = later(44.2);
    const result = await limiter.hit('k', rule);
    expect(result.retryAfterSeconds).toBe(1);
    clock = later(45);
    expect((await limiter.hit('k', rule)).retryAfterSeconds).toBe(60);
  });

  it('allows again in a new window', async () => {
    await hits('k', 4);
    clock = later(44.999);
    expect((await limiter.hit('k', rule)).allowed).toBe(false);
    clock = later(45);
    const result = await limiter.hit('k', rule);
    expect(result).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 60 });
  });

  it('keeps keys independent', async () => {
    await hits('sign-in:account:a', 3);
    expect((await limiter.hit('sign-in:account:a', rule)).allowed).toBe(false);
    expect((await limiter.hit('sign-in:account:b', rule)).allowed).toBe(true);
    expect((await limiter.peek('sign-in:account:b', rule)).remaining).toBe(2);
  });

  it('peeks without counting', async () => {
    expect(await limiter.peek('k', rule)).toEqual({
      allowed: true,
      remaining: 3,
      retryAfterSeconds: 45,
    });
    await hits('k', 2);
    expect(await limiter.peek('k', rule)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.peek('k', rule)).toMatchObject({ allowed: true, remaining: 1 });
    await hits('k', 1);
    expect(await limiter.peek('k', rule)).toMatchObject({ allowed: false, remaining: 0 });
    clock = later(45);
    expect(await limiter.peek('k', rule)).toMatchObject({ allowed: true, remaining: 3 });
  });

  it('reset clears every window of the key and no other key', async () => {
    await hits('k', 4);
    await hits('other', 4);
    clock = later(120);
    await hits('k', 1);
    await limiter.reset('k');
    expect(await limiter.peek('k', rule)).toMatchObject({ allowed: true, remaining: 3 });
    clock = start;
    expect(await limiter.peek('k', rule)).toMatchObject({ allowed: true, remaining: 3 });
    expect(await limiter.peek('other', rule)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('allows exactly the limit when hits arrive at once', async () => {
    const concurrent = { limit: 10, windowSeconds: 60 };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => limiter.hit('busy', concurrent)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.filter((r) => !r.allowed)).toHaveLength(10);
    const rows = await database.db.select().from(rateLimitBuckets);
    expect(rows).toEqual([
      { key: 'busy', windowStart: new Date('2025-06-02T10:00:00Z'), hits: 20 },
    ]);
  });

  it('purgeExpired removes windows that started before the cut-off, and only those', async () => {
    await hits('a', 2);
    clock = later(60);
    await hits('a', 1);
    await hits('b', 1);
    const purged = await limiter.purgeExpired(new Date('2025-06-02T10:01:00Z'));
    expect(purged).toBe(1);
    const rows = await database.db.select().from(rateLimitBuckets);
    expect(rows.map((r) => [r.key, r.windowStart.toISOString(), r.hits]).sort()).toEqual([
      ['a', '2025-06-02T10:01:00.000Z', 1],
      ['b', '2025-06-02T10:01:00.000Z', 1],
    ]);
    expect(await limiter.purgeExpired(new Date('2025-06-02T10:01:00Z'))).toBe(0);
  });

  it('refuses a rule that makes no sense', async () => {
    await expect(limiter.hit('k', { limit: 0, windowSeconds: 60 })).rejects.toThrow(RangeError);
    await expect(limiter.peek('k', { limit: 1, windowSeconds: 0.5 })).rejects.toThrow(RangeError);
  });
});
