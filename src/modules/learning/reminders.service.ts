/**
 * Email reminders for development plan goals: one when a goal not done is due within
 * DUE_SOON_DAYS ("due"), one when its target date has passed ("overdue"). A reminder is keyed
 * by goal, kind and target date in the plan_reminders ledger, so each is sent once; changing the
 * target date makes the reminders for the new date new ones.
 *
 * Exactly once, with any number of workers (app instances, the `send-reminders` command):
 *   1. claim the reminder (reminders.repository.ts: one insert … on conflict … returning; only
 *      one worker gets the row), for CLAIM_MS;
 *   2. send the email;
 *   3. mark it sent. If sending fails, release the claim (claimed_until = now) so that the next
 *      run tries again, up to MAX_ATTEMPTS times.
 * The one gap no ledger can close: a worker that stops after the email went but before step 3
 * leaves a claim that expires, and the reminder is sent again after CLAIM_MS. CLAIM_MS is far
 * longer than a send may take (the SMTP mailer gives up after 30 s without an answer).
 */
import type { FastifyBaseLogger } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Database } from '../../platform/db/index.js';
import type { Job } from '../../platform/jobs/jobs.js';
import type { Mailer } from '../../platform/mail/index.js';
import type { FrameworkService } from '../framework/index.js';
import { addDays, DUE_SOON_DAYS, formatPlanDate, todayIn } from './plans.dates.js';
import {
  type ReminderCandidate,
  type ReminderKey,
  remindersRepository as repo,
} from './reminders.repository.js';

export interface RemindersServiceDeps {
  database: Database;
  mailer: Mailer;
  frameworks: Pick<FrameworkService, 'getFramework'>;
  /** The site's public address, for the link to the goal. */
  publicUrl: string;
  logger?: Pick<FastifyBaseLogger, 'warn'>;
  /** Today's date for which goals are due (tests move it); claims use the database's clock. */
  now?: () => Date;
  /** This worker's name in the ledger (random unless given). */
  workerId?: string;
  /** How long a claim lasts before another worker may take it over. */
  claimMs?: number;
}

/** What one run did. */
export interface RemindersRunResult {
  /** Reminders this run claimed and sent. */
  sent: number;
  /** Reminders this run claimed but could not send (released for the next run). */
  failed: number;
  /** Candidates another worker had claimed first (or no longer due when claimed). */
  skipped: number;
}

export const CLAIM_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;
/** Reminders handled in one run at most; the rest wait for the next. */
export const BATCH_SIZE = 500;
export const REMINDERS_INTERVAL_MS = 15 * 60_000;
export const REMINDERS_JOB_NAME = 'plan-reminders';

/** The email for one reminder: plain language, with a link to the goal. */
export function reminderEmail(
  candidate: ReminderCandidate,
  names: { areaName: string; levelName: string },
  publicUrl: string,
): { subject: string; text: string } {
  const date = formatPlanDate(candidate.targetDate);
  const link = `${publicUrl}/plan/goals/${candidate.goalId}`;
  const level = `level ${String(candidate.targetLevel)}${names.levelName ? ` (${names.levelName})` : ''}`;
  const overdue = candidate.kind === 'overdue';
  const subject = overdue
    ? `Your goal for ${names.areaName} was due on ${date}`
    : `Your goal for ${names.areaName} is due on ${date}`;
  const text = [
    `Hello ${candidate.displayName},`,
    '',
    overdue
      ? `The target date for one of the goals in your development plan has passed. You planned to reach ${level} in ${names.areaName} by ${date}.`
      : `One of the goals in your development plan is due soon. You planned to reach ${level} in ${names.areaName} by ${date}.`,
    '',
    overdue
      ? 'If you have reached it, mark the goal as done. If you need more time, choose a new target date: it is fine to change your plan.'
      : 'Have a look at how you are getting on, record any learning you have done, or choose a new date if you need more time.',
    '',
    `See your goal: ${link}`,
    '',
    'We send one reminder when a goal is due soon and one when its date has passed. Marking the goal as done stops them.',
    '',
    'digicap',
  ].join('\n');
  return { subject, text };
}

export function createRemindersService({
  database,
  mailer,
  frameworks,
  publicUrl,
  logger,
  now = () => new Date(),
  workerId = `reminders-${randomBytes(6).toString('hex')}`,
  claimMs = CLAIM_MS,
}: RemindersServiceDeps) {
  async function namesFor(candidate: ReminderCandidate) {
    try {
      const model = await frameworks.getFramework(
        candidate.frameworkSlug,
        candidate.frameworkVersion,
      );
      return {
        areaName: model.nodesByCode.get(candidate.areaCode)?.name ?? candidate.areaCode,
        levelName: model.level(candidate.targetLevel)?.name ?? '',
      };
    } catch {
      return { areaName: candidate.areaCode, levelName: '' };
    }
  }

  /** Claims, sends and records one reminder; what happened to it. */
  async function deliver(candidate: ReminderCandidate): Promise<keyof RemindersRunResult> {
    const key: ReminderKey = {
      goalId: candidate.goalId,
      kind: candidate.kind,
      targetDate: candidate.targetDate,
    };
    const claimed = await repo.claim(database.db, key, {
      worker: workerId,
      claimMs,
      maxAttempts: MAX_ATTEMPTS,
    });
    if (!claimed) return 'skipped';
    const email = reminderEmail(candidate, await namesFor(candidate), publicUrl);
    try {
      await mailer.send({ to: candidate.email, ...email });
    } catch (error) {
      logger?.warn(
        { err: error, goalId: candidate.goalId, kind: candidate.kind },
        'plan reminder not sent: it will be tried again on the next run',
      );
      await repo.release(database.db, key, workerId);
      return 'failed';
    }
    if (!(await repo.markSent(database.db, key, workerId, now())))
      logger?.warn(
        { goalId: candidate.goalId, kind: candidate.kind },
        'plan reminder sent after its claim had expired',
      );
    return 'sent';
  }

  return {
    workerId,

    /** One pass: every reminder due now, each claimed, sent and recorded. */
    async run(): Promise<RemindersRunResult> {
      const at = now();
      const today = todayIn(at);
      const candidates = await repo.listCandidates(database.db, {
        today,
        horizon: addDays(today, DUE_SOON_DAYS),
        maxAttempts: MAX_ATTEMPTS,
        limit: BATCH_SIZE,
      });
      const result: RemindersRunResult = { sent: 0, failed: 0, skipped: 0 };
      for (const candidate of candidates) result[await deliver(candidate)] += 1;
      return result;
    },
  };
}

export type RemindersService = ReturnType<typeof createRemindersService>;

/** The reminders as a scheduled job (src/platform/jobs), every REMINDERS_INTERVAL_MS. */
export function remindersJob(reminders: Pick<RemindersService, 'run'>): Job {
  return {
    name: REMINDERS_JOB_NAME,
    intervalMs: REMINDERS_INTERVAL_MS,
    run: () => reminders.run(),
  };
}
