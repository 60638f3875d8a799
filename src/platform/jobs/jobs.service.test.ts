/**
 * The scheduler's lease on PGlite and PostgreSQL: with two instances (two connection pools on
 * PostgreSQL), a job runs in one of them per interval; a lease that has run out can be taken
 * again; a failing job is recorded and does not stop the next run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServerDatabase,
  createTestDatabase,
  migrationsFolder,
  testDbKind,
} from '../../../test/support/test-database.js';
import { type Database, openDatabase } from '../db/index.js';
import { createScheduler, type Job, leaseMs } from './jobs.js';
import { scheduledJobs } from './jobs.tables.js';

let first: Database;
let second: Database;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  if (testDbKind() === 'postgres') {
    const { url, drop } = await createServerDatabase();
    first = await openDatabase({ kind: 'postgres', url, poolSize: 4 }, migrationsFolder);
    second = await openDatabase({ kind: 'postgres', url, poolSize: 4 }, migrationsFolder);
    cleanup = async () => {
      await first.close();
      await second.close();
      await drop();
    };
  } else {
    first = await createTestDatabase();
    second = first;
    cleanup = () => first.close();
  }
}, 60_000);
afterAll(async () => {
  await cleanup();
});

const quiet = { info: () => undefined, error: () => undefined };

function counting(name: string, intervalMs = 60_000, run?: () => Promise<unknown>) {
  const job: Job & { runs: number } = {
    name,
    intervalMs,
    runs: 0,
    async run() {
      job.runs += 1;
      return run ? run() : { ok: true };
    },
  };
  return job;
}

/** Ends the job's lease now, as if its interval had passed. */
async function expireLease(name: string) {
  await first.db
    .update(scheduledJobs)
    .set({ leasedUntil: sql`now() - interval '1 second'` })
    .where(eq(scheduledJobs.name, name));
}

async function row(name: string) {
  const [r] = await first.db.select().from(scheduledJobs).where(eq(scheduledJobs.name, name));
  return r;
}

describe('the lease', () => {
  it('lets one of two instances run a job per interval', async () => {
    const job = counting('lease-test');
    const a = createScheduler({ database: first, logger: quiet, instanceId: 'a' });
    const b = createScheduler({ database: second, logger: quiet, instanceId: 'b' });
    a.register(job);
    b.register(job);
    const outcomes = await Promise.all([
      a.runIfLeased('lease-test'),
      b.runIfLeased('lease-test'),
      b.runIfLeased('lease-test'),
      a.runIfLeased('lease-test'),
    ]);
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    expect(job.runs).toBe(1);
    const stored = await row('lease-test');
    expect(['a', 'b']).toContain(stored?.leasedBy);
    expect(stored?.lastResult).toBe('ok {"ok":true}');
    expect(stored?.lastRunAt).toBeInstanceOf(Date);

    // Within the interval: nobody runs it again.
    expect((await b.runIfLeased('lease-test')).ran).toBe(false);
    // Once the lease has run out, the next instance to try runs it.
    await expireLease('lease-test');
    expect((await b.runIfLeased('lease-test')).ran).toBe(true);
    expect((await row('lease-test'))?.leasedBy).toBe('b');
    expect(job.runs).toBe(2);
  });

  it('records a failure, and runs again next interval', async () => {
    let fail = true;
    const job = counting('failing-test', 60_000, () =>
      fail ? Promise.reject(new Error('database said no')) : Promise.resolve(3),
    );
    const errors: unknown[] = [];
    const a = createScheduler({
      database: first,
      logger: { info: () => undefined, error: (...args: unknown[]) => errors.push(args) },
      instanceId: 'a',
    });
    a.register(job);
    const outcome = await a.runIfLeased('failing-test');
    expect(outcome).toMatchObject({ ran: true, ok: false });
    expect((await row('failing-test'))?.lastResult).toBe('failed: database said no');
    expect(errors).toHaveLength(1);
    fail = false;
    await expireLease('failing-test');
    expect(await a.runIfLeased('failing-test')).toEqual({ ran: true, ok: true, result: 3 });
    expect((await row('failing-test'))?.lastResult).toBe('ok 3');
  });

  it('never starts a job again in an instance where it is still running', async () => {
    let release: () => void = () => undefined;
    const job = counting(
      'slow-test',
      60_000,
      () =>
        new Promise((resolve) => {
          release = () => {
            resolve('done');
          };
        }),
    );
    const a = createScheduler({ database: first, logger: quiet, instanceId: 'a' });
    a.register(job);
    const running = a.runIfLeased('slow-test');
    await sleep(50);
    await expireLease('slow-test');
    const overlapping = a.runIfLeased('slow-test');
    release();
    expect(await running).toMatchObject({ ran: true, ok: true });
    expect(await overlapping).toEqual({ ran: false });
    expect(job.runs).toBe(1);
  });

  it('runs on its timer in one instance at a time, and stops', async () => {
    const intervalMs = 150;
    const job = counting('timer-test', intervalMs);
    const a = createScheduler({ database: first, logger: quiet, firstRunDelayMs: 0 });
    const b = createScheduler({ database: second, logger: quiet, firstRunDelayMs: 0 });
    a.register(job);
    b.register(job);
    const started = Date.now();
    a.start();
    b.start();
    await sleep(1_000);
    await Promise.all([a.stop(), b.stop()]);
    const elapsed = Date.now() - started;
    const runs = job.runs;
    // At most one run per lease, not one per instance per interval (which would be about 14).
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(runs).toBeLessThanOrEqual(Math.ceil(elapsed / leaseMs(intervalMs)) + 1);
    await sleep(2 * intervalMs);
    expect(job.runs).toBe(runs);
  });

  it('refuses a second job with the same name or a bad interval', () => {
    const a = createScheduler({ database: first, logger: quiet });
    a.register(counting('dup'));
    expect(() => {
      a.register(counting('dup'));
    }).toThrow(/already registered/);
    expect(() => {
      a.register(counting('zero', 0));
    }).toThrow(RangeError);
  });
});

describe('leaseMs', () => {
  it('is the interval less a tenth, at most 30 seconds less', () => {
    expect(leaseMs(1_000)).toBe(900);
    expect(leaseMs(15 * 60_000)).toBe(15 * 60_000 - 30_000);
    expect(leaseMs(1)).toBe(1);
  });
});
