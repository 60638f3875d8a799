/**
 * Read-only data verbs over submitted assessments and their answers, for results, reports,
 * exports and history. The journey (assessment.repository.ts) writes these tables; this file
 * never does. No business rules: who may read what is decided in the services.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import { people } from '../accounts/accounts.tables.js';
import { frameworks, frameworkVersions } from '../framework/framework.tables.js';
import { assessments } from './assessment.tables.js';

export interface SubmittedRow {
  id: string;
  personId: string;
  ownerName: string;
  frameworkVersionId: number;
  mode: string;
  archetypeCodes: string[];
  submittedAt: Date;
  /** The snapshot as stored (JSON): read it with parseResultsSnapshot. */
  results: unknown;
}

/** Any assessment of a person, in progress or submitted, for "download my data". */
export interface AnyAssessmentRow {
  id: string;
  status: string;
  mode: string;
  archetypeCodes: string[];
  professionCode: string | null;
  workSettingCode: string | null;
  frameworkSlug: string;
  frameworkVersion: number;
  startedAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  results: unknown;
}

const submittedColumns = {
  id: assessments.id,
  personId: assessments.personId,
  ownerName: people.displayName,
  frameworkVersionId: assessments.frameworkVersionId,
  mode: assessments.mode,
  archetypeCodes: assessments.archetypeCodes,
  submittedAt: assessments.submittedAt,
  results: assessments.results,
};

type Selected = Omit<SubmittedRow, 'submittedAt'> & { submittedAt: Date | null };

/** The check constraint guarantees submitted rows have a date; this keeps the types honest. */
function submitted(rows: Selected[]): SubmittedRow[] {
  return rows.flatMap((r) => (r.submittedAt ? [{ ...r, submittedAt: r.submittedAt }] : []));
}

export const resultsRepository = {
  /** A submitted assessment by id (whoever owns it), with its owner's current name. */
  async findSubmitted(db: Db, id: string): Promise<SubmittedRow | undefined> {
    const rows = await db
      .select(submittedColumns)
      .from(assessments)
      .innerJoin(people, eq(people.id, assessments.personId))
      .where(and(eq(assessments.id, id), eq(assessments.status, 'submitted')));
    return submitted(rows)[0];
  },

  /** Who owns an assessment and whether it is submitted, in progress or not at all. */
  async findOwnerAndStatus(
    db: Db,
    id: string,
  ): Promise<{ personId: string; status: string } | undefined> {
    const rows = await db
      .select({ personId: assessments.personId, status: assessments.status })
      .from(assessments)
      .where(eq(assessments.id, id));
    return rows[0];
  },

  /** Submitted assessments by ids (any owner), for listing shares. */
  async findSubmittedByIds(db: Db, ids: readonly string[]): Promise<SubmittedRow[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .select(submittedColumns)
      .from(assessments)
      .innerJoin(people, eq(people.id, assessments.personId))
      .where(and(inArray(assessments.id, [...ids]), eq(assessments.status, 'submitted')));
    return submitted(rows);
  },

  /** A person's submitted assessments, newest first. */
  async listSubmittedForPerson(db: Db, personId: string): Promise<SubmittedRow[]> {
    const rows = await db
      .select(submittedColumns)
      .from(assessments)
      .innerJoin(people, eq(people.id, assessments.personId))
      .where(and(eq(assessments.personId, personId), eq(assessments.status, 'submitted')))
      .orderBy(desc(assessments.submittedAt), desc(assessments.id));
    return submitted(rows);
  },

  /** Every assessment of a person, oldest first, with the framework version it uses. */
  async listAllForPerson(db: Db, personId: string): Promise<AnyAssessmentRow[]> {
    return db
      .select({
        id: assessments.id,
        status: assessments.status,
        mode: assessments.mode,
        archetypeCodes: assessments.archetypeCodes,
        professionCode: assessments.professionCode,
        workSettingCode: assessments.workSettingCode,
        frameworkSlug: frameworks.slug,
        frameworkVersion: frameworkVersions.version,
        startedAt: assessments.startedAt,
        updatedAt: assessments.updatedAt,
        submittedAt: assessments.submittedAt,
        results: assessments.results,
      })
      .from(assessments)
      .innerJoin(frameworkVersions, eq(frameworkVersions.id, assessments.frameworkVersionId))
      .innerJoin(frameworks, eq(frameworks.id, frameworkVersions.frameworkId))
      .where(eq(assessments.personId, personId))
      .orderBy(asc(assessments.startedAt), asc(assessments.id));
  },
};
