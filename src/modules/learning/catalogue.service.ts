/**
 * The learning catalogue's use cases: browse and search, one resource, add, edit, retire and
 * bring back, CSV import and export, and loading the bundled starter catalogue. Every rule about
 * who may do what is in catalogue.policy.ts (deny by default); every change is audited, with the
 * organisation it belongs to, so that organisation's admins see it in its audit log.
 *
 * Bundled entries: the starter catalogue is loaded at start-up as source 'bundled' (curated by
 * "digicap starter catalogue"). Loading the same file again changes nothing; bundled entries no
 * longer in the file are retired. Once a person edits, retires or imports over a bundled entry it
 * becomes theirs (source 'local'), and later versions of the file leave it alone, so that a
 * platform admin's decision is never undone by a restart.
 */
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { type Database, type Db, isUniqueViolation, isUuid } from '../../platform/db/index.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../platform/errors.js';
import {
  DEFAULT_FRAMEWORK_SLUG,
  type FrameworkModel,
  type FrameworkService,
} from '../framework/index.js';
import {
  type Actor,
  ensure,
  type OrganisationsService,
  organisationsRepository,
} from '../organisations/index.js';
import {
  type CatalogueColumn,
  type CatalogueProblem,
  type CatalogueRow,
  type CatalogueVocabulary,
  catalogueCsv,
  parseCatalogueCsv,
} from './catalogue.csv.js';
import {
  BUNDLED_CURATOR,
  type CatalogueFilter,
  type CatalogueScope,
  type Resource,
  type ResourceFields,
  scopeOrganisationId,
} from './catalogue.model.js';
import { cataloguePolicy } from './catalogue.policy.js';
import { catalogueRepository as repo, type NewResourceRow } from './catalogue.repository.js';

export interface CatalogueServiceDeps {
  database: Database;
  frameworks: Pick<FrameworkService, 'getFramework'>;
  organisations: Pick<OrganisationsService, 'actorFor'>;
  audit: AuditLog;
  now?: () => Date;
}

/** The framework's words the catalogue uses, from its latest version. */
export interface CatalogueTerms extends CatalogueVocabulary {
  areas: { code: string; name: string }[];
  archetypes: { code: string; name: string }[];
  levels: { level: number; name: string }[];
  areaNames: ReadonlyMap<string, string>;
  archetypeNames: ReadonlyMap<string, string>;
}

/** A catalogue someone manages: the shared one, or an organisation's own. */
export interface ScopeView {
  /** 'shared', or the organisation's id (as forms and links carry it). */
  key: string;
  scope: CatalogueScope;
  name: string;
}

export const SHARED_SCOPE_KEY = 'shared';
export const SHARED_SCOPE_NAME = 'Shared catalogue (everyone)';
/** Who curated a shared resource, unless the person adding it says otherwise. */
export const SHARED_CURATOR = 'digicap platform administrators';

export interface BrowseResult {
  resources: Resource[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  /** Names of the viewer's organisations, for resources only they can see. */
  organisationNames: ReadonlyMap<string, string>;
  /** What the viewer manages (empty for most people). */
  managedScopes: ScopeView[];
}

export interface ResourceView {
  resource: Resource;
  canManage: boolean;
  /** The organisation whose people alone may see it, or undefined for the shared catalogue. */
  organisationName?: string | undefined;
}

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
}

export interface BundledSyncResult {
  added: number;
  updated: number;
  unchanged: number;
  retired: number;
  /** Entries in the file that people have taken over (source 'local'): left as they are. */
  keptLocal: number;
}

/** Problems with a form's fields, by field (CSV column names, plus 'organisation'). */
export class CatalogueFieldError extends InvalidInputError {
  override name = 'CatalogueFieldError';
  constructor(readonly errors: { field: CatalogueColumn | 'organisation'; text: string }[]) {
    super(errors.map((e) => e.text).join('; '));
  }
}

/** A catalogue file with problems: nothing was imported. */
export class CatalogueRejectedError extends InvalidInputError {
  override name = 'CatalogueRejectedError';
  constructor(readonly problems: CatalogueProblem[]) {
    super(`The file has ${String(problems.length)} problem${problems.length === 1 ? '' : 's'}`);
  }
}

const notFound = () => new NotFoundError('We could not find that learning resource');

/** "AI & ethics: a primer" → "ai-ethics-a-primer" (at most 60 characters). */
export function slugFrom(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'resource';
}

const sameList = <T>(a: readonly T[], b: readonly T[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * The stored columns a form or row changes on an existing resource (only the parts it gives),
 * as a patch, with the names of the fields that differ.
 */
export function resourceChanges(
  existing: Resource,
  fields: ResourceFields,
  now: Date,
): { patch: Partial<NewResourceRow>; changed: string[] } {
  const patch: Partial<NewResourceRow> = {};
  const changed: string[] = [];
  const set = <K extends keyof NewResourceRow>(name: string, key: K, value: NewResourceRow[K]) => {
    patch[key] = value;
    changed.push(name);
  };
  if (existing.title !== fields.title) set('title', 'title', fields.title);
  if (existing.provider !== fields.provider) set('provider', 'provider', fields.provider);
  if (existing.url !== fields.url) set('url', 'url', fields.url);
  if (existing.format !== fields.format) set('format', 'format', fields.format);
  if (existing.durationMinutes !== fields.durationMinutes)
    set('duration_minutes', 'durationMinutes', fields.durationMinutes);
  if (existing.cost !== fields.cost) set('cost', 'cost', fields.cost);
  if (!sameList(existing.levels, fields.levels)) set('levels', 'levels', fields.levels);
  if (!sameList(existing.areaCodes, fields.areaCodes)) set('areas', 'areaCodes', fields.areaCodes);
  if (!sameList(existing.archetypeCodes, fields.archetypeCodes))
    set('archetypes', 'archetypeCodes', fields.archetypeCodes);
  if (existing.summary !== fields.summary) set('summary', 'summary', fields.summary);
  if (fields.reviewDate !== undefined && existing.reviewDate !== fields.reviewDate)
    set('review_date', 'reviewDate', fields.reviewDate);
  if (fields.statementIds !== undefined && !sameList(existing.statementIds, fields.statementIds))
    set('statement_ids', 'statementIds', fields.statementIds);
  if (fields.curatedBy !== undefined && existing.curatedBy !== fields.curatedBy)
    set('curated_by', 'curatedBy', fields.curatedBy);
  if (fields.retired !== undefined && (existing.retiredAt !== null) !== fields.retired)
    set('retired', 'retiredAt', fields.retired ? now : null);
  return { patch, changed };
}

/**
 * A new catalogue row's description from its fields (slug as given; the callers add who it
 * belongs to, who curated it, where it came from and whether it is retired).
 */
function newResourceRow(
  fields: ResourceFields,
  at: Date,
): Omit<
  NewResourceRow,
  'organisationId' | 'curatedBy' | 'curatedByPersonId' | 'source' | 'retiredAt'
> {
  return {
    slug: fields.slug,
    title: fields.title,
    provider: fields.provider,
    url: fields.url,
    format: fields.format,
    durationMinutes: fields.durationMinutes,
    cost: fields.cost,
    levels: fields.levels,
    areaCodes: fields.areaCodes,
    statementIds: fields.statementIds ?? [],
    archetypeCodes: fields.archetypeCodes,
    summary: fields.summary,
    reviewDate: fields.reviewDate ?? null,
    createdAt: at,
    updatedAt: at,
  };
}

export function createCatalogueService({
  database,
  frameworks,
  organisations,
  audit,
  now = () => new Date(),
}: CatalogueServiceDeps) {
  const termsByVersion = new Map<number, CatalogueTerms>();

  function termsOf(model: FrameworkModel): CatalogueTerms {
    let terms = termsByVersion.get(model.versionInfo.versionId);
    if (!terms) {
      const areas = model.areas.map((a) => ({ code: a.code, name: a.name }));
      const archetypes = model.data.archetypes.map((a) => ({ code: a.code, name: a.name }));
      terms = {
        areaCodes: areas.map((a) => a.code),
        statementAreas: new Map(model.data.statements.map((s) => [s.id, s.areaCode])),
        areas,
        archetypes,
        levels: model.data.levels.map((l) => ({ level: l.level, name: l.name })),
        areaNames: new Map(areas.map((a) => [a.code, a.name])),
        archetypeNames: new Map(archetypes.map((a) => [a.code, a.name])),
      };
      termsByVersion.set(model.versionInfo.versionId, terms);
    }
    return terms;
  }

  const terms = async () => termsOf(await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG));

  const actorOf = (personId: string | undefined): Promise<Actor | undefined> =>
    personId ? organisations.actorFor(personId) : Promise.resolve(undefined);

  async function organisationNames(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await organisationsRepository.listOrganisationsByIds(database.db, [...ids]);
    return new Map(rows.map((o) => [o.id, o.name]));
  }

  async function scopeViews(actor: Actor | undefined): Promise<ScopeView[]> {
    const scopes = cataloguePolicy.managedScopes(actor);
    const names = await organisationNames(
      scopes.flatMap((s) => (s.kind === 'organisation' ? [s.organisationId] : [])),
    );
    return scopes.map((scope) =>
      scope.kind === 'shared'
        ? { key: SHARED_SCOPE_KEY, scope, name: SHARED_SCOPE_NAME }
        : {
            key: scope.organisationId,
            scope,
            name: names.get(scope.organisationId) ?? 'Your organisation',
          },
    );
  }

  /** The scope named by a form or link ('shared' or an organisation id) that the actor manages. */
  async function managedScope(actor: Actor, key: string | undefined): Promise<ScopeView> {
    const views = await scopeViews(actor);
    ensure(views.length > 0, 'You do not manage any learning resources');
    if (key === undefined || key === '') {
      if (views.length === 1 && views[0]) return views[0];
      throw new CatalogueFieldError([
        { field: 'organisation', text: 'Select whose resources these are' },
      ]);
    }
    const view = views.find((v) => v.key === key);
    if (!view)
      throw new CatalogueFieldError([
        { field: 'organisation', text: 'Select one of the catalogues you manage' },
      ]);
    return view;
  }

  /** A resource the actor may see, or "not found". */
  async function visibleResource(actor: Actor | undefined, id: string): Promise<Resource> {
    const resource = isUuid(id) ? await repo.findById(database.db, id) : undefined;
    if (!resource || !cataloguePolicy.canView(actor, resource)) throw notFound();
    return resource;
  }

  /** A resource the actor manages: "not found" if they cannot see it, "forbidden" otherwise. */
  async function managedResource(actor: Actor, id: string): Promise<Resource> {
    const resource = await visibleResource(actor, id);
    ensure(cataloguePolicy.canManage(actor, resource), 'You cannot change this resource');
    return resource;
  }

  async function uniqueSlug(db: Db, organisationId: string | null, title: string) {
    const base = slugFrom(title);
    const taken = new Set(await repo.slugsLike(db, organisationId, base));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${String(n)}`)) return `${base}-${String(n)}`;
  }

  const auditScope = (organisationId: string | null) => organisationId ?? undefined;

  /** Who curated a new resource, unless the person says otherwise. */
  const defaultCurator = (view: ScopeView): string =>
    view.scope.kind === 'shared' ? SHARED_CURATOR : view.name;

  return {
    /** The areas, archetypes, levels and statements of the framework's latest version. */
    terms,

    /** The catalogues a person manages (for links and the organisation choice on forms). */
    async managedScopes(personId: string): Promise<ScopeView[]> {
      return scopeViews(await actorOf(personId));
    },

    /** One page of what the viewer may see that matches the filter, by title. */
    async browse(
      personId: string | undefined,
      filter: CatalogueFilter,
      options: { page?: number; pageSize?: number; includeRetired?: boolean } = {},
    ): Promise<BrowseResult> {
      const actor = await actorOf(personId);
      const pageSize = Math.max(1, Math.min(options.pageSize ?? 20, 100));
      const visibility = cataloguePolicy.visibility(actor, {
        includeRetired: options.includeRetired ?? false,
      });
      let page = Math.max(1, Math.floor(options.page ?? 1));
      let found = await repo.search(database.db, visibility, filter, {
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      const pageCount = Math.max(1, Math.ceil(found.total / pageSize));
      if (page > pageCount) {
        page = pageCount;
        found = await repo.search(database.db, visibility, filter, {
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
      }
      return {
        ...found,
        page,
        pageSize,
        pageCount,
        organisationNames: await organisationNames(visibility.organisationIds),
        managedScopes: await scopeViews(actor),
      };
    },

    /** The shared catalogue only (the public API): never an organisation's own resources. */
    async browseShared(
      filter: CatalogueFilter,
      options: { page: number; pageSize: number },
    ): Promise<{ resources: Resource[]; total: number }> {
      return repo.search(
        database.db,
        { organisationIds: [], includeOrganisations: false },
        filter,
        { limit: options.pageSize, offset: (options.page - 1) * options.pageSize },
      );
    },

    /** One resource the viewer may see (retired ones only for those who manage them). */
    async getResource(personId: string | undefined, id: string): Promise<ResourceView> {
      const actor = await actorOf(personId);
      const resource = await visibleResource(actor, id);
      return {
        resource,
        canManage: cataloguePolicy.canManage(actor, resource),
        organisationName: resource.organisationId
          ? (await organisationNames([resource.organisationId])).get(resource.organisationId)
          : undefined,
      };
    },

    /**
     * Resources in the catalogue (not retired) for any of the areas that the person (undefined:
     * nobody signed in) may see: the shared catalogue and their organisations' own.
     */
    async resourcesForAreas(
      personId: string | undefined,
      areaCodes: readonly string[],
    ): Promise<Resource[]> {
      const actor = await actorOf(personId);
      return repo.listVisibleForAreas(
        database.db,
        areaCodes,
        actor ? [...actor.memberships.keys()] : [],
      );
    },

    /** The scope a form or link names, if the person manages it (ForbiddenError otherwise). */
    async scopeFor(personId: string, key: string | undefined): Promise<ScopeView> {
      return managedScope(await organisations.actorFor(personId), key);
    },

    /** For the add form: the curator shown unless the person says otherwise. */
    defaultCurator,

    /** A resource for its edit form (ForbiddenError unless the person manages it). */
    async resourceToEdit(personId: string, id: string): Promise<ResourceView> {
      const actor = await organisations.actorFor(personId);
      const resource = await managedResource(actor, id);
      return {
        resource,
        canManage: true,
        organisationName: resource.organisationId
          ? (await organisationNames([resource.organisationId])).get(resource.organisationId)
          : undefined,
      };
    },

    /**
     * Adds a resource to a catalogue the person manages. An empty id is made from the title;
     * an id already used in that catalogue is a field error.
     */
    async add(
      personId: string,
      scopeKey: string | undefined,
      fields: ResourceFields,
      ip?: string,
    ): Promise<Resource> {
      const actor = await organisations.actorFor(personId);
      const view = await managedScope(actor, scopeKey);
      const organisationId = scopeOrganisationId(view.scope);
      const taken = () =>
        new CatalogueFieldError([
          {
            field: 'id',
            text: `The id ${fields.slug} is already used in ${view.name}. Choose another id`,
          },
        ]);
      try {
        return await database.transaction(async (tx) => {
          const slug = fields.slug || (await uniqueSlug(tx, organisationId, fields.title));
          if (fields.slug && (await repo.findBySlug(tx, organisationId, slug))) throw taken();
          const at = now();
          const resource = await repo.insert(tx, {
            ...newResourceRow(fields, at),
            slug,
            organisationId,
            curatedBy: fields.curatedBy ?? defaultCurator(view),
            curatedByPersonId: personId,
            source: 'local',
            retiredAt: fields.retired ? at : null,
          });
          await audit.record(
            {
              action: 'learning-resource.added',
              actorPersonId: personId,
              organisationId: auditScope(organisationId),
              subjectType: 'learning_resource',
              subjectId: resource.id,
              ip,
              details: { slug: resource.slug, title: resource.title },
            },
            tx,
          );
          return resource;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw taken();
        throw error;
      }
    },

    /** Changes a resource the person manages; its id and catalogue stay as they are. */
    async edit(
      personId: string,
      id: string,
      fields: ResourceFields,
      ip?: string,
    ): Promise<Resource> {
      const actor = await organisations.actorFor(personId);
      const existing = await managedResource(actor, id);
      const at = now();
      // "Curated by" left blank on the form goes back to the catalogue's own name, as when adding.
      const curatedBy =
        fields.curatedBy ??
        (existing.organisationId
          ? ((await organisationNames([existing.organisationId])).get(existing.organisationId) ??
            existing.curatedBy)
          : SHARED_CURATOR);
      const { patch, changed } = resourceChanges(
        existing,
        { ...fields, curatedBy, retired: undefined },
        at,
      );
      if (changed.length === 0) return existing;
      return database.transaction(async (tx) => {
        const resource = await repo.update(tx, existing.id, {
          ...patch,
          source: 'local',
          curatedByPersonId: personId,
          updatedAt: at,
        });
        await audit.record(
          {
            action: 'learning-resource.edited',
            actorPersonId: personId,
            organisationId: auditScope(existing.organisationId),
            subjectType: 'learning_resource',
            subjectId: existing.id,
            ip,
            details: { slug: existing.slug, title: resource.title, changed },
          },
          tx,
        );
        return resource;
      });
    },

    /** Retires a resource (true) or brings it back (false); doing it twice changes nothing. */
    async setRetired(
      personId: string,
      id: string,
      retired: boolean,
      ip?: string,
    ): Promise<Resource> {
      const actor = await organisations.actorFor(personId);
      const existing = await managedResource(actor, id);
      if ((existing.retiredAt !== null) === retired) return existing;
      const at = now();
      return database.transaction(async (tx) => {
        const resource = await repo.update(tx, existing.id, {
          retiredAt: retired ? at : null,
          source: 'local',
          updatedAt: at,
        });
        await audit.record(
          {
            action: retired ? 'learning-resource.retired' : 'learning-resource.unretired',
            actorPersonId: personId,
            organisationId: auditScope(existing.organisationId),
            subjectType: 'learning_resource',
            subjectId: existing.id,
            ip,
            details: { slug: existing.slug, title: existing.title },
          },
          tx,
        );
        return resource;
      });
    },

    /** A catalogue the person manages as CSV, with a file name for the download. */
    async exportCsv(
      personId: string,
      scopeKey: string | undefined,
    ): Promise<{ filename: string; csv: string; scope: ScopeView }> {
      const view = await managedScope(await organisations.actorFor(personId), scopeKey);
      const resources = await repo.listScope(database.db, scopeOrganisationId(view.scope));
      const name = view.scope.kind === 'shared' ? 'shared' : slugFrom(view.name);
      return {
        filename: `digicap-learning-resources-${name}.csv`,
        csv: catalogueCsv(resources),
        scope: view,
      };
    },

    /**
     * Imports a catalogue file into a catalogue the person manages: checked whole against the
     * framework's latest version first (CatalogueRejectedError with every problem, and nothing
     * written), then in one transaction each row updates the entry with its id or adds a new one.
     * Entries not in the file are left as they are.
     */
    async importCsv(
      personId: string,
      scopeKey: string | undefined,
      text: string,
      ip?: string,
    ): Promise<ImportSummary> {
      const actor = await organisations.actorFor(personId);
      const view = await managedScope(actor, scopeKey);
      const organisationId = scopeOrganisationId(view.scope);
      const parsed = parseCatalogueCsv(text, await terms());
      if (!parsed.ok) {
        await audit.record({
          action: 'learning-resources.import-rejected',
          actorPersonId: personId,
          organisationId: auditScope(organisationId),
          ip,
          details: { problems: parsed.problems.length },
        });
        throw new CatalogueRejectedError(parsed.problems);
      }
      try {
        return await database.transaction(async (tx) => {
          const existing = new Map(
            (await repo.listScope(tx, organisationId)).map((r) => [r.slug, r]),
          );
          const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0 };
          const at = now();
          const added: NewResourceRow[] = [];
          for (const { fields } of parsed.rows) {
            const found = existing.get(fields.slug);
            if (found) {
              const { patch, changed } = resourceChanges(found, fields, at);
              if (changed.length === 0) {
                summary.unchanged += 1;
                continue;
              }
              await repo.update(tx, found.id, {
                ...patch,
                source: 'local',
                curatedByPersonId: personId,
                updatedAt: at,
              });
              summary.updated += 1;
            } else {
              added.push({
                ...newResourceRow(fields, at),
                organisationId,
                curatedBy: fields.curatedBy ?? defaultCurator(view),
                curatedByPersonId: personId,
                source: 'local',
                retiredAt: fields.retired ? at : null,
              });
            }
          }
          await repo.insertMany(tx, added);
          summary.added = added.length;
          await audit.record(
            {
              action: 'learning-resources.imported',
              actorPersonId: personId,
              organisationId: auditScope(organisationId),
              ip,
              details: { ...summary },
            },
            tx,
          );
          return summary;
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new ConflictError(
            'Someone else changed this catalogue while the file was being imported. Upload it again',
          );
        throw error;
      }
    },

    /** Checks the bundled catalogue file against the framework's latest version. */
    async checkBundled(text: string) {
      return parseCatalogueCsv(text, await terms());
    },

    /**
     * Stores the bundled starter catalogue in the shared catalogue: adds new entries, updates
     * changed ones, brings back entries that are in the file again, and retires bundled entries
     * no longer in it. Entries people have taken over are left alone. Idempotent; safe when
     * several instances start together (advisory lock).
     */
    async syncBundled(rows: readonly CatalogueRow[]): Promise<BundledSyncResult> {
      return database.transaction(async (tx) => {
        await repo.lockCatalogueLoading(tx);
        const existing = new Map((await repo.listScope(tx, null)).map((r) => [r.slug, r]));
        const result: BundledSyncResult = {
          added: 0,
          updated: 0,
          unchanged: 0,
          retired: 0,
          keptLocal: 0,
        };
        const at = now();
        const added: NewResourceRow[] = [];
        for (const { fields } of rows) {
          const found = existing.get(fields.slug);
          if (!found) {
            added.push({
              ...newResourceRow(fields, at),
              organisationId: null,
              curatedBy: BUNDLED_CURATOR,
              curatedByPersonId: null,
              source: 'bundled',
              retiredAt: null,
            });
          } else if (found.source !== 'bundled') {
            result.keptLocal += 1;
          } else {
            const { patch, changed } = resourceChanges(
              found,
              { ...fields, curatedBy: BUNDLED_CURATOR, retired: false },
              at,
            );
            if (changed.length === 0) result.unchanged += 1;
            else {
              await repo.update(tx, found.id, { ...patch, updatedAt: at });
              result.updated += 1;
            }
          }
        }
        await repo.insertMany(tx, added);
        result.added = added.length;
        const retired = await repo.retireBundledExcept(
          tx,
          rows.map((r) => r.fields.slug),
          at,
        );
        result.retired = retired.length;
        if (result.added + result.updated + result.retired > 0) {
          await audit.record(
            {
              action: 'learning-catalogue.loaded',
              subjectType: 'learning_catalogue',
              details: {
                added: result.added,
                updated: result.updated,
                retired: retired,
              },
            },
            tx,
          );
        }
        return result;
      });
    },
  };
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;
