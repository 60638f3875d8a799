/**
 * Fixed-window counters for rate limiting, in the database so every app instance shares them.
 * Keys name what is limited, e.g. `sign-in:ip:203.0.113.9` or `sign-in:account:<email hash>`.
 */
import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const rateLimitBuckets = pgTable(
  'rate_limit_buckets',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);
