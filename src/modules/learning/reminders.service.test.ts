/**
 * Plan reminders on PGlite and PostgreSQL. The point of the ledger: each reminder (goal, kind,
 * target date) is emailed exactly once, even with two workers running at the same time. On
 * PostgreSQL the two workers are two separate connection pools on one database (as two app
 * instances are), one with a slow mailer to hold its claims open while the other tries; on
 * PGlite they interleave on one connection. Also: a failed send is retried on a later run (and
 * not for ever), a stalled claim is taken over, done goals get nothing, a new target date gets
 * new reminders, and erasing the account erases the ledger.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makePerson } from '../../../test/support/organisations.js';
import { testConfig } from '../../../test/support/test-app.js';
import {
  createServerDatabase,
  migrationsFolder,
  testDbKind,
} from '../../../test/support/test-database.js';
import { buildApp } from '../../app.js';
import { type Database, openDatabase } from '../../platform/db/index.js';
import type { MailMessage, Mailer } from '../../platform/mail/index.js';
import { createFrameworkService } from '../framework/index.js';
import { planGoals, planReminders } from './learning.tables.js';
import { addDays, formatPlanDate, todayIn } from './plans.dates.js';
import { countRows } from './plans.fixtures.js';
import { remindersRepository } from './reminders.repository.js';
import {
  CLAIM_MS,
  createRemindersService,
  MAX_ATTEMPTS,
  reminderEmail,
} from './reminders.service.js';

const PUBLIC_URL = 'https://digicap.example.org';

let app: FastifyInstance;
/** The same database through a second, separate connection (PostgreSQL) or the same one (PGlite). */
let second: Database;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  if (testDbKind() === 'postgres') {
    const { url, drop } = await createServerDatabase();
    const first = await openDatabase({ kind: 'postgres', url, poolSize: 4 }, migrationsFolder);
    app = await buildApp(testConfig(), { database: first, logger: false, latestTtlMs: 0 });
    second = await openDatabase({ kind: 'postgres', url, poolSize: 4 }, migrationsFolder);
    cleanup = async () => {
      await app.close();
      await second.close();
      await drop();
    };
  } else {
    app = await buildApp(testConfig(), {
      database: await openDatabase({ kind: 'pglite-memory' }, migrationsFolder),
      logger: false,
      latestTtlMs: 0,
    });
    second = app.services.database;
    cleanup = () => app.close();
  }
}, 120_000);
afterAll(async () => {
  await cleanup();
});
beforeEach(async () => {
  // Each test starts with no goals (and so no reminders): runs look at every goal.
  await app.services.database.db.delete(planGoals);
});

/** A mailer that keeps what it sends; `delayMs` makes each send slow, `fail` makes some fail. */
function recordingMailer(
  options: { delayMs?: number; fail?: (m: MailMessage) => boolean } = {},
): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message) {
      if (options.delayMs) await sleep(options.delayMs);
      if (options.fail?.(message)) throw new Error('SMTP server said no');
      sent.push(message);
    },
  };
}

type Clock = { now: Date };

function worker(
  database: Database,
  mailer: Mailer,
  name: string,
  clock: Clock = { now: new Date() },
) {
  return createRemindersService({
    database,
    mailer,
    // Each worker reads the framework through its own connection, as an instance would.
    frameworks:
      database === app.services.database
        ? app.services.frameworks
        : createFrameworkService({ database }),
    publicUrl: PUBLIC_URL,
    workerId: name,
    now: () => clock.now,
  });
}

const today = () => todayIn(new Date());

/** A goal for a new person, `daysAhead` from today (negative: overdue). */
async function goal(daysAhead: number, options: { status?: 'done'; name?: string } = {}) {
  const name = options.name ?? 'Riley Reminded';
  const personId = await makePerson(app.services.database, name);
  const { goalId } = await app.services.plans.createGoal(personId, {
    areaCode: '6.2',
    targetLevel: 2,
    targetDate: addDays(today(), daysAhead),
    notes: '',
    from: '',
    resource: '',
  });
  if (options.status)
    await app.services.database.db
      .update(planGoals)
      .set({ status: options.status })
      .where(eq(planGoals.id, goalId));
  return { goalId, personId };
}

const goalIdIn = (m: MailMessage) => /\/plan\/goals\/([0-9a-f-]{36})/.exec(m.text)?.[1] ?? '';

async function ledger() {
  return app.services.database.db
    .select()
    .from(planReminders)
    .orderBy(planReminders.goalId, planReminders.kind);
}

describe('exactly once with two workers at the same time', () => {
  it('sends every reminder once, whichever worker gets it', async () => {
    const goals = [
      ...(await Promise.all(Array.from({ length: 12 }, (_v, i) => goal((i % 7) + 1)))),
      ...(await Promise.all(Array.from({ length: 12 }, (_v, i) => goal(-1 - i)))),
    ];
    // Not reminded: done, or due more than a week away.
    await goal(-3, { status: 'done' });
    await goal(30);
    const slow = recordingMailer({ delayMs: 25 });
    const fast = recordingMailer();
    const a = worker(app.services.database, slow, 'instance-a');
    const b = worker(second, fast, 'instance-b');

    const rounds = await Promise.all([a.run(), b.run(), a.run(), b.run()]);
    // And again, once everything has been sent: nothing more.
    const again = await Promise.all([a.run(), b.run()]);

    const sent = [...slow.sent, ...fast.sent].map(goalIdIn);
    expect(sent).toHaveLength(24);
    expect(new Set(sent).size).toBe(24);
    expect(new Set(sent)).toEqual(new Set(goals.map((g) => g.goalId)));
    expect(rounds.reduce((n, r) => n + r.sent, 0)).toBe(24);
    // They really did race: both sent some, and each lost claims to the other.
    expect(slow.sent.length).toBeGreaterThan(0);
    expect(fast.sent.length).toBeGreaterThan(0);
    expect(rounds.reduce((n, r) => n + r.skipped, 0)).toBeGreaterThan(0);
    expect(again.map((r) => r.sent)).toEqual([0, 0]);
    const rows = await ledger();
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.sentAt !== null && r.attempts === 1)).toBe(true);
    expect(rows.filter((r) => r.kind === 'overdue')).toHaveLength(12);
  });

  it('lets exactly one of many simultaneous claims on one reminder win', async () => {
    const { goalId } = await goal(2);
    const key = { goalId, kind: 'due' as const, targetDate: addDays(today(), 2) };
    const claims = await Promise.all(
      Array.from({ length: 16 }, (_v, i) =>
        remindersRepository.claim(i % 2 === 0 ? app.services.database.db : second.db, key, {
          worker: `w${String(i)}`,
          claimMs: CLAIM_MS,
          maxAttempts: MAX_ATTEMPTS,
        }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});

describe('failures and stalled workers', () => {
  it('retries a failed send once on a later run, and only that one', async () => {
    const { goalId: failing } = await goal(-2, { name: 'Fay Failing' });
    const { goalId: fine } = await goal(-2, { name: 'Finn Fine' });
    let down = true;
    const mailer = recordingMailer({ fail: (m) => down && m.text.includes('Fay Failing') });
    const w = worker(app.services.database, mailer, 'w');

    expect(await w.run()).toEqual({ sent: 1, failed: 1, skipped: 0 });
    const [row] = (await ledger()).filter((r) => r.goalId === failing);
    expect(row).toMatchObject({ sentAt: null, attempts: 1 });

    down = false;
    expect(await w.run()).toEqual({ sent: 1, failed: 0, skipped: 0 });
    expect(await w.run()).toEqual({ sent: 0, failed: 0, skipped: 0 });
    expect(mailer.sent.map(goalIdIn).sort()).toEqual([failing, fine].sort());
    expect((await ledger()).find((r) => r.goalId === failing)).toMatchObject({ attempts: 2 });
  });

  it(`gives up after ${String(MAX_ATTEMPTS)} failed attempts`, async () => {
    await goal(-1);
    const w = worker(app.services.database, recordingMailer({ fail: () => true }), 'w');
    for (let i = 0; i < MAX_ATTEMPTS; i += 1) expect((await w.run()).failed).toBe(1);
    expect(await w.run()).toEqual({ sent: 0, failed: 0, skipped: 0 });
  });

  it('takes over a claim whose worker stopped, once the claim has expired', async () => {
    const { goalId } = await goal(3);
    const key = { goalId, kind: 'due' as const, targetDate: addDays(today(), 3) };
    expect(
      await remindersRepository.claim(app.services.database.db, key, {
        worker: 'stopped-instance',
        claimMs: CLAIM_MS,
        maxAttempts: MAX_ATTEMPTS,
      }),
    ).toBe(true);
    const mailer = recordingMailer();
    // A worker whose own clock is far ahead still leaves a live claim alone: claims are timed
    // by the database's clock.
    const w = worker(second, mailer, 'w', { now: new Date(Date.now() + 2 * CLAIM_MS) });
    expect(await w.run()).toEqual({ sent: 0, failed: 0, skipped: 0 });
    // The claim runs out (moved into the past, as time passing would).
    await app.services.database.db.execute(
      sql`update plan_reminders set claimed_until = now() - interval '1 second'
          where goal_id = ${goalId}::uuid`,
    );
    expect(await w.run()).toEqual({ sent: 1, failed: 0, skipped: 0 });
    expect(mailer.sent.map(goalIdIn)).toEqual([goalId]);
    expect((await ledger())[0]).toMatchObject({ claimedBy: 'w', attempts: 2 });
  });
});

describe('which reminders', () => {
  it('sends nothing for done goals or goals due later', async () => {
    await goal(-5, { status: 'done' });
    await goal(2, { status: 'done' });
    await goal(8);
    const mailer = recordingMailer();
    expect(await worker(app.services.database, mailer, 'w').run()).toEqual({
      sent: 0,
      failed: 0,
      skipped: 0,
    });
    expect(await countRows(app.services.database, 'plan_reminders')).toBe(0);
  });

  it('sends new reminders for a new target date, and one of each kind per date', async () => {
    const { goalId, personId } = await goal(5);
    const mailer = recordingMailer();
    const w = worker(app.services.database, mailer, 'w');
    const change = (days: number) =>
      app.services.plans.updateGoal(personId, goalId, {
        targetLevel: 2,
        targetDate: addDays(today(), days),
        status: 'in_progress',
        notes: '',
      });
    expect((await w.run()).sent).toBe(1);
    await change(6);
    expect((await w.run()).sent).toBe(1);
    await change(40);
    expect((await w.run()).sent).toBe(0);
    await change(-1);
    expect((await w.run()).sent).toBe(1);
    await change(5);
    expect((await w.run()).sent).toBe(0);
    expect((await ledger()).map((r) => [r.kind, r.targetDate])).toEqual(
      expect.arrayContaining([
        ['due', addDays(today(), 5)],
        ['due', addDays(today(), 6)],
        ['overdue', addDays(today(), -1)],
      ]),
    );
    expect(mailer.sent.map((m) => m.subject)).toEqual([
      expect.stringContaining(` is due on ${formatPlanDate(addDays(today(), 5))}`),
      expect.stringContaining(` is due on ${formatPlanDate(addDays(today(), 6))}`),
      expect.stringContaining(` was due on ${formatPlanDate(addDays(today(), -1))}`),
    ]);
  });

  it('writes plain-language email with a link to the goal', async () => {
    const { goalId } = await goal(-3, { name: 'Robin Reader' });
    const mailer = recordingMailer();
    await worker(app.services.database, mailer, 'w').run();
    const [message] = mailer.sent;
    const model = await app.services.frameworks.getFramework('ai-digital-healthcare');
    const areaName = model.nodesByCode.get('6.2')?.name ?? '';
    expect(areaName).not.toBe('');
    expect(message?.to).toMatch(/@example\.org$/);
    expect(message?.subject).toBe(
      `Your goal for ${areaName} was due on ${formatPlanDate(addDays(today(), -3))}`,
    );
    expect(message?.text).toContain('Hello Robin Reader,');
    expect(message?.text).toContain(`reach level 2 (${model.level(2)?.name ?? ''}) in ${areaName}`);
    expect(message?.text).toContain(`${PUBLIC_URL}/plan/goals/${goalId}`);
  });

  it('erases the ledger with the account', async () => {
    const { personId } = await goal(-1);
    await worker(app.services.database, recordingMailer(), 'w').run();
    expect(await countRows(app.services.database, 'plan_reminders')).toBe(1);
    await app.services.accounts.deleteAccount({ personId, understood: true, ip: '192.0.2.1' });
    expect(await countRows(app.services.database, 'plan_reminders')).toBe(0);
    expect(await countRows(app.services.database, 'plan_goals')).toBe(0);
  });
});

describe('reminderEmail', () => {
  it('says “due” before the date and “was due” after', () => {
    const base = {
      goalId: '00000000-0000-4000-8000-000000000001',
      targetDate: '2026-03-12',
      targetLevel: 3,
      areaCode: '6.2',
      frameworkSlug: 'ai-digital-healthcare',
      frameworkVersion: 1,
      email: 'a@example.org',
      displayName: 'A',
    };
    const names = { areaName: 'Using AI', levelName: 'Critical application' };
    expect(reminderEmail({ ...base, kind: 'due' }, names, PUBLIC_URL).subject).toBe(
      'Your goal for Using AI is due on 12 March 2026',
    );
    expect(reminderEmail({ ...base, kind: 'overdue' }, names, PUBLIC_URL).text).toContain(
      'The target date for one of the goals in your development plan has passed. You planned to reach level 3 (Critical application) in Using AI by 12 March 2026.',
    );
  });
});
