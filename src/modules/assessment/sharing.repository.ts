/**
 * Data verbs for assessment_shares (written only here) and the reads the sharing pages need.
 * No business rules: sharing.policy.ts decides who may do what.
 */
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Db, insertedRow } from '../../platform/db/index.js';
import { people } from '../accounts/accounts.tables.js';
import { organisations } from '../organisations/organisations.tables.js';
import { assessmentShares, assessments } from './assessment.tables.js';

export interface ShareRow {
  id: string;
  assessmentId: string;
  sharedWithPersonId: string;
  organisationId: string;
  createdAt: Date;
  withdrawnAt: Date | null;
}

/** A share with the names people see: who it is with, in which organisation. */
export interface ShareListRow extends ShareRow {
  sharedWithName: string;
  organisationName: string;
}

/** A share as its recipient sees it in their list: whose assessment, from when. */
export interface ReceivedShareRow extends ShareRow {
  ownerPersonId: string;
  ownerName: string;
  submittedAt: Date | null;
  organisationName: string;
}

const shareColumns = {
  id: assessmentShares.id,
  assessmentId: assessmentShares.assessmentId,
  sharedWithPersonId: assessmentShares.sharedWithPersonId,
  organisationId: assessmentShares.organisationId,
  createdAt: assessmentShares.createdAt,
  withdrawnAt: assessmentShares.withdrawnAt,
};

const owners = alias(people, 'owners');

export const sharingRepository = {
  async insertShare(
    db: Db,
    input: { assessmentId: string; sharedWithPersonId: string; organisationId: string; now: Date },
  ): Promise<ShareRow> {
    return insertedRow(
      await db
        .insert(assessmentShares)
        .values({
          assessmentId: input.assessmentId,
          sharedWithPersonId: input.sharedWithPersonId,
          organisationId: input.organisationId,
          createdAt: input.now,
        })
        .returning(shareColumns),
    );
  },

  async findShare(db: Db, id: string): Promise<ShareRow | undefined> {
    const [row] = await db
      .select(shareColumns)
      .from(assessmentShares)
      .where(eq(assessmentShares.id, id));
    return row;
  },

  /** Marks an open share withdrawn; false when it was not open. */
  async withdrawShare(db: Db, id: string, now: Date): Promise<boolean> {
    const rows = await db
      .update(assessmentShares)
      .set({ withdrawnAt: now })
      .where(and(eq(assessmentShares.id, id), isNull(assessmentShares.withdrawnAt)))
      .returning({ id: assessmentShares.id });
    return rows.length > 0;
  },

  /** The open shares of one assessment, by the recipient's name. */
  async listOpenForAssessment(db: Db, assessmentId: string): Promise<ShareListRow[]> {
    return db
      .select({
        ...shareColumns,
        sharedWithName: people.displayName,
        organisationName: organisations.name,
      })
      .from(assessmentShares)
      .innerJoin(people, eq(people.id, assessmentShares.sharedWithPersonId))
      .innerJoin(organisations, eq(organisations.id, assessmentShares.organisationId))
      .where(
        and(eq(assessmentShares.assessmentId, assessmentId), isNull(assessmentShares.withdrawnAt)),
      )
      .orderBy(asc(people.displayName), asc(assessmentShares.createdAt));
  },

  /** Open shares made with a person, newest first, with whose assessment each is. */
  async listOpenForRecipient(db: Db, personId: string): Promise<ReceivedShareRow[]> {
    return db
      .select({
        ...shareColumns,
        ownerPersonId: assessments.personId,
        ownerName: owners.displayName,
        submittedAt: assessments.submittedAt,
        organisationName: organisations.name,
      })
      .from(assessmentShares)
      .innerJoin(assessments, eq(assessments.id, assessmentShares.assessmentId))
      .innerJoin(owners, eq(owners.id, assessments.personId))
      .innerJoin(organisations, eq(organisations.id, assessmentShares.organisationId))
      .where(
        and(
          eq(assessmentShares.sharedWithPersonId, personId),
          isNull(assessmentShares.withdrawnAt),
        ),
      )
      .orderBy(desc(assessmentShares.createdAt));
  },

  /** Every share, open or withdrawn, of a person's assessments (for "download my data"). */
  async listAllForOwner(db: Db, personId: string): Promise<ShareListRow[]> {
    return db
      .select({
        ...shareColumns,
        sharedWithName: people.displayName,
        organisationName: organisations.name,
      })
      .from(assessmentShares)
      .innerJoin(assessments, eq(assessments.id, assessmentShares.assessmentId))
      .innerJoin(people, eq(people.id, assessmentShares.sharedWithPersonId))
      .innerJoin(organisations, eq(organisations.id, assessmentShares.organisationId))
      .where(eq(assessments.personId, personId))
      .orderBy(asc(assessmentShares.createdAt));
  },
};
