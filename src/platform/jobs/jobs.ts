/**
 * A small scheduler for background jobs (housekeeping, plan reminders). Every app instance runs
 * one; each registered job is tried once per interval, but runs only in the instance that takes
 * the job's lease in `scheduled_jobs`, so with several instances on one database a job runs once
 * per interval, not once per instance.
 *
 * Taking the lease is one statement that works the same on PGlite and PostgreSQL:
 *
 *   insert into scheduled_jobs (name, leased_by, leased_until) values (…)
 *   on conflict (name) do update set leased_by = …, leased_until = …
 *     where scheduled_jobs.leased_until is null or scheduled_jobs.leased_until <= now()
 *   returning name
 *
 * On PostgreSQL two instances racing for it serialise on the row: the second re-checks the
 * condition against the first one's new lease and gets no row back. The lease lasts a little
 * less than the interval (so an instance whose timer fires a moment early still finds it
 * expired), and the database's clock decides, so instances' clocks need not agree.
 *
 * A lease is not a lock on the job's effects: a run that outlasts its lease may overlap the next.
 * Jobs whose effects must happen exactly once (one email per reminder) make sure of it themselves
 * (see learning's reminders.service.ts and its plan_reminders ledger).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/index.js';
import { scheduledJobs } from './jobs.tables.js';

export interface Job {
  /** Unique: the lease's key in scheduled_jobs. */
  name: string;
  /** How often the job should run (at most once per interval across every instance). */
  intervalMs: number;
  /** One run. Its result (a small summary) is logged and kept in scheduled_jobs.last_result. */
  run(): Promise<unknown>;
}

export interface SchedulerOptions {
  database: Database;
  logger: Pick<FastifyBaseLogger, 'info' | 'error'>;
  /** Who holds a lease: host, process and a random suffix unless given. */
  instanceId?: string;
  /** Delay before each job's first try after start(). Default: 30 seconds, or the interval if shorter. */
  firstRunDelayMs?: number;
}

export type RunOutcome =
  | { ran: false }
  | { ran: true; ok: true; result: unknown }
  | { ran: true; ok: false; error: unknown };

/** An id for this process's leases, readable in scheduled_jobs and logs. */
export function newInstanceId(): string {
  return `${hostname()}:${String(process.pid)}:${randomBytes(4).toString('hex')}`;
}

/** How long a lease lasts: the interval less a tenth (at most 30 s) for timers firing early. */
export function leaseMs(intervalMs: number): number {
  return Math.max(1, intervalMs - Math.min(Math.floor(intervalMs / 10), 30_000));
}

/** Short text for scheduled_jobs.last_result (never more than 500 characters). */
function describe(outcome: { ok: true; result: unknown } | { ok: false; error: unknown }): string {
  const text = outcome.ok
    ? `ok ${JSON.stringify(outcome.result ?? null)}`
    : `failed: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`;
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

export function createScheduler(options: SchedulerOptions) {
  const { database, logger } = options;
  const instanceId = options.instanceId ?? newInstanceId();
  const jobs = new Map<string, Job>();
  /** Jobs running in this instance now: a slow run is never started again over itself here. */
  const running = new Map<string, Promise<RunOutcome>>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  /** Takes the job's lease if nobody holds it; true when this instance now holds it. */
  async function takeLease(job: Job): Promise<boolean> {
    const until = sql`now() + ${`${String(leaseMs(job.intervalMs))} milliseconds`}::interval`;
    const rows = await database.db
      .insert(scheduledJobs)
      .values({ name: job.name, leasedBy: instanceId, leasedUntil: until })
      .onConflictDoUpdate({
        target: scheduledJobs.name,
        set: { leasedBy: instanceId, leasedUntil: until },
        setWhere: sql`${scheduledJobs.leasedUntil} is null or ${scheduledJobs.leasedUntil} <= now()`,
      })
      .returning({ name: scheduledJobs.name });
    return rows.length > 0;
  }

  async function record(job: Job, lastResult: string): Promise<void> {
    await database.db
      .update(scheduledJobs)
      .set({ lastRunAt: sql`now()`, lastResult })
      .where(eq(scheduledJobs.name, job.name));
  }

  async function attempt(job: Job): Promise<RunOutcome> {
    if (!(await takeLease(job))) return { ran: false };
    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, result: await job.run() };
      logger.info({ job: job.name, result: outcome.result }, 'scheduled job ran');
    } catch (error) {
      outcome = { ok: false, error };
      logger.error({ job: job.name, err: error }, 'scheduled job failed');
    }
    await record(job, describe(outcome));
    return { ran: true, ...outcome };
  }

  /** Runs the job now if this instance can take its lease (and it is not running here already). */
  function runIfLeased(name: string): Promise<RunOutcome> {
    const job = jobs.get(name);
    if (!job) return Promise.reject(new Error(`There is no job called ${name}`));
    const current = running.get(name);
    if (current) return current.then(() => ({ ran: false }) as const);
    const run = attempt(job).finally(() => running.delete(name));
    running.set(name, run);
    return run;
  }

  function tick(name: string): void {
    if (stopped) return;
    runIfLeased(name).catch((error: unknown) => {
      // Taking the lease or recording the result failed (the database is away): next time.
      logger.error({ job: name, err: error }, 'scheduled job could not be started');
    });
  }

  return {
    instanceId,

    register(job: Job): void {
      if (jobs.has(job.name)) throw new Error(`A job called ${job.name} is already registered`);
      if (!Number.isInteger(job.intervalMs) || job.intervalMs < 1)
        throw new RangeError(`Job ${job.name} needs a whole, positive interval`);
      jobs.set(job.name, job);
    },

    runIfLeased,

    /** Tries each job shortly after start and then every interval. Timers never hold the process. */
    start(): void {
      for (const job of jobs.values()) {
        const first = setTimeout(
          () => {
            tick(job.name);
            const every = setInterval(() => {
              tick(job.name);
            }, job.intervalMs);
            every.unref();
            timers.push(every);
          },
          options.firstRunDelayMs ?? Math.min(30_000, job.intervalMs),
        );
        first.unref();
        timers.push(first);
      }
    },

    /** Stops the timers and waits for any run in progress here to finish. */
    async stop(): Promise<void> {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.length = 0;
      await Promise.allSettled([...running.values()]);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
