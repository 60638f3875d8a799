/** Data verbs for assessments and their answers. No business rules. */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { type Db, insertedRow } from '../../platform/db/index.js';
import { frameworks, frameworkVersions } from '../framework/framework.tables.js';
import type { AssessmentMode, AssessmentResults, AssessmentStatus } from './assessment.model.js';
import { assessmentAnswers, assessments } from './assessment.tables.js';

export interface AssessmentRow {
  id: string;
  personId: string;
  frameworkVersionId: number;
  /** The framework and version number the assessment is against (from framework_versions). */
  frameworkSlug: string;
  frameworkVersion: number;
  mode: AssessmentMode;
  archetypeCodes: string[];
  professionCode: string | null;
  workSettingCode: string | null;
  status: AssessmentStatus;
  currentAreaCode: string | null;
  basedOnAssessmentId: string | null;
  results: AssessmentResults | null;
  startedAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
}

export interface AnswerRow {
  statementId: string;
  value: string;
  answeredAt: Date;
  updatedAt: Date;
}

export interface NewAssessment {
  personId: string;
  frameworkVersionId: number;
  mode: AssessmentMode;
  archetypeCodes: string[];
  professionCode: string | null;
  workSettingCode: string | null;
  currentAreaCode: string | null;
  basedOnAssessmentId: string | null;
  now: Date;
}

const columns = {
  id: assessments.id,
  personId: assessments.personId,
  frameworkVersionId: assessments.frameworkVersionId,
  frameworkSlug: frameworks.slug,
  frameworkVersion: frameworkVersions.version,
  mode: sql<AssessmentMode>`${assessments.mode}`,
  archetypeCodes: assessments.archetypeCodes,
  professionCode: assessments.professionCode,
  workSettingCode: assessments.workSettingCode,
  status: sql<AssessmentStatus>`${assessments.status}`,
  currentAreaCode: assessments.currentAreaCode,
  basedOnAssessmentId: assessments.basedOnAssessmentId,
  results: sql<AssessmentResults | null>`${assessments.results}`,
  startedAt: assessments.startedAt,
  updatedAt: assessments.updatedAt,
  submittedAt: assessments.submittedAt,
};

function selectAssessments(db: Db) {
  return db
    .select(columns)
    .from(assessments)
    .innerJoin(frameworkVersions, eq(frameworkVersions.id, assessments.frameworkVersionId))
    .innerJoin(frameworks, eq(frameworks.id, frameworkVersions.frameworkId));
}

export const assessmentRepository = {
  /** Inserts an in-progress assessment; the one-in-progress-per-person index may refuse it. */
  async insert(db: Db, a: NewAssessment): Promise<string> {
    const row = insertedRow(
      await db
        .insert(assessments)
        .values({
          personId: a.personId,
          frameworkVersionId: a.frameworkVersionId,
          mode: a.mode,
          archetypeCodes: a.archetypeCodes,
          professionCode: a.professionCode,
          workSettingCode: a.workSettingCode,
          currentAreaCode: a.currentAreaCode,
          basedOnAssessmentId: a.basedOnAssessmentId,
          startedAt: a.now,
          updatedAt: a.now,
        })
        .returning({ id: assessments.id }),
    );
    return row.id;
  },

  async findById(db: Db, id: string): Promise<AssessmentRow | undefined> {
    const rows = await selectAssessments(db).where(eq(assessments.id, id)).limit(1);
    return rows[0];
  },

  /** Locks the assessment's row until the transaction ends (answers and submission queue up). */
  async lockById(db: Db, id: string): Promise<AssessmentRow | undefined> {
    const locked = await db
      .select({ id: assessments.id })
      .from(assessments)
      .where(eq(assessments.id, id))
      .for('update');
    return locked.length > 0 ? this.findById(db, id) : undefined;
  },

  async findInProgress(db: Db, personId: string): Promise<AssessmentRow | undefined> {
    const rows = await selectAssessments(db)
      .where(and(eq(assessments.personId, personId), eq(assessments.status, 'in_progress')))
      .limit(1);
    return rows[0];
  },

  async findLatestSubmitted(db: Db, personId: string): Promise<AssessmentRow | undefined> {
    const rows = await selectAssessments(db)
      .where(and(eq(assessments.personId, personId), eq(assessments.status, 'submitted')))
      .orderBy(desc(assessments.submittedAt), desc(assessments.startedAt))
      .limit(1);
    return rows[0];
  },

  /** A person's assessments, newest first. */
  async listForPerson(db: Db, personId: string): Promise<AssessmentRow[]> {
    return selectAssessments(db)
      .where(eq(assessments.personId, personId))
      .orderBy(desc(assessments.startedAt), desc(assessments.id));
  },

  async listAnswers(db: Db, assessmentId: string): Promise<AnswerRow[]> {
    return db
      .select({
        statementId: assessmentAnswers.statementId,
        value: assessmentAnswers.value,
        answeredAt: assessmentAnswers.answeredAt,
        updatedAt: assessmentAnswers.updatedAt,
      })
      .from(assessmentAnswers)
      .where(eq(assessmentAnswers.assessmentId, assessmentId))
      .orderBy(asc(assessmentAnswers.answeredAt), asc(assessmentAnswers.statementId));
  },

  /** Inserts or changes one answer per statement; an unchanged value keeps its updated_at. */
  async upsertAnswers(
    db: Db,
    assessmentId: string,
    answers: readonly { statementId: string; value: string }[],
    now: Date,
  ): Promise<void> {
    if (answers.length === 0) return;
    await db
      .insert(assessmentAnswers)
      .values(
        answers.map((a) => ({
          assessmentId,
          statementId: a.statementId,
          value: a.value,
          answeredAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: [assessmentAnswers.assessmentId, assessmentAnswers.statementId],
        set: {
          value: sql`excluded.value`,
          updatedAt: sql`case when ${assessmentAnswers.value} = excluded.value then ${assessmentAnswers.updatedAt} else excluded.updated_at end`,
        },
      });
  },

  async touch(db: Db, id: string, currentAreaCode: string | null, now: Date): Promise<void> {
    await db
      .update(assessments)
      .set({ currentAreaCode, updatedAt: now })
      .where(and(eq(assessments.id, id), eq(assessments.status, 'in_progress')));
  },

  /** Deletes every answer of an assessment; the number deleted. */
  async deleteAnswers(db: Db, assessmentId: string): Promise<number> {
    const rows = await db
      .delete(assessmentAnswers)
      .where(eq(assessmentAnswers.assessmentId, assessmentId))
      .returning({ statementId: assessmentAnswers.statementId });
    return rows.length;
  },

  /** Deletes an assessment if it is still in progress; false when it was not. */
  async deleteInProgress(db: Db, id: string): Promise<boolean> {
    const rows = await db
      .delete(assessments)
      .where(and(eq(assessments.id, id), eq(assessments.status, 'in_progress')))
      .returning({ id: assessments.id });
    return rows.length > 0;
  },

  /** Freezes an in-progress assessment with its results; false when it was not in progress. */
  async markSubmitted(db: Db, id: string, results: AssessmentResults, now: Date): Promise<boolean> {
    const rows = await db
      .update(assessments)
      .set({ status: 'submitted', results, submittedAt: now, updatedAt: now })
      .where(and(eq(assessments.id, id), eq(assessments.status, 'in_progress')))
      .returning({ id: assessments.id });
    return rows.length > 0;
  },
};

export type AssessmentRepository = typeof assessmentRepository;
