/**
 * Data verbs for recommendations: the catalogue as the ranking reads it (only those columns) and
 * a fingerprint telling when it changed, the shown details of the few resources chosen, and the
 * person's marks (completed, dismissed). No business rules: who may see what is the service's.
 */
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { type Db } from '../../platform/db/index.js';
import { learningResourceMarks as marks, learningResources as t } from './learning.tables.js';
import type { RankableResource } from './recommend.js';

export type MarkKind = 'completed' | 'dismissed';

/** What a recommendation shows of a resource. */
export interface ResourceDetails {
  id: string;
  title: string;
  provider: string;
  url: string;
  format: string;
  durationMinutes: number | null;
  cost: string;
  levels: number[];
  summary: string;
  organisationId: string | null;
}

const detailColumns = {
  id: t.id,
  title: t.title,
  provider: t.provider,
  url: t.url,
  format: t.format,
  durationMinutes: t.durationMinutes,
  cost: t.cost,
  levels: t.levels,
  summary: t.summary,
  organisationId: t.organisationId,
};

export const recommendationsRepository = {
  /**
   * A cheap fingerprint of the whole table (no rows read out) that changes whenever a resource
   * is added, removed or changed: the number of rows and the sum of their row versions (xmin,
   * which every insert and update sets to the writing transaction's id, whenever it commits).
   * Recommendations keep the catalogue in memory and read it again only when this changes.
   */
  async catalogueStamp(db: Db): Promise<string> {
    const rows = await db
      .select({
        count: sql<number>`count(*)::int`,
        versions: sql<string>`coalesce(sum(xmin::text::bigint), 0)::text`,
      })
      .from(t);
    const row = rows[0];
    return row ? `${String(row.count)}:${row.versions}` : '';
  },

  /** Every resource not retired, with what the ranking reads and whose it is. */
  async listRankable(db: Db): Promise<(RankableResource & { organisationId: string | null })[]> {
    const rows = await db
      .select({
        id: t.id,
        organisationId: t.organisationId,
        title: t.title,
        format: t.format,
        durationMinutes: t.durationMinutes,
        cost: t.cost,
        levels: t.levels,
        areaCodes: t.areaCodes,
        statementIds: t.statementIds,
        archetypeCodes: t.archetypeCodes,
      })
      .from(t)
      .where(isNull(t.retiredAt));
    // Fresh arrays: the drivers' own are several times slower to search, and these are searched
    // for every gap of every request.
    return rows.map((r) => ({
      ...r,
      levels: Array.from(r.levels),
      areaCodes: Array.from(r.areaCodes),
      statementIds: Array.from(r.statementIds),
      archetypeCodes: Array.from(r.archetypeCodes),
      retired: false,
    }));
  },

  /** The shown details of some resources (any visibility: the caller chose them). */
  async findDetails(db: Db, ids: readonly string[]): Promise<ResourceDetails[]> {
    if (ids.length === 0) return [];
    return db
      .select(detailColumns)
      .from(t)
      .where(inArray(t.id, [...ids]));
  },

  /** A resource the person may see (shared, or one of their organisations'), retired or not. */
  async findVisible(
    db: Db,
    id: string,
    organisationIds: readonly string[],
  ): Promise<(ResourceDetails & { retired: boolean }) | undefined> {
    const rows = await db
      .select({ ...detailColumns, retired: sql<boolean>`${t.retiredAt} is not null` })
      .from(t)
      .where(
        and(
          eq(t.id, id),
          organisationIds.length > 0
            ? or(isNull(t.organisationId), inArray(t.organisationId, [...organisationIds]))
            : isNull(t.organisationId),
        ),
      );
    return rows[0];
  },

  async listMarks(db: Db, personId: string): Promise<{ resourceId: string; kind: MarkKind }[]> {
    const rows = await db
      .select({ resourceId: marks.resourceId, kind: marks.kind })
      .from(marks)
      .where(eq(marks.personId, personId));
    return rows.map((r) => ({
      resourceId: r.resourceId,
      kind: r.kind === 'completed' ? 'completed' : 'dismissed',
    }));
  },

  /** The resources the person dismissed, newest first, with what a list shows of them. */
  async listDismissed(
    db: Db,
    personId: string,
  ): Promise<(ResourceDetails & { dismissedAt: Date })[]> {
    return db
      .select({ ...detailColumns, dismissedAt: marks.createdAt })
      .from(marks)
      .innerJoin(t, eq(t.id, marks.resourceId))
      .where(and(eq(marks.personId, personId), eq(marks.kind, 'dismissed')))
      .orderBy(sql`${marks.createdAt} desc`, asc(t.title), asc(t.id));
  },

  /** Adds a mark; false when the person had already marked the resource so. */
  async addMark(
    db: Db,
    personId: string,
    resourceId: string,
    kind: MarkKind,
    now: Date,
  ): Promise<boolean> {
    const rows = await db
      .insert(marks)
      .values({ personId, resourceId, kind, createdAt: now })
      .onConflictDoNothing()
      .returning({ resourceId: marks.resourceId });
    return rows.length > 0;
  },

  /** Removes a mark; false when there was none. */
  async removeMark(db: Db, personId: string, resourceId: string, kind: MarkKind): Promise<boolean> {
    const rows = await db
      .delete(marks)
      .where(
        and(eq(marks.personId, personId), eq(marks.resourceId, resourceId), eq(marks.kind, kind)),
      )
      .returning({ resourceId: marks.resourceId });
    return rows.length > 0;
  },
};
