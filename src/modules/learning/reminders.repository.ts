/**
 * Data verbs for the reminder ledger, plan_reminders (written only here): which goals need a
 * reminder, claiming one before sending, and marking it sent or releasing the claim. The claim is
 * one statement, so that however many workers race for a reminder, exactly one gets it:
 *
 *   insert into plan_reminders (…) select … from plan_goals where <still due, same date>
 *   on conflict (goal_id, kind, target_date) do update set <claim>
 *     where <not sent> and <the previous claim has expired> and <attempts left>
 *   returning goal_id
 *
 * A new row is a first claim; an existing one is taken over only when nobody has sent it and
 * its claim has run out (a worker that failed to send, or stopped). On PostgreSQL a second
 * worker's insert waits for the first one's row and then re-checks the condition, so it gets no
 * row back; on PGlite statements run one at a time. Same SQL on both.
 */
import { and, asc, eq, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import { people } from '../accounts/accounts.tables.js';
import { frameworks, frameworkVersions } from '../framework/framework.tables.js';
import { planGoals, planReminders } from './learning.tables.js';

export type ReminderKind = 'due' | 'overdue';

/** A goal that should get a reminder now, with what the email needs. */
export interface ReminderCandidate {
  goalId: string;
  kind: ReminderKind;
  targetDate: string;
  targetLevel: number;
  areaCode: string;
  frameworkSlug: string;
  frameworkVersion: number;
  email: string;
  displayName: string;
}

export interface ReminderKey {
  goalId: string;
  kind: ReminderKind;
  targetDate: string;
}

interface Rows<T> {
  rows: T[];
}

export const remindersRepository = {
  /**
   * Goals not done whose target date is on or before `horizon` (overdue when before `today`)
   * and whose reminder for that kind and date is neither sent, nor claimed by a worker now, nor
   * out of attempts. Soonest first.
   */
  async listCandidates(
    db: Db,
    input: { today: string; horizon: string; maxAttempts: number; limit: number },
  ): Promise<ReminderCandidate[]> {
    const kind = sql<string>`case when ${planGoals.targetDate} < ${input.today}::date then 'overdue' else 'due' end`;
    const rows = await db
      .select({
        goalId: planGoals.id,
        kind,
        targetDate: planGoals.targetDate,
        targetLevel: planGoals.targetLevel,
        areaCode: planGoals.areaCode,
        frameworkSlug: frameworks.slug,
        frameworkVersion: frameworkVersions.version,
        email: people.email,
        displayName: people.displayName,
      })
      .from(planGoals)
      .innerJoin(people, eq(people.id, planGoals.personId))
      .innerJoin(frameworkVersions, eq(frameworkVersions.id, planGoals.frameworkVersionId))
      .innerJoin(frameworks, eq(frameworks.id, frameworkVersions.frameworkId))
      .where(
        and(
          ne(planGoals.status, 'done'),
          lte(planGoals.targetDate, input.horizon),
          sql`not exists (
            select 1 from ${planReminders}
            where ${planReminders.goalId} = ${planGoals.id}
              and ${planReminders.targetDate} = ${planGoals.targetDate}
              and ${planReminders.kind} = ${kind}
              and (${planReminders.sentAt} is not null
                or ${planReminders.claimedUntil} > now()
                or ${planReminders.attempts} >= ${input.maxAttempts}))`,
        ),
      )
      .orderBy(asc(planGoals.targetDate), asc(planGoals.id))
      .limit(input.limit);
    return rows.map((r) => ({ ...r, kind: r.kind === 'overdue' ? 'overdue' : 'due' }));
  },

  /**
   * Claims a reminder for `worker` for `claimMs`, if the goal is still not done with that target
   * date and nobody has sent or is sending it. True when this worker now holds the claim.
   *
   * Claims are timed by the database's clock, never an instance's: instances whose clocks
   * disagree by more than a claim's length would otherwise take over each other's live claims
   * and send a reminder twice (the scheduler in src/platform/jobs does the same).
   */
  async claim(
    db: Db,
    key: ReminderKey,
    input: { worker: string; claimMs: number; maxAttempts: number },
  ): Promise<boolean> {
    const result = (await db.execute<{ goal_id: string }>(sql`
      insert into plan_reminders
        (goal_id, kind, target_date, claimed_by, claimed_until, attempts, created_at)
      select g.id, ${key.kind}::text, g.target_date, ${input.worker}::text,
             now() + ${input.claimMs}::integer * interval '1 millisecond', 1, now()
        from plan_goals g
       where g.id = ${key.goalId}::uuid
         and g.status <> 'done'
         and g.target_date = ${key.targetDate}::date
      on conflict (goal_id, kind, target_date) do update
         set claimed_by = excluded.claimed_by,
             claimed_until = excluded.claimed_until,
             attempts = plan_reminders.attempts + 1
       where plan_reminders.sent_at is null
         and plan_reminders.claimed_until <= now()
         and plan_reminders.attempts < ${input.maxAttempts}
      returning goal_id`)) as Rows<{ goal_id: string }>;
    return result.rows.length > 0;
  },

  /** Records the reminder as sent; false when this worker no longer held the claim. */
  async markSent(db: Db, key: ReminderKey, worker: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(planReminders)
      .set({ sentAt: at })
      .where(and(matches(key), eq(planReminders.claimedBy, worker), isNull(planReminders.sentAt)))
      .returning({ goalId: planReminders.goalId });
    return rows.length > 0;
  },

  /** Gives up this worker's claim (the send failed), so that a later run tries again. */
  async release(db: Db, key: ReminderKey, worker: string): Promise<void> {
    await db
      .update(planReminders)
      .set({ claimedUntil: sql`now()` })
      .where(and(matches(key), eq(planReminders.claimedBy, worker), isNull(planReminders.sentAt)));
  },
};

function matches(key: ReminderKey) {
  return and(
    eq(planReminders.goalId, key.goalId),
    eq(planReminders.kind, key.kind),
    eq(planReminders.targetDate, key.targetDate),
  );
}
