/**
 * Fixed-window rate limiting over `rate_limit_buckets`, shared by every app instance through the
 * database. Each rule divides time into windows of `windowSeconds` aligned to the Unix epoch; a
 * key's hits in the current window live in one row, counted by a single atomic upsert, so
 * concurrent requests on any instance can never let more than `limit` through in a window.
 *
 * A key should always be used with the same rule: the window is derived from the rule, so two
 * rules on one key would count into different rows. Name keys by what they limit, e.g.
 * `sign-in:ip:203.0.113.9`, `sign-in:account:<email hash>`.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { rateLimitBuckets } from './rate-limit.tables.js';

export interface RateLimitRule {
  /** Hits allowed in one window (a positive whole number). */
  limit: number;
  /** Length of a window in seconds (a positive whole number). */
  windowSeconds: number;
}

export interface RateLimitResult {
  /** `hit`: whether this hit is within the limit. `peek`: whether a further hit would be. */
  allowed: boolean;
  /** Hits still allowed in the current window (never negative). */
  remaining: number;
  /** Whole seconds until the current window ends and the count starts again (at least 1). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one hit on `key` and says whether it is within the rule's limit. */
  hit(key: string, rule: RateLimitRule): Promise<RateLimitResult>;
  /** Says where `key` stands in the current window without counting a hit. */
  peek(key: string, rule: RateLimitRule): Promise<RateLimitResult>;
  /** Forgets every window of `key` (for example after a successful sign-in). */
  reset(key: string): Promise<void>;
  /** Deletes windows that started before `olderThan`; returns how many rows went. */
  purgeExpired(olderThan: Date): Promise<number>;
}

export interface RateLimiterOptions {
  /** The clock; tests inject one to move between windows. */
  now?: () => Date;
}

export function createRateLimiter(
  database: Database,
  { now = () => new Date() }: RateLimiterOptions = {},
): RateLimiter {
  const { db } = database;

  return {
    async hit(key, rule) {
      const window = currentWindow(rule, now());
      const [row] = await db
        .insert(rateLimitBuckets)
        .values({ key, windowStart: window.start, hits: 1 })
        .onConflictDoUpdate({
          target: [rateLimitBuckets.key, rateLimitBuckets.windowStart],
          set: { hits: sql`${rateLimitBuckets.hits} + 1` },
        })
        .returning({ hits: rateLimitBuckets.hits });
      if (!row) throw new Error('rate limit upsert returned no row');
      return {
        allowed: row.hits <= rule.limit,
        remaining: Math.max(0, rule.limit - row.hits),
        retryAfterSeconds: window.retryAfterSeconds,
      };
    },

    async peek(key, rule) {
      const window = currentWindow(rule, now());
      const [row] = await db
        .select({ hits: rateLimitBuckets.hits })
        .from(rateLimitBuckets)
        .where(and(eq(rateLimitBuckets.key, key), eq(rateLimitBuckets.windowStart, window.start)));
      const hits = row?.hits ?? 0;
      return {
        allowed: hits < rule.limit,
        remaining: Math.max(0, rule.limit - hits),
        retryAfterSeconds: window.retryAfterSeconds,
      };
    },

    async reset(key) {
      await db.delete(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
    },

    async purgeExpired(olderThan) {
      const deleted = await db
        .delete(rateLimitBuckets)
        .where(lt(rateLimitBuckets.windowStart, olderThan))
        .returning({ key: rateLimitBuckets.key });
      return deleted.length;
    },
  };
}

function currentWindow(rule: RateLimitRule, at: Date): { start: Date; retryAfterSeconds: number } {
  if (!Number.isInteger(rule.limit) || rule.limit < 1) {
    throw new RangeError(`rate limit must be a positive whole number (got ${rule.limit})`);
  }
  if (!Number.isInteger(rule.windowSeconds) || rule.windowSeconds < 1) {
    throw new RangeError(
      `rate limit window must be a positive whole number of seconds (got ${rule.windowSeconds})`,
    );
  }
  const windowMs = rule.windowSeconds * 1000;
  const nowMs = at.getTime();
  const startMs = Math.floor(nowMs / windowMs) * windowMs;
  return {
    start: new Date(startMs),
    retryAfterSeconds: Math.ceil((startMs + windowMs - nowMs) / 1000),
  };
}
