/**
 * The framework module's use cases: load bundled content as versions, read a version, search it.
 *
 * Versions are immutable once stored, so a loaded FrameworkModel is cached for the life of the
 * process. Which version is the latest is cached for `latestTtlMs` (default 5 s): a version
 * loaded by another app instance shows up here within that time.
 */
import type { Database } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import type { LoadedFramework } from './content/framework-content.js';
import {
  type Archetype,
  FrameworkModel,
  type FrameworkNode,
  type Statement,
} from './framework.model.js';
import {
  frameworkRepository as repo,
  type FrameworkListRow,
  type SearchRow,
  type VersionRow,
} from './framework.repository.js';

export interface SyncResult {
  slug: string;
  version: number;
  created: boolean;
}

export interface FrameworkServiceDeps {
  database: Database;
  latestTtlMs?: number;
  now?: () => number;
}

export function createFrameworkService({
  database,
  latestTtlMs = 5_000,
  now = Date.now,
}: FrameworkServiceDeps) {
  const models = new Map<number, Promise<FrameworkModel>>();
  const latest = new Map<string, { row: VersionRow; expires: number }>();
  let list: { rows: FrameworkListRow[]; expires: number } | undefined;

  async function modelFor(row: VersionRow): Promise<FrameworkModel> {
    let model = models.get(row.versionId);
    if (!model) {
      model = repo.loadVersionData(database.db, row.versionId).then((data) => {
        if (!data) throw new NotFoundError(`Framework version ${row.versionId} has no content`);
        return new FrameworkModel(data, row);
      });
      models.set(row.versionId, model);
      model.catch(() => models.delete(row.versionId));
    }
    return model;
  }

  async function latestRow(slug: string): Promise<VersionRow | undefined> {
    const cached = latest.get(slug);
    if (cached && cached.expires > now()) return cached.row;
    const row = await repo.findVersion(database.db, slug);
    if (row) latest.set(slug, { row, expires: now() + latestTtlMs });
    return row;
  }

  return {
    /**
     * Store each bundled framework as a new version unless its latest version has the same
     * content hash.
     * Idempotent; safe when several instances start together (advisory lock).
     */
    async syncBundledContent(loaded: LoadedFramework[]): Promise<SyncResult[]> {
      const results: SyncResult[] = [];
      for (const { data, contentHash } of loaded) {
        const result = await database.transaction(async (tx) => {
          await repo.lockContentLoading(tx);
          // Only the latest version counts: content put back to an earlier state is a new version.
          const current = await repo.findVersion(tx, data.slug);
          if (current?.contentHash === contentHash) {
            return { slug: data.slug, version: current.version, created: false };
          }
          await repo.insertVersion(tx, data, contentHash);
          const row = await repo.findVersion(tx, data.slug);
          return { slug: data.slug, version: row?.version ?? 0, created: true };
        });
        latest.delete(data.slug);
        list = undefined;
        results.push(result);
      }
      return results;
    },

    /** Each framework's latest version; cached like the latest version (`latestTtlMs`). */
    async listFrameworks(): Promise<FrameworkListRow[]> {
      if (list && list.expires > now()) return list.rows;
      const rows = await repo.listLatest(database.db);
      list = { rows, expires: now() + latestTtlMs };
      return rows;
    },

    /** The latest version of a framework, or a given version number. */
    async getFramework(slug: string, version?: number): Promise<FrameworkModel> {
      const row =
        version === undefined
          ? await latestRow(slug)
          : await repo.findVersion(database.db, slug, version);
      if (!row) {
        throw new NotFoundError(
          version === undefined
            ? `There is no framework called ${slug}`
            : `Framework ${slug} has no version ${version}`,
        );
      }
      return modelFor(row);
    },

    async listVersions(slug: string): Promise<VersionRow[]> {
      const rows = await repo.listVersions(database.db, slug);
      if (rows.length === 0) throw new NotFoundError(`There is no framework called ${slug}`);
      return rows;
    },

    /**
     * Statements matching the search words, with matches marked; `searchable` is false when the
     * words were all too common to search for.
     */
    async searchStatements(
      model: FrameworkModel,
      query: string,
    ): Promise<{ rows: SearchRow[]; searchable: boolean }> {
      const rows = await repo.searchStatements(database.db, model.versionInfo.versionId, query);
      // Only an empty result needs telling apart: too-common words, or simply no match.
      const searchable = rows.length > 0 || (await repo.hasSearchTerms(database.db, query));
      return { rows, searchable };
    },

    /** A domain (top-level node) of a framework version, or NotFoundError. */
    domain(model: FrameworkModel, code: string): FrameworkNode {
      const node = model.nodesByCode.get(code);
      if (!node || node.parentCode !== null) throw new NotFoundError(`There is no domain ${code}`);
      return node;
    },

    /** An area (where statements hang) of a framework version, or NotFoundError. */
    area(model: FrameworkModel, code: string): FrameworkNode {
      const node = model.nodesByCode.get(code);
      if (!node?.isArea) throw new NotFoundError(`There is no area ${code}`);
      return node;
    },

    statement(model: FrameworkModel, id: string): Statement {
      const statement = model.statementsById.get(id);
      if (!statement) throw new NotFoundError(`There is no statement ${id}`);
      return statement;
    },

    /** An archetype by code, in any case, or NotFoundError. */
    archetype(model: FrameworkModel, code: string): Archetype {
      const archetype = model.archetype(code.toUpperCase());
      if (!archetype) throw new NotFoundError(`There is no archetype ${code}`);
      return archetype;
    },
  };
}

export type FrameworkService = ReturnType<typeof createFrameworkService>;
