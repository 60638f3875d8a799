/**
 * Regular clean-up of data that has expired: sessions past their idle or absolute expiry and
 * rate-limit windows that have closed. Deletes are idempotent, so several app instances running
 * it at once is harmless. The timer is unref'd: it never keeps the process alive.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from './db/index.js';
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

export function scheduleHousekeeping(
  app: FastifyInstance,
  deps: { database: Database; rateLimiter: RateLimiter },
): void {
  const timer = setInterval(() => {
    runHousekeeping(deps).then(
      (removed) => {
        app.log.info({ removed }, 'housekeeping');
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'housekeeping failed');
      },
    );
  }, HOUSEKEEPING_INTERVAL_MS);
  timer.unref();
  app.addHook('onClose', () => {
    clearInterval(timer);
    return Promise.resolve();
  });
}
