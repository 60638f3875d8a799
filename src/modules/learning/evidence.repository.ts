/**
 * Data verbs for `evidence` (notes, links and files written only here; reflections are written
 * by the plans service through `insert` too) and the reads the portfolio needs, including which
 * validation request (if any) an item supports. No business
 * rules: evidence.policy.ts decides who may see or change what.
 */
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { type Db, insertedRow } from '../../platform/db/index.js';
import {
  evidence,
  learningResources,
  validationRequestEvidence,
  validationRequests,
} from './learning.tables.js';

export type EvidenceKind = 'note' | 'link' | 'file' | 'reflection';
export const EVIDENCE_KINDS: readonly EvidenceKind[] = ['note', 'link', 'file', 'reflection'];

export interface EvidenceRow {
  id: string;
  personId: string;
  kind: EvidenceKind;
  title: string;
  frameworkVersionId: number;
  areaCode: string;
  statementId: string | null;
  /** A note's text; a link's or file's optional note; a reflection's "what I learned". */
  body: string;
  /** A reflection's "how I will use it". */
  reflectionUse: string | null;
  url: string | null;
  resourceId: string | null;
  goalId: string | null;
  fileKey: string | null;
  fileName: string | null;
  fileType: string | null;
  fileSize: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Evidence with the learning resource a reflection is about (null when none or deleted). */
export interface EvidenceListRow extends EvidenceRow {
  resource: { title: string; provider: string; url: string } | null;
}

/** A validation request that evidence supports and that keeps it as it is (see `lockFor`). */
export interface EvidenceLock {
  requestId: string;
  status: 'pending' | 'validated';
}

export type NewEvidence = Omit<EvidenceRow, 'id' | 'createdAt' | 'updatedAt'> & { now: Date };

export interface EvidenceChanges {
  title: string;
  frameworkVersionId: number;
  areaCode: string;
  statementId: string | null;
  body: string;
  reflectionUse?: string | null;
  /** Links only. */
  url?: string;
}

const columns = {
  id: evidence.id,
  personId: evidence.personId,
  kind: evidence.kind,
  title: evidence.title,
  frameworkVersionId: evidence.frameworkVersionId,
  areaCode: evidence.areaCode,
  statementId: evidence.statementId,
  body: evidence.body,
  reflectionUse: evidence.reflectionUse,
  url: evidence.url,
  resourceId: evidence.resourceId,
  goalId: evidence.goalId,
  fileKey: evidence.fileKey,
  fileName: evidence.fileName,
  fileType: evidence.fileType,
  fileSize: evidence.fileSize,
  createdAt: evidence.createdAt,
  updatedAt: evidence.updatedAt,
};

const listColumns = {
  ...columns,
  resourceTitle: learningResources.title,
  resourceProvider: learningResources.provider,
  resourceUrl: learningResources.url,
};

type Selected = Omit<EvidenceRow, 'kind'> & { kind: string };
const asRow = (r: Selected): EvidenceRow => ({ ...r, kind: r.kind as EvidenceKind });

function asListRow(
  r: Selected & {
    resourceTitle: string | null;
    resourceProvider: string | null;
    resourceUrl: string | null;
  },
): EvidenceListRow {
  const { resourceTitle, resourceProvider, resourceUrl, ...rest } = r;
  return {
    ...asRow(rest),
    resource:
      resourceTitle !== null && resourceProvider !== null && resourceUrl !== null
        ? { title: resourceTitle, provider: resourceProvider, url: resourceUrl }
        : null,
  };
}

export const evidenceRepository = {
  async insert(db: Db, input: NewEvidence): Promise<EvidenceRow> {
    const { now, ...values } = input;
    return asRow(
      insertedRow(
        await db
          .insert(evidence)
          .values({ ...values, createdAt: now, updatedAt: now })
          .returning(columns),
      ),
    );
  },

  async findById(db: Db, id: string): Promise<EvidenceListRow | undefined> {
    const [row] = await db
      .select(listColumns)
      .from(evidence)
      .leftJoin(learningResources, eq(learningResources.id, evidence.resourceId))
      .where(eq(evidence.id, id));
    return row && asListRow(row);
  },

  /** A person's evidence, newest first. */
  async listForPerson(db: Db, personId: string): Promise<EvidenceListRow[]> {
    const rows = await db
      .select(listColumns)
      .from(evidence)
      .leftJoin(learningResources, eq(learningResources.id, evidence.resourceId))
      .where(eq(evidence.personId, personId))
      .orderBy(desc(evidence.createdAt), desc(evidence.id));
    return rows.map(asListRow);
  },

  /** Some of a person's evidence by id (others' ids are ignored), newest first. */
  async listForPersonByIds(db: Db, personId: string, ids: string[]): Promise<EvidenceListRow[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .select(listColumns)
      .from(evidence)
      .leftJoin(learningResources, eq(learningResources.id, evidence.resourceId))
      .where(and(eq(evidence.personId, personId), inArray(evidence.id, ids)))
      .orderBy(desc(evidence.createdAt), desc(evidence.id));
    return rows.map(asListRow);
  },

  async update(
    db: Db,
    id: string,
    changes: EvidenceChanges,
    now: Date,
  ): Promise<EvidenceRow | undefined> {
    const [row] = await db
      .update(evidence)
      .set({ ...changes, updatedAt: now })
      .where(eq(evidence.id, id))
      .returning(columns);
    return row && asRow(row);
  },

  /**
   * The validation request that keeps this evidence as it is: one it supports that is waiting
   * for a decision or has been validated (a validated one first, as withdrawing cannot undo
   * it). Returned and withdrawn requests do not count. With `forUpdate`, the evidence row is
   * locked first (FOR UPDATE) until the end of the transaction.
   */
  async lockFor(
    db: Db,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<EvidenceLock | undefined> {
    if (options.forUpdate)
      await db.select({ id: evidence.id }).from(evidence).where(eq(evidence.id, id)).for('update');
    const [row] = await db
      .select({ requestId: validationRequests.id, status: validationRequests.status })
      .from(validationRequestEvidence)
      .innerJoin(validationRequests, eq(validationRequests.id, validationRequestEvidence.requestId))
      .where(
        and(
          eq(validationRequestEvidence.evidenceId, id),
          inArray(validationRequests.status, ['pending', 'validated']),
        ),
      )
      .orderBy(
        sql`case when ${validationRequests.status} = 'validated' then 0 else 1 end`,
        desc(validationRequests.createdAt),
      )
      .limit(1);
    return row && { requestId: row.requestId, status: row.status as EvidenceLock['status'] };
  },

  /** Deletes one row; the stored file's key (if any) comes back so the caller can remove it. */
  async delete(db: Db, id: string): Promise<{ fileKey: string | null } | undefined> {
    const [row] = await db
      .delete(evidence)
      .where(eq(evidence.id, id))
      .returning({ fileKey: evidence.fileKey });
    return row;
  },

  /** The storage keys of a person's files. */
  async fileKeysForPerson(db: Db, personId: string): Promise<string[]> {
    const rows = await db
      .select({ fileKey: evidence.fileKey })
      .from(evidence)
      .where(and(eq(evidence.personId, personId), isNotNull(evidence.fileKey)));
    return rows.flatMap((r) => (r.fileKey ? [r.fileKey] : []));
  },

  /** Which of these storage keys some evidence still refers to. */
  async referencedKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await db
      .select({ fileKey: evidence.fileKey })
      .from(evidence)
      .where(inArray(evidence.fileKey, [...keys]));
    return new Set(rows.flatMap((r) => (r.fileKey ? [r.fileKey] : [])));
  },
};
