/**
 * The self-assessment: start (or continue) one, record answers, see where it stands, submit it.
 * Every verb checks assessment.policy.ts first (only the owner; submitted ones never change).
 *
 * Answers are saved one row per statement the moment they arrive, under a lock on the
 * assessment's row, so two tabs answering different statements both keep their answers and no
 * answer lands after submission. A request with any tampered statement id or malformed value is
 * refused whole, with every problem listed, and writes nothing.
 */
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { type Database, isUniqueViolation, isUuid } from '../../platform/db/index.js';
import {
  ConflictError,
  DomainError,
  InvalidInputError,
  NotFoundError,
} from '../../platform/errors.js';
import type { FieldError } from '../../platform/forms.js';
import type { ProfileService } from '../accounts/index.js';
import {
  DEFAULT_FRAMEWORK_SLUG,
  type FrameworkModel,
  type FrameworkService,
  isArchetypeCode,
} from '../framework/index.js';
import type { AssessmentMode, AssessmentResults } from './assessment.model.js';
import {
  type AssessmentPlan,
  computeResults,
  estimatedMinutes,
  planAssessment,
} from './assessment.plan.js';
import { ensureChangeable, ensureOwner } from './assessment.policy.js';
import { type AssessmentRow, assessmentRepository as repo } from './assessment.repository.js';
import {
  type Answers,
  assessmentPool,
  type AssessmentPool,
  estimateStatementCount,
} from './engine/adaptive-engine.js';
import { type AnswerValue, formatAnswerValue, parseAnswerValue } from './engine/scale.js';

export type Assessment = AssessmentRow;

export interface AssessmentServiceDeps {
  database: Database;
  frameworks: FrameworkService;
  profiles: Pick<ProfileService, 'getProfile'>;
  audit: AuditLog;
  now?: () => Date;
}

/** Bad input for one or more fields; pages show each inline and in the error summary (422). */
export class AssessmentFieldError extends DomainError {
  override name = 'AssessmentFieldError';
  override readonly statusCode = 422;
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super(errors.map((e) => e.text).join('. '));
    this.errors = errors;
  }
}

/** Submission refused: some areas still have statements to answer. */
export class AssessmentIncompleteError extends ConflictError {
  override name = 'AssessmentIncompleteError';
  constructor(readonly unfinishedAreaCodes: string[]) {
    super(
      `You have ${String(unfinishedAreaCodes.length)} ${unfinishedAreaCodes.length === 1 ? 'area' : 'areas'} still to finish before you can submit`,
    );
  }
}

export const ASSESSMENT_MODES: readonly AssessmentMode[] = ['focused', 'full'];

export function isAssessmentMode(value: string): value is AssessmentMode {
  return (ASSESSMENT_MODES as readonly string[]).includes(value);
}

export interface StartOptions {
  mode: string;
  archetypeCodes: readonly string[];
  /** Copy the answers of the person's latest submitted assessment (statements still asked). */
  fromPrevious?: boolean;
}

/** An assessment recorded in one go (internal: demo seeding). */
interface RecordedAssessmentInput {
  mode: string;
  archetypeCodes: readonly string[];
  /** Statement id → '0'…'3' or 'not-relevant'. */
  answers: ReadonlyMap<string, string>;
}

/** A finished assessment: `answers` has every statement the assessment asks. */
export interface CompletedAssessmentInput extends RecordedAssessmentInput {
  /** When it was submitted: not in the future. */
  submittedAt: Date;
  /** When it was started (default: `submittedAt`): not after `submittedAt`. */
  startedAt?: Date;
}

/** An assessment part way through, left at `currentAreaCode` (an area it asks). */
export interface InProgressAssessmentInput extends RecordedAssessmentInput {
  currentAreaCode: string;
  startedAt: Date;
  /** When the person last answered or moved on (default: `startedAt`); not in the future. */
  updatedAt?: Date;
}

/** An assessment with everything pages need: its framework version, pool, answers and plan. */
export interface AssessmentWorkspace {
  assessment: Assessment;
  framework: FrameworkModel;
  pool: AssessmentPool;
  answers: Answers;
  plan: AssessmentPlan;
}

export function createAssessmentService({
  database,
  frameworks,
  profiles,
  audit,
  now = () => new Date(),
}: AssessmentServiceDeps) {
  const frameworkOf = (a: Pick<Assessment, 'frameworkSlug' | 'frameworkVersion'>) =>
    frameworks.getFramework(a.frameworkSlug, a.frameworkVersion);

  const poolOf = (framework: FrameworkModel, archetypeCodes: readonly string[]) =>
    assessmentPool(framework.data, archetypeCodes.filter(isArchetypeCode));

  async function answersOf(assessmentId: string): Promise<Map<string, AnswerValue>> {
    const rows = await repo.listAnswers(database.db, assessmentId);
    const answers = new Map<string, AnswerValue>();
    for (const row of rows) {
      const value = parseAnswerValue(row.value);
      if (value !== undefined) answers.set(row.statementId, value);
    }
    return answers;
  }

  async function findOwned(personId: string, id: string): Promise<Assessment> {
    return ensureOwner(personId, isUuid(id) ? await repo.findById(database.db, id) : undefined);
  }

  async function workspaceOf(assessment: Assessment): Promise<AssessmentWorkspace> {
    const [framework, answers] = await Promise.all([
      frameworkOf(assessment),
      answersOf(assessment.id),
    ]);
    const pool = poolOf(framework, assessment.archetypeCodes);
    const plan = planAssessment(pool, assessment.mode, answers, assessment.currentAreaCode);
    return { assessment, framework, pool, answers, plan };
  }

  /** Problems with the choices for a new assessment (field errors), empty when fine. */
  function startProblems(options: StartOptions): FieldError[] {
    const errors: FieldError[] = [];
    if (!isAssessmentMode(options.mode))
      errors.push({ field: 'mode', text: 'Choose how you want to assess yourself' });
    if (options.archetypeCodes.length === 0)
      errors.push({ field: 'archetypeCodes', text: 'Choose at least one archetype' });
    else if (!options.archetypeCodes.every(isArchetypeCode))
      errors.push({ field: 'archetypeCodes', text: 'Choose archetypes from the list' });
    return errors;
  }

  /**
   * For the internal recording verbs: checks the choices, the dates (in order, none in the
   * future) and every answer as the journey would (AssessmentFieldError lists each problem,
   * InvalidInputError for dates), and works out the pool and answers against the latest
   * framework version.
   */
  async function recorded(input: RecordedAssessmentInput, dates: readonly Date[]) {
    const errors = startProblems(input);
    if (errors.length > 0) throw new AssessmentFieldError(errors);
    if (dates.some((d, i) => i > 0 && d.getTime() < (dates[i - 1] ?? d).getTime()))
      throw new InvalidInputError('An assessment cannot be submitted or changed before it started');
    if (dates.some((d) => d.getTime() > now().getTime()))
      throw new InvalidInputError(
        'An assessment cannot be started, changed or submitted in the future',
      );
    const mode = input.mode as AssessmentMode;
    const framework = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const order = framework.data.archetypes.map((a) => a.code);
    const archetypeCodes = order.filter((code) => input.archetypeCodes.includes(code));
    const pool = poolOf(framework, archetypeCodes);
    const answers = new Map<string, AnswerValue>();
    const rows: { statementId: string; value: string }[] = [];
    for (const [statementId, raw] of input.answers) {
      const value = parseAnswerValue(raw);
      if (!pool.statements.has(statementId))
        errors.push({
          field: statementId,
          text: `“${statementId.slice(0, 40)}” is not a statement in this assessment`,
        });
      else if (value === undefined)
        errors.push({ field: statementId, text: 'Choose one of the answers shown' });
      else {
        answers.set(statementId, value);
        rows.push({ statementId, value: formatAnswerValue(value) });
      }
    }
    if (errors.length > 0) throw new AssessmentFieldError(errors);
    return { mode, framework, archetypeCodes, pool, answers, rows };
  }

  /** Runs `write`, turning "a second assessment in progress" into a ConflictError. */
  async function onlyOneInProgress<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError('This person already has an assessment in progress');
      throw error;
    }
  }

  return {
    /**
     * Starts an assessment, or returns the one already in progress (`continued`: there is only
     * ever one in progress, so two tabs starting at once end up in the same one).
     */
    async startAssessment(
      personId: string,
      options: StartOptions,
      ip?: string,
    ): Promise<{ assessment: Assessment; continued: boolean; copied: number }> {
      const existing = await repo.findInProgress(database.db, personId);
      if (existing) return { assessment: existing, continued: true, copied: 0 };
      const errors = startProblems(options);
      if (errors.length > 0) throw new AssessmentFieldError(errors);
      const mode = options.mode as AssessmentMode;
      const framework = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
      const order = framework.data.archetypes.map((a) => a.code);
      const archetypeCodes = order.filter((code) => options.archetypeCodes.includes(code));
      const pool = poolOf(framework, archetypeCodes);
      const profile = await profiles.getProfile(personId);
      if (!profile) throw new NotFoundError('We could not find your account');
      const previous = options.fromPrevious
        ? await repo.findLatestSubmitted(database.db, personId)
        : undefined;
      const at = now();
      try {
        const { id, copied } = await database.transaction(async (tx) => {
          const id = await repo.insert(tx, {
            personId,
            frameworkVersionId: framework.versionInfo.versionId,
            mode,
            archetypeCodes,
            professionCode: profile.professionCode,
            workSettingCode: profile.workSettingCode,
            currentAreaCode: pool.areas[0]?.areaCode ?? null,
            basedOnAssessmentId: previous?.id ?? null,
            now: at,
          });
          // Only answers to statements this version still asks this person: the rest would be
          // answers outside the assessment.
          const carried = previous
            ? (await repo.listAnswers(tx, previous.id)).filter(
                (a) =>
                  pool.statements.has(a.statementId) && parseAnswerValue(a.value) !== undefined,
              )
            : [];
          await repo.upsertAnswers(tx, id, carried, at);
          await audit.record(
            {
              action: 'assessment.started',
              actorPersonId: personId,
              subjectType: 'assessment',
              subjectId: id,
              ip,
              details: {
                mode,
                archetypeCodes,
                frameworkVersion: framework.version,
                ...(previous ? { basedOn: previous.id, answersCopied: carried.length } : {}),
              },
            },
            tx,
          );
          return { id, copied: carried.length };
        });
        const assessment = await repo.findById(database.db, id);
        if (!assessment) throw new Error('assessment not found after insert');
        return { assessment, continued: false, copied };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Another request started one first: continue that one.
        const winner = await repo.findInProgress(database.db, personId);
        if (!winner) throw error;
        return { assessment: winner, continued: true, copied: 0 };
      }
    },

    async getInProgress(personId: string): Promise<Assessment | undefined> {
      return repo.findInProgress(database.db, personId);
    },

    async getLatestSubmitted(personId: string): Promise<Assessment | undefined> {
      return repo.findLatestSubmitted(database.db, personId);
    },

    /** The person's own assessment, or NotFoundError (also for malformed or others' ids). */
    getForOwner: findOwned,

    /** The person's assessments, newest first (in progress and submitted). */
    async listForOwner(personId: string): Promise<Assessment[]> {
      return repo.listForPerson(database.db, personId);
    },

    /** The framework version an assessment was taken against. */
    frameworkFor: frameworkOf,

    /** The owner's assessment with its framework, pool, answers and plan. */
    async workspace(personId: string, id: string): Promise<AssessmentWorkspace> {
      return workspaceOf(await findOwned(personId, id));
    },

    /** Areas to do and done, the next area and the time left. */
    async plan(assessment: Assessment): Promise<AssessmentPlan> {
      return (await workspaceOf(assessment)).plan;
    },

    /** Statements and minutes for each mode, for the start page. */
    async startEstimates(archetypeCodes: readonly string[]) {
      const framework = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
      const pool = poolOf(framework, archetypeCodes);
      return {
        focused: {
          statements: estimateStatementCount(pool, 'focused'),
          minutes: estimatedMinutes(pool, 'focused'),
        },
        full: {
          statements: estimateStatementCount(pool, 'full'),
          minutes: estimatedMinutes(pool, 'full'),
        },
        areas: pool.areas.length,
      };
    },

    /**
     * Saves answers given on one area's page (statement id → '0'…'3' or 'not-relevant') and
     * remembers the area as where the person is. Every id must be a statement of that area in
     * this assessment and every value on the scale; otherwise AssessmentFieldError lists each
     * problem and nothing is written.
     */
    async recordAnswers(
      personId: string,
      assessmentId: string,
      areaCode: string,
      answers: Readonly<Record<string, string>>,
    ): Promise<void> {
      const owned = await findOwned(personId, assessmentId);
      ensureChangeable(personId, owned);
      const framework = await frameworkOf(owned);
      const pool = poolOf(framework, owned.archetypeCodes);
      if (!pool.areas.some((a) => a.areaCode === areaCode))
        throw new NotFoundError('That area is not part of this assessment');
      const errors: FieldError[] = [];
      const valid: { statementId: string; value: string }[] = [];
      for (const [statementId, raw] of Object.entries(answers)) {
        const where = pool.statements.get(statementId);
        const value = typeof raw === 'string' ? parseAnswerValue(raw) : undefined;
        if (where?.areaCode !== areaCode)
          errors.push({
            field: statementId,
            text: `“${statementId.slice(0, 40)}” is not a statement in this area of your assessment`,
          });
        else if (value === undefined)
          errors.push({ field: statementId, text: 'Choose one of the answers shown' });
        else valid.push({ statementId, value: formatAnswerValue(value) });
      }
      if (errors.length > 0) throw new AssessmentFieldError(errors);
      await database.transaction(async (tx) => {
        ensureChangeable(personId, await repo.lockById(tx, assessmentId));
        const at = now();
        await repo.upsertAnswers(tx, assessmentId, valid, at);
        await repo.touch(tx, assessmentId, areaCode, at);
      });
    },

    /** Remembers the area the person is on (for "come back later"), without answering. */
    async visitArea(personId: string, assessmentId: string, areaCode: string): Promise<void> {
      const owned = ensureChangeable(personId, await findOwned(personId, assessmentId));
      const pool = poolOf(await frameworkOf(owned), owned.archetypeCodes);
      if (!pool.areas.some((a) => a.areaCode === areaCode))
        throw new NotFoundError('That area is not part of this assessment');
      if (owned.currentAreaCode !== areaCode)
        await repo.touch(database.db, assessmentId, areaCode, now());
    },

    /**
     * "Start again": deletes the owner's in-progress assessment and all its answers, in one
     * transaction, so they can choose archetypes and mode afresh. Their submitted assessments
     * are untouched; a submitted one is refused (AssessmentSubmittedError, 409).
     */
    async abandon(personId: string, assessmentId: string, ip?: string): Promise<void> {
      ensureChangeable(personId, await findOwned(personId, assessmentId));
      await database.transaction(async (tx) => {
        const assessment = ensureChangeable(personId, await repo.lockById(tx, assessmentId));
        const answers = await repo.deleteAnswers(tx, assessmentId);
        if (!(await repo.deleteInProgress(tx, assessmentId)))
          throw new ConflictError('This assessment has already been submitted');
        await audit.record(
          {
            action: 'assessment.abandoned',
            actorPersonId: personId,
            subjectType: 'assessment',
            subjectId: assessmentId,
            ip,
            details: {
              mode: assessment.mode,
              archetypeCodes: assessment.archetypeCodes,
              answersDeleted: answers,
            },
          },
          tx,
        );
      });
    },

    /**
     * Records a whole self-assessment that is already finished, as if the person had started
     * it at `startedAt`, answered every statement and submitted it at `submittedAt`: inserts the
     * assessment (against the latest framework version, with the person's profile as it is
     * now), all its answers in one statement, and the results snapshot that `submit` would
     * freeze (the same planAssessment and computeResults), in one transaction. Internal: for demo
     * seeding, which records hundreds of synthetic staff's assessments at start-up; no owner or
     * policy check beyond that (the caller vouches for the person), otherwise refused as the
     * journey would be: bad choices or answers outside the assessment (AssessmentFieldError, and
     * nothing is written), an unfinished area (AssessmentIncompleteError), dates in the future
     * or out of order (InvalidInputError), and a person with an assessment in progress
     * (ConflictError: there is only ever one).
     */
    async recordCompletedAssessment(
      personId: string,
      input: CompletedAssessmentInput,
    ): Promise<{ assessmentId: string; results: AssessmentResults }> {
      const { submittedAt } = input;
      const startedAt = input.startedAt ?? submittedAt;
      const { mode, framework, archetypeCodes, pool, answers, rows } = await recorded(input, [
        startedAt,
        submittedAt,
      ]);
      // The last area, as the journey leaves it just before submission.
      const lastAreaCode = pool.areas.at(-1)?.areaCode ?? null;
      const plan = planAssessment(pool, mode, answers, lastAreaCode);
      if (!plan.complete)
        throw new AssessmentIncompleteError(
          plan.areas.filter((a) => a.status !== 'done').map((a) => a.areaCode),
        );
      const profile = await profiles.getProfile(personId);
      if (!profile) throw new NotFoundError('We could not find that account');
      const results = computeResults({
        framework,
        pool,
        mode,
        answers,
        archetypeCodes,
        professionCode: profile.professionCode,
        workSettingCode: profile.workSettingCode,
        submittedAt,
      });
      const assessmentId = await onlyOneInProgress(() =>
        database.transaction(async (tx) => {
          const id = await repo.insert(tx, {
            personId,
            frameworkVersionId: framework.versionInfo.versionId,
            mode,
            archetypeCodes,
            professionCode: profile.professionCode,
            workSettingCode: profile.workSettingCode,
            currentAreaCode: lastAreaCode,
            basedOnAssessmentId: null,
            now: startedAt,
          });
          await repo.upsertAnswers(tx, id, rows, submittedAt);
          if (!(await repo.markSubmitted(tx, id, results, submittedAt)))
            throw new Error('assessment not in progress just after insert');
          await audit.record(
            {
              action: 'assessment.submitted',
              actorPersonId: personId,
              subjectType: 'assessment',
              subjectId: id,
              details: {
                mode,
                areas: results.areas.length,
                gaps: results.gaps.length,
                recorded: {
                  startedAt: startedAt.toISOString(),
                  submittedAt: submittedAt.toISOString(),
                },
              },
            },
            tx,
          );
          return id;
        }),
      );
      return { assessmentId, results };
    },

    /**
     * Records an assessment part way through, as if the person had started it at `startedAt`,
     * given `answers` and left it at `currentAreaCode` at `updatedAt`, in one transaction: what
     * startAssessment, recordAnswers for each area and visitArea would leave. Internal: for demo
     * seeding (assessments in progress for "where people stop"), with the same checks and
     * refusals as recordCompletedAssessment except that areas may be unfinished; NotFoundError
     * for an area the assessment does not ask.
     */
    async recordAssessmentInProgress(
      personId: string,
      input: InProgressAssessmentInput,
    ): Promise<{ assessmentId: string }> {
      const { startedAt } = input;
      const updatedAt = input.updatedAt ?? startedAt;
      const { mode, framework, archetypeCodes, pool, rows } = await recorded(input, [
        startedAt,
        updatedAt,
      ]);
      if (!pool.areas.some((a) => a.areaCode === input.currentAreaCode))
        throw new NotFoundError('That area is not part of this assessment');
      const profile = await profiles.getProfile(personId);
      if (!profile) throw new NotFoundError('We could not find that account');
      const assessmentId = await onlyOneInProgress(() =>
        database.transaction(async (tx) => {
          const id = await repo.insert(tx, {
            personId,
            frameworkVersionId: framework.versionInfo.versionId,
            mode,
            archetypeCodes,
            professionCode: profile.professionCode,
            workSettingCode: profile.workSettingCode,
            currentAreaCode: input.currentAreaCode,
            basedOnAssessmentId: null,
            now: startedAt,
          });
          await repo.upsertAnswers(tx, id, rows, updatedAt);
          await repo.touch(tx, id, input.currentAreaCode, updatedAt);
          await audit.record(
            {
              action: 'assessment.started',
              actorPersonId: personId,
              subjectType: 'assessment',
              subjectId: id,
              details: {
                mode,
                archetypeCodes,
                frameworkVersion: framework.version,
                recorded: { startedAt: startedAt.toISOString(), answers: rows.length },
              },
            },
            tx,
          );
          return id;
        }),
      );
      return { assessmentId };
    },

    /**
     * Freezes the assessment with its results, in one transaction. Refused while any area still
     * has statements to answer (AssessmentIncompleteError) and for a submitted one.
     */
    async submit(personId: string, assessmentId: string, ip?: string): Promise<AssessmentResults> {
      const owned = await findOwned(personId, assessmentId);
      ensureChangeable(personId, owned);
      const framework = await frameworkOf(owned);
      return database.transaction(async (tx) => {
        const assessment = ensureChangeable(personId, await repo.lockById(tx, assessmentId));
        const answers = new Map<string, AnswerValue>();
        for (const row of await repo.listAnswers(tx, assessmentId)) {
          const value = parseAnswerValue(row.value);
          if (value !== undefined) answers.set(row.statementId, value);
        }
        const pool = poolOf(framework, assessment.archetypeCodes);
        const plan = planAssessment(pool, assessment.mode, answers, assessment.currentAreaCode);
        if (!plan.complete)
          throw new AssessmentIncompleteError(
            plan.areas.filter((a) => a.status !== 'done').map((a) => a.areaCode),
          );
        const at = now();
        const results = computeResults({
          framework,
          pool,
          mode: assessment.mode,
          answers,
          archetypeCodes: assessment.archetypeCodes,
          professionCode: assessment.professionCode,
          workSettingCode: assessment.workSettingCode,
          submittedAt: at,
        });
        if (!(await repo.markSubmitted(tx, assessmentId, results, at)))
          throw new ConflictError('This assessment has already been submitted');
        await audit.record(
          {
            action: 'assessment.submitted',
            actorPersonId: personId,
            subjectType: 'assessment',
            subjectId: assessmentId,
            ip,
            details: {
              mode: assessment.mode,
              areas: results.areas.length,
              gaps: results.gaps.length,
            },
          },
          tx,
        );
        return results;
      });
    },
  };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
