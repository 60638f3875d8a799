/**
 * Data verbs for `validation_requests` and `validation_request_evidence` (written only here) and
 * the reads the validation pages need. No business rules: validation.policy.ts decides who may
 * see or change what. Status changes are conditional on the request still being pending, so two
 * decisions (two tabs, a double click, a withdrawal racing a decision) can never both happen.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Db, insertedRow } from '../../platform/db/index.js';
import { people } from '../accounts/accounts.tables.js';
import { frameworks, frameworkVersions } from '../framework/framework.tables.js';
import { organisations } from '../organisations/organisations.tables.js';
import { evidence, validationRequestEvidence, validationRequests } from './learning.tables.js';
import type { ValidationStatus } from './validation.policy.js';

export interface ValidationRequestRow {
  id: string;
  personId: string;
  personName: string;
  personEmail: string;
  validatorPersonId: string;
  validatorName: string;
  validatorEmail: string;
  organisationId: string;
  organisationName: string;
  frameworkVersionId: number;
  frameworkSlug: string;
  frameworkVersion: number;
  areaCode: string;
  claimedLevel: number;
  /** The person's own level in their latest results when they asked (0: below level 1). */
  selfAssessedLevel: number | null;
  message: string;
  status: ValidationStatus;
  validatorComment: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

export interface NewValidationRequest {
  personId: string;
  validatorPersonId: string;
  organisationId: string;
  frameworkVersionId: number;
  areaCode: string;
  claimedLevel: number;
  selfAssessedLevel: number | null;
  message: string;
  evidenceIds: readonly string[];
  now: Date;
}

/** The latest validated level in one area, and who validated it when. */
export interface ValidatedLevelRow {
  requestId: string;
  areaCode: string;
  level: number;
  validatorName: string;
  decidedAt: Date;
}

const claimants = alias(people, 'claimants');
const validators = alias(people, 'validators');

const columns = {
  id: validationRequests.id,
  personId: validationRequests.personId,
  personName: claimants.displayName,
  personEmail: claimants.email,
  validatorPersonId: validationRequests.validatorPersonId,
  validatorName: validators.displayName,
  validatorEmail: validators.email,
  organisationId: validationRequests.organisationId,
  organisationName: organisations.name,
  frameworkVersionId: validationRequests.frameworkVersionId,
  frameworkSlug: frameworks.slug,
  frameworkVersion: frameworkVersions.version,
  areaCode: validationRequests.areaCode,
  claimedLevel: validationRequests.claimedLevel,
  selfAssessedLevel: validationRequests.selfAssessedLevel,
  message: validationRequests.message,
  status: validationRequests.status,
  validatorComment: validationRequests.validatorComment,
  createdAt: validationRequests.createdAt,
  decidedAt: validationRequests.decidedAt,
};

type Selected = Omit<ValidationRequestRow, 'status'> & { status: string };
const asRow = (r: Selected): ValidationRequestRow => ({
  ...r,
  status: r.status as ValidationStatus,
});

function selectRequests(db: Db) {
  return db
    .select(columns)
    .from(validationRequests)
    .innerJoin(claimants, eq(claimants.id, validationRequests.personId))
    .innerJoin(validators, eq(validators.id, validationRequests.validatorPersonId))
    .innerJoin(organisations, eq(organisations.id, validationRequests.organisationId))
    .innerJoin(frameworkVersions, eq(frameworkVersions.id, validationRequests.frameworkVersionId))
    .innerJoin(frameworks, eq(frameworks.id, frameworkVersions.frameworkId));
}

/** Pending first, then the newest. */
const pendingFirst = [
  sql`case when ${validationRequests.status} = 'pending' then 0 else 1 end`,
  desc(validationRequests.createdAt),
  desc(validationRequests.id),
];

export const validationRepository = {
  /** A new pending request with the evidence offered; its id. */
  async insert(db: Db, input: NewValidationRequest): Promise<string> {
    const { evidenceIds, now, ...values } = input;
    const row = insertedRow(
      await db
        .insert(validationRequests)
        .values({ ...values, status: 'pending', createdAt: now })
        .returning({ id: validationRequests.id }),
    );
    if (evidenceIds.length > 0)
      await db
        .insert(validationRequestEvidence)
        .values([...new Set(evidenceIds)].map((evidenceId) => ({ requestId: row.id, evidenceId })));
    return row.id;
  },

  async findById(db: Db, id: string): Promise<ValidationRequestRow | undefined> {
    const [row] = await selectRequests(db).where(eq(validationRequests.id, id));
    return row && asRow(row);
  },

  /** The person's own requests, pending first, then the newest. */
  async listForPerson(db: Db, personId: string): Promise<ValidationRequestRow[]> {
    const rows = await selectRequests(db)
      .where(eq(validationRequests.personId, personId))
      .orderBy(...pendingFirst);
    return rows.map(asRow);
  },

  /** Requests addressed to the validator, pending first, then the newest. */
  async listForValidator(db: Db, validatorPersonId: string): Promise<ValidationRequestRow[]> {
    const rows = await selectRequests(db)
      .where(eq(validationRequests.validatorPersonId, validatorPersonId))
      .orderBy(...pendingFirst);
    return rows.map(asRow);
  },

  /** The person's pending request in an area of a framework version, if any. */
  async findPending(
    db: Db,
    personId: string,
    frameworkVersionId: number,
    areaCode: string,
  ): Promise<{ id: string } | undefined> {
    const [row] = await db
      .select({ id: validationRequests.id })
      .from(validationRequests)
      .where(
        and(
          eq(validationRequests.personId, personId),
          eq(validationRequests.frameworkVersionId, frameworkVersionId),
          eq(validationRequests.areaCode, areaCode),
          eq(validationRequests.status, 'pending'),
        ),
      );
    return row;
  },

  /** The ids of the evidence offered with a request (still existing: deleted evidence goes). */
  async evidenceIdsFor(db: Db, requestId: string): Promise<string[]> {
    const rows = await db
      .select({ evidenceId: validationRequestEvidence.evidenceId })
      .from(validationRequestEvidence)
      .where(eq(validationRequestEvidence.requestId, requestId))
      .orderBy(asc(validationRequestEvidence.evidenceId));
    return rows.map((r) => r.evidenceId);
  },

  /** Owners of evidence by id (for checking what is offered): id → person id. */
  async evidenceOwners(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .select({ id: evidence.id, personId: evidence.personId })
      .from(evidence)
      .where(inArray(evidence.id, [...ids]));
    return new Map(rows.map((r) => [r.id, r.personId]));
  },

  /** Marks a pending request withdrawn; false when it was not pending. */
  async withdraw(db: Db, id: string): Promise<boolean> {
    const rows = await db
      .update(validationRequests)
      .set({ status: 'withdrawn' })
      .where(and(eq(validationRequests.id, id), eq(validationRequests.status, 'pending')))
      .returning({ id: validationRequests.id });
    return rows.length > 0;
  },

  /** Decides a pending request (validated or returned); false when it was not pending. */
  async decide(
    db: Db,
    id: string,
    decision: { status: 'validated' | 'returned'; comment: string | null; now: Date },
  ): Promise<boolean> {
    const rows = await db
      .update(validationRequests)
      .set({ status: decision.status, validatorComment: decision.comment, decidedAt: decision.now })
      .where(and(eq(validationRequests.id, id), eq(validationRequests.status, 'pending')))
      .returning({ id: validationRequests.id });
    return rows.length > 0;
  },

  /** The latest validated level per area code for a person (any framework version). */
  async latestValidated(db: Db, personId: string): Promise<ValidatedLevelRow[]> {
    const rows = await db
      .selectDistinctOn([validationRequests.areaCode], {
        requestId: validationRequests.id,
        areaCode: validationRequests.areaCode,
        level: validationRequests.claimedLevel,
        validatorName: validators.displayName,
        decidedAt: validationRequests.decidedAt,
      })
      .from(validationRequests)
      .innerJoin(validators, eq(validators.id, validationRequests.validatorPersonId))
      .where(
        and(eq(validationRequests.personId, personId), eq(validationRequests.status, 'validated')),
      )
      .orderBy(
        asc(validationRequests.areaCode),
        desc(validationRequests.decidedAt),
        desc(validationRequests.id),
      );
    return rows.flatMap((r) => (r.decidedAt ? [{ ...r, decidedAt: r.decidedAt }] : []));
  },
};
