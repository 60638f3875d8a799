/**
 * Scheduled jobs' leases (platform): one row per job name. With several app instances on one
 * database, a worker runs a job only while it holds the lease, so a job runs once per interval
 * however many instances are up. Exactly-once effects (e.g. one email per reminder) are still
 * each job's own business: see learning's plan_reminders ledger.
 */
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const scheduledJobs = pgTable('scheduled_jobs', {
  name: text('name').primaryKey(),
  leasedBy: text('leased_by'),
  leasedUntil: timestamp('leased_until', { withTimezone: true }),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  lastResult: text('last_result'),
});
