/**
 * Regular clean-up of data that has expired: sessions past their idle or absolute expiry and
 * rate-limit windows that have closed. Deletes are idempotent, so several app instances running
 * it at once would be harmless; the scheduler (jobs/jobs.ts) runs it in one of them each time.
 */
import type { Database } from './db/index.js';
import type { Job } from './jobs/jobs.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import { sessionRepository } from '../modules/accounts/session.repository.js';

/** Longest rate-limit window in use (the per-hour limits). */
const RATE_LIMIT_RETENTION_MS = 2 * 60 * 60 * 1000;
export const HOUSEKEEPING_INTERVAL_MS = 15 * 60 * 1000;

export async function runHousekeeping(
  deps: { database: Database; rateLimiter: RateLimiter },
  now: Date = new Date(),
): Promise<{ sessions: number; rateLimitWindows: number }> {
  const sessions = await sessionRepository.purgeExpired(deps.database.db, now);
  const rateLimitWindows = await deps.rateLimiter.purgeExpired(
    new Date(now.getTime() - RATE_LIMIT_RETENTION_MS),
  );
  return { sessions, rateLimitWindows };
}

/** Housekeeping as a scheduled job (see jobs/jobs.ts), every HOUSEKEEPING_INTERVAL_MS. */
export function housekeepingJob(deps: { database: Database; rateLimiter: RateLimiter }): Job {
  return {
    name: 'housekeeping',
    intervalMs: HOUSEKEEPING_INTERVAL_MS,
    run: () => runHousekeeping(deps),
  };
}
