/**
 * Data access for the framework module: data verbs only, no business rules. Every function takes
 * the handle to use (the database or a transaction).
 */
import { and, asc, count, desc, eq, max, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import {
  frameworkArchetypes,
  frameworkChoices,
  frameworkLevels,
  frameworkNodes,
  frameworkStatements,
  frameworkTargets,
  frameworks,
  frameworkVersions,
} from './framework.tables.js';
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  type ArchetypeCode,
  type ArchetypeGuide,
  type BasedOn,
  type FrameworkData,
  type Level,
  type VersionInfo,
} from './framework.model.js';

export interface VersionRow extends VersionInfo {
  slug: string;
  title: string;
}

export interface FrameworkListRow {
  slug: string;
  title: string;
  version: number;
  statementCount: number;
}

export interface SearchRow {
  id: string;
  /** The statement text with matches wrapped in HIGHLIGHT_START / HIGHLIGHT_END. */
  highlighted: string;
}

const versionColumns = {
  versionId: frameworkVersions.id,
  version: frameworkVersions.version,
  contentHash: frameworkVersions.contentHash,
  createdAt: frameworkVersions.createdAt,
  slug: frameworks.slug,
  title: frameworkVersions.title,
};

export const frameworkRepository = {
  /** Serialises content loading across app instances until the transaction ends. */
  async lockContentLoading(tx: Db): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(7243002)`);
  },

  /** The given version of a framework, or its latest when `version` is undefined. */
  async findVersion(db: Db, slug: string, version?: number): Promise<VersionRow | undefined> {
    const rows = await db
      .select(versionColumns)
      .from(frameworkVersions)
      .innerJoin(frameworks, eq(frameworks.id, frameworkVersions.frameworkId))
      .where(
        version === undefined
          ? eq(frameworks.slug, slug)
          : and(eq(frameworks.slug, slug), eq(frameworkVersions.version, version)),
      )
      .orderBy(desc(frameworkVersions.version))
      .limit(1);
    return rows[0];
  },

  async listVersions(db: Db, slug: string): Promise<VersionRow[]> {
    return db
      .select(versionColumns)
      .from(frameworkVersions)
      .innerJoin(frameworks, eq(frameworks.id, frameworkVersions.frameworkId))
      .where(eq(frameworks.slug, slug))
      .orderBy(desc(frameworkVersions.version));
  },

  /** Each framework's latest version with its statement count, by slug. */
  async listLatest(db: Db): Promise<FrameworkListRow[]> {
    const latest = db
      .select({
        frameworkId: frameworkVersions.frameworkId,
        version: max(frameworkVersions.version).as('latest'),
      })
      .from(frameworkVersions)
      .groupBy(frameworkVersions.frameworkId)
      .as('latest');
    return db
      .select({
        slug: frameworks.slug,
        title: frameworkVersions.title,
        version: frameworkVersions.version,
        statementCount: count(frameworkStatements.id),
      })
      .from(frameworks)
      .innerJoin(latest, eq(latest.frameworkId, frameworks.id))
      .innerJoin(
        frameworkVersions,
        and(
          eq(frameworkVersions.frameworkId, frameworks.id),
          eq(frameworkVersions.version, latest.version),
        ),
      )
      .leftJoin(frameworkStatements, eq(frameworkStatements.versionId, frameworkVersions.id))
      .groupBy(frameworks.slug, frameworkVersions.title, frameworkVersions.version)
      .orderBy(asc(frameworks.slug));
  },

  /** Inserts a new version (number = latest + 1) with all its rows. Call inside a transaction. */
  async insertVersion(tx: Db, data: FrameworkData, contentHash: string): Promise<number> {
    await tx.insert(frameworks).values({ slug: data.slug }).onConflictDoNothing();
    const [fw] = await tx
      .select({ id: frameworks.id })
      .from(frameworks)
      .where(eq(frameworks.slug, data.slug));
    if (!fw) throw new Error(`framework ${data.slug} vanished during insert`);
    const [latest] = await tx
      .select({ version: max(frameworkVersions.version) })
      .from(frameworkVersions)
      .where(eq(frameworkVersions.frameworkId, fw.id));
    const version = (latest?.version ?? 0) + 1;
    const [inserted] = await tx
      .insert(frameworkVersions)
      .values({
        frameworkId: fw.id,
        version,
        contentHash,
        title: data.title,
        summary: data.summary,
        basedOn: data.basedOn,
        archetypeGuide: data.archetypeGuide,
      })
      .returning({ id: frameworkVersions.id });
    if (!inserted) throw new Error('framework version insert returned nothing');
    const versionId = inserted.id;
    await tx
      .insert(frameworkNodes)
      .values(data.nodes.map((n, position) => ({ versionId, ...n, position })));
    await tx.insert(frameworkLevels).values(data.levels.map((l) => ({ versionId, ...l })));
    await tx
      .insert(frameworkArchetypes)
      .values(data.archetypes.map((a, position) => ({ versionId, ...a, position })));
    await tx.insert(frameworkTargets).values(
      Object.entries(data.targets).flatMap(([archetypeCode, byArea]) =>
        Object.entries(byArea).map(([areaCode, level]) => ({
          versionId,
          archetypeCode,
          areaCode,
          level,
        })),
      ),
    );
    const positions = new Map<string, number>();
    await tx.insert(frameworkStatements).values(
      data.statements.map((s) => {
        const key = `${s.areaCode}/${s.level}`;
        const position = (positions.get(key) ?? 0) + 1;
        positions.set(key, position);
        return {
          versionId,
          id: s.id,
          areaCode: s.areaCode,
          level: s.level,
          position,
          text: s.text,
          archetypes: s.archetypes,
        };
      }),
    );
    await tx.insert(frameworkChoices).values([
      ...data.professions.map((c, position) => ({
        versionId,
        kind: 'profession',
        ...c,
        position,
      })),
      ...data.workSettings.map((c, position) => ({
        versionId,
        kind: 'work_setting',
        ...c,
        position,
      })),
    ]);
    return versionId;
  },

  /** Reads a whole version back into FrameworkData. */
  async loadVersionData(db: Db, versionId: number): Promise<FrameworkData | undefined> {
    const [head] = await db
      .select({
        slug: frameworks.slug,
        title: frameworkVersions.title,
        summary: frameworkVersions.summary,
        basedOn: frameworkVersions.basedOn,
        archetypeGuide: frameworkVersions.archetypeGuide,
      })
      .from(frameworkVersions)
      .innerJoin(frameworks, eq(frameworks.id, frameworkVersions.frameworkId))
      .where(eq(frameworkVersions.id, versionId));
    if (!head) return undefined;
    const [nodes, levels, archetypes, targets, statements, choices] = await Promise.all([
      db
        .select()
        .from(frameworkNodes)
        .where(eq(frameworkNodes.versionId, versionId))
        .orderBy(asc(frameworkNodes.position)),
      db
        .select()
        .from(frameworkLevels)
        .where(eq(frameworkLevels.versionId, versionId))
        .orderBy(asc(frameworkLevels.level)),
      db
        .select()
        .from(frameworkArchetypes)
        .where(eq(frameworkArchetypes.versionId, versionId))
        .orderBy(asc(frameworkArchetypes.position)),
      db.select().from(frameworkTargets).where(eq(frameworkTargets.versionId, versionId)),
      db
        .select()
        .from(frameworkStatements)
        .innerJoin(
          frameworkNodes,
          and(
            eq(frameworkNodes.versionId, frameworkStatements.versionId),
            eq(frameworkNodes.code, frameworkStatements.areaCode),
          ),
        )
        .where(eq(frameworkStatements.versionId, versionId))
        .orderBy(
          asc(frameworkNodes.position),
          asc(frameworkStatements.level),
          asc(frameworkStatements.position),
        ),
      db
        .select()
        .from(frameworkChoices)
        .where(eq(frameworkChoices.versionId, versionId))
        .orderBy(asc(frameworkChoices.position)),
    ]);
    const targetMap: Record<string, Record<string, number>> = {};
    for (const a of archetypes) targetMap[a.code] = {};
    for (const t of targets) (targetMap[t.archetypeCode] ??= {})[t.areaCode] = t.level;
    return {
      slug: head.slug,
      title: head.title,
      summary: head.summary,
      basedOn: head.basedOn as BasedOn,
      archetypeGuide: head.archetypeGuide as ArchetypeGuide,
      levels: levels.map((l) => ({
        level: l.level as Level,
        name: l.name,
        summary: l.summary,
        description: l.description,
      })),
      archetypes: archetypes.map((a) => ({
        code: a.code as ArchetypeCode,
        name: a.name,
        summary: a.summary,
        description: a.description,
        exampleRoles: a.exampleRoles,
        signs: a.signs,
        targetRationale: a.targetRationale,
      })),
      nodes: nodes.map((n) => ({
        code: n.code,
        parentCode: n.parentCode,
        name: n.name,
        description: n.description,
        isArea: n.isArea,
        depth: n.depth,
      })),
      statements: statements.map(({ framework_statements: s }) => ({
        id: s.id,
        areaCode: s.areaCode,
        level: s.level as Level,
        text: s.text,
        archetypes: s.archetypes as ArchetypeCode[],
      })),
      targets: targetMap,
      professions: choices
        .filter((c) => c.kind === 'profession')
        .map(({ code, name }) => ({ code, name })),
      workSettings: choices
        .filter((c) => c.kind === 'work_setting')
        .map(({ code, name }) => ({ code, name })),
    };
  },

  /** False when search words have nothing to search for (only common words such as "the"). */
  async hasSearchTerms(db: Db, query: string): Promise<boolean> {
    const [row] = await db
      .select({ terms: sql<unknown>`numnode(websearch_to_tsquery('english', ${query}))` })
      .from(sql`(select 1) as one`);
    return Number(row?.terms ?? 0) > 0;
  },

  /**
   * PostgreSQL full-text search over one version's statements (English stemming, web-search
   * syntax: quoted phrases, OR, -exclusion), in id order, with matches marked.
   */
  async searchStatements(db: Db, versionId: number, query: string): Promise<SearchRow[]> {
    const tsQuery = sql`websearch_to_tsquery('english', ${query})`;
    return db
      .select({
        id: frameworkStatements.id,
        highlighted: sql<string>`ts_headline('english', ${frameworkStatements.text}, ${tsQuery}, ${`StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, HighlightAll=true`})`,
      })
      .from(frameworkStatements)
      .where(
        and(
          eq(frameworkStatements.versionId, versionId),
          sql`${frameworkStatements.search} @@ ${tsQuery}`,
        ),
      )
      .orderBy(asc(frameworkStatements.id));
  },
};

export type FrameworkRepository = typeof frameworkRepository;
