/**
 * The learning catalogue's data: learning_resources. Data verbs only; who may see or change what
 * is catalogue.policy.ts's, checked by the service. Every query runs unchanged on PGlite and
 * PostgreSQL: array overlap (`&&`) for areas, levels and archetypes, ILIKE for text search.
 */
import {
  and,
  asc,
  eq,
  inArray,
  isNotNull,
  isNull,
  lte,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import { type Db, insertedRow } from '../../platform/db/index.js';
import type {
  CatalogueFilter,
  CatalogueVisibility,
  Resource,
  ResourceCost,
  ResourceFormat,
} from './catalogue.model.js';
import { learningResources as t } from './learning.tables.js';

export type ResourceRow = typeof t.$inferSelect;
export type NewResourceRow = typeof t.$inferInsert;

/** A stored row as a Resource (the recommendations engine reads rows and maps them with this). */
export function toResource(row: ResourceRow): Resource {
  return {
    id: row.id,
    slug: row.slug,
    organisationId: row.organisationId,
    title: row.title,
    provider: row.provider,
    url: row.url,
    format: row.format as ResourceFormat,
    durationMinutes: row.durationMinutes,
    cost: row.cost as ResourceCost,
    levels: [...row.levels],
    areaCodes: [...row.areaCodes],
    statementIds: [...row.statementIds],
    archetypeCodes: [...row.archetypeCodes],
    summary: row.summary,
    reviewDate: row.reviewDate,
    curatedBy: row.curatedBy,
    curatedByPersonId: row.curatedByPersonId,
    source: row.source === 'bundled' ? 'bundled' : 'local',
    retiredAt: row.retiredAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The most words a search uses (the rest are ignored). */
export const MAX_SEARCH_WORDS = 10;

/** "50%_off" → "%50\%\_off%": a LIKE pattern matching the text anywhere, literally. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function searchWords(q: string | undefined): string[] {
  return (q ?? '')
    .split(/\s+/)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, MAX_SEARCH_WORDS);
}

const ofScope = (organisationId: string | null): SQL =>
  organisationId === null ? isNull(t.organisationId) : eq(t.organisationId, organisationId);

/** Which rows a viewer may list. */
export function visibilityCondition(v: CatalogueVisibility): SQL {
  const scopes =
    v.includeOrganisations && v.organisationIds.length > 0
      ? (or(isNull(t.organisationId), inArray(t.organisationId, [...v.organisationIds])) as SQL)
      : isNull(t.organisationId);
  const retiredShown: SQL[] = [isNull(t.retiredAt)];
  if (v.retired?.shared) retiredShown.push(isNull(t.organisationId));
  if (v.retired && v.retired.organisationIds.length > 0)
    retiredShown.push(inArray(t.organisationId, [...v.retired.organisationIds]));
  return and(scopes, retiredShown.length === 1 ? retiredShown[0] : or(...retiredShown)) as SQL;
}

/** The filter as conditions (none for an empty filter). */
export function filterConditions(filter: CatalogueFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.areaCodes && filter.areaCodes.length > 0)
    conditions.push(sql`${t.areaCodes} && ${sql.param([...filter.areaCodes])}::text[]`);
  if (filter.levels && filter.levels.length > 0)
    conditions.push(sql`${t.levels} && ${sql.param([...filter.levels])}::integer[]`);
  if (filter.archetypeCodes && filter.archetypeCodes.length > 0)
    conditions.push(sql`${t.archetypeCodes} && ${sql.param([...filter.archetypeCodes])}::text[]`);
  if (filter.formats && filter.formats.length > 0)
    conditions.push(inArray(t.format, [...filter.formats]));
  if (filter.freeOnly) conditions.push(eq(t.cost, 'free'));
  if (filter.maxDurationMinutes !== undefined)
    conditions.push(
      and(isNotNull(t.durationMinutes), lte(t.durationMinutes, filter.maxDurationMinutes)) as SQL,
    );
  for (const word of searchWords(filter.q)) {
    conditions.push(
      sql`(${t.title} || ' ' || ${t.provider} || ' ' || ${t.summary}) ilike ${containsPattern(word)} escape '\\'`,
    );
  }
  return conditions;
}

const byTitle = [asc(sql`lower(${t.title})`), asc(t.slug), asc(t.id)];

export const catalogueRepository = {
  /** Serialises loading the bundled catalogue when several instances start at once. */
  async lockCatalogueLoading(tx: Db): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(7243101)`);
  },

  async findById(db: Db, id: string): Promise<Resource | undefined> {
    const [row] = await db.select().from(t).where(eq(t.id, id)).limit(1);
    return row ? toResource(row) : undefined;
  },

  async findBySlug(
    db: Db,
    organisationId: string | null,
    slug: string,
  ): Promise<Resource | undefined> {
    const [row] = await db
      .select()
      .from(t)
      .where(and(ofScope(organisationId), eq(t.slug, slug)))
      .limit(1);
    return row ? toResource(row) : undefined;
  },

  /** Every resource in a scope (the shared catalogue, or one organisation's), retired too. */
  async listScope(db: Db, organisationId: string | null): Promise<Resource[]> {
    const rows = await db
      .select()
      .from(t)
      .where(ofScope(organisationId))
      .orderBy(...byTitle);
    return rows.map(toResource);
  },

  /** Slugs in a scope equal to `base` or starting `base-` (to make a new one unique). */
  async slugsLike(db: Db, organisationId: string | null, base: string): Promise<string[]> {
    const rows = await db
      .select({ slug: t.slug })
      .from(t)
      .where(
        and(
          ofScope(organisationId),
          or(
            eq(t.slug, base),
            sql`${t.slug} like ${`${base.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`} escape '\\'`,
          ),
        ),
      );
    return rows.map((r) => r.slug);
  },

  /** One page of the resources a viewer may see that match the filter, by title. */
  async search(
    db: Db,
    visibility: CatalogueVisibility,
    filter: CatalogueFilter,
    page: { limit: number; offset: number },
  ): Promise<{ resources: Resource[]; total: number }> {
    const where = and(visibilityCondition(visibility), ...filterConditions(filter));
    const [counted] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(t)
      .where(where);
    const total = counted?.n ?? 0;
    if (total === 0 || page.offset >= total) return { resources: [], total };
    const rows = await db
      .select()
      .from(t)
      .where(where)
      .orderBy(...byTitle)
      .limit(page.limit)
      .offset(page.offset);
    return { resources: rows.map(toResource), total };
  },

  /**
   * Resources in the catalogue (not retired) for any of the areas, that people in the given
   * organisations may see: the shared catalogue and those organisations' own. By title.
   */
  async listVisibleForAreas(
    db: Db,
    areaCodes: readonly string[],
    organisationIds: readonly string[],
  ): Promise<Resource[]> {
    if (areaCodes.length === 0) return [];
    const rows = await db
      .select()
      .from(t)
      .where(
        and(
          visibilityCondition({ organisationIds, includeOrganisations: true }),
          ...filterConditions({ areaCodes }),
        ),
      )
      .orderBy(...byTitle);
    return rows.map(toResource);
  },

  async insert(db: Db, values: NewResourceRow): Promise<Resource> {
    return toResource(insertedRow(await db.insert(t).values(values).returning()));
  },

  /** Inserts many rows, a few hundred to a statement. */
  async insertMany(db: Db, values: readonly NewResourceRow[]): Promise<void> {
    for (let i = 0; i < values.length; i += 200)
      await db.insert(t).values(values.slice(i, i + 200));
  },

  async update(db: Db, id: string, values: Partial<NewResourceRow>): Promise<Resource> {
    return toResource(insertedRow(await db.update(t).set(values).where(eq(t.id, id)).returning()));
  },

  /** Retires the bundled shared resources whose slugs are not listed; returns their slugs. */
  async retireBundledExcept(db: Db, slugs: readonly string[], now: Date): Promise<string[]> {
    const rows = await db
      .update(t)
      .set({ retiredAt: now, updatedAt: now })
      .where(
        and(
          isNull(t.organisationId),
          eq(t.source, 'bundled'),
          isNull(t.retiredAt),
          slugs.length > 0 ? notInArray(t.slug, [...slugs]) : undefined,
        ),
      )
      .returning({ slug: t.slug });
    return rows.map((r) => r.slug);
  },
};

/**
 * Resources in the catalogue (not retired) for any of the areas, visible to people in the given
 * organisations (the shared catalogue plus those organisations' own), by title.
 */
export function listVisibleResourcesForAreas(
  db: Db,
  areaCodes: readonly string[],
  organisationIds: readonly string[],
): Promise<Resource[]> {
  return catalogueRepository.listVisibleForAreas(db, areaCodes, organisationIds);
}
