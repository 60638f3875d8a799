/**
 * Workforce insights: the views a line manager, an organisation's admins and insights viewers,
 * an integrated care board and a platform admin use to plan training. Every figure comes from the
 * read model (never from answers at request time) and leaves through the release function
 * (disclosure.ts) inside buildReport. Reads go to `database.read` (a replica when configured).
 * Every view and export is recorded in the audit log with its scope and filters.
 */
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { type Database, isUuid } from '../../platform/db/index.js';
import { InvalidInputError, NotFoundError } from '../../platform/errors.js';
import type { FrameworkModel, FrameworkService } from '../framework/index.js';
import { DEFAULT_FRAMEWORK_SLUG } from '../framework/index.js';
import {
  type Actor,
  ensure,
  ensureVisible,
  type OrganisationsService,
  organisationsRepository,
  UnitTree,
} from '../organisations/index.js';
import { CubeSlice, type Dimension, type Filters } from './cube-slice.js';
import { BASE_RULES, type DisclosureRules } from './disclosure.js';
import {
  type BreakdownDimension,
  buildReport,
  type InsightsReport,
  type ReportGroup,
} from './insights-report.js';
import { nationalLayout, organisationLayout, systemLayout } from './insights-layout.js';
import { insightsPolicy } from './insights.policy.js';
import {
  insightsRepository as repo,
  insightsSharesRepository as shares,
} from './insights.repository.js';
import type { ReadModel } from './read-model.service.js';

export interface InsightsServiceDeps {
  database: Database;
  frameworks: Pick<FrameworkService, 'getFramework'>;
  organisations: Pick<OrganisationsService, 'actorFor'>;
  audit: AuditLog;
  readModel: Pick<ReadModel, 'processQueue'>;
  rules?: DisclosureRules;
  now?: () => Date;
}

export interface InsightsQuery {
  /** A unit of the organisation (organisation views). */
  unitId?: string | undefined;
  /** A member organisation (system and national views). */
  organisationId?: string | undefined;
  filters: Filters;
  by: BreakdownDimension[];
  area?: string | undefined;
}

export type InsightsTarget =
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'system'; organisationId: string }
  | { kind: 'national' };

export interface InsightsScopeInfo {
  target: InsightsTarget;
  organisation?: { id: string; name: string; isDemo: boolean };
  /** The unit the view is about, with its path. */
  unit?: { id: string; path: string; parentId: string | null };
  /** A member organisation picked in a system or national view. */
  member?: { id: string; name: string };
  /** Units the viewer may pick (organisation views), in tree order with depth. */
  units: { id: string; name: string; depth: number; path: string }[];
  /** The units just below the view's (or the top-level units), to drill down into. */
  children: { id: string; name: string }[];
  /** Organisations the viewer may pick (system and national views). */
  members: { id: string; name: string }[];
  /** What a breakdown may be by here. */
  breakdowns: BreakdownDimension[];
  /** The whole organisation may be viewed (admins); line managers only their units. */
  wholeOrganisation: boolean;
}

export interface InsightsPage {
  scope: InsightsScopeInfo;
  query: InsightsQuery;
  framework: FrameworkModel;
  report: InsightsReport;
  rules: DisclosureRules;
  /** When the figures on a lagging replica were last brought up to date; undefined when current. */
  figuresAsOf: Date | undefined;
  generatedAt: Date;
}

const QUARTERS_SHOWN = 8;
/** A change the worker has not reached after this long puts "Figures as of" on the pages. */
const BACKLOG_NOTICE_SECONDS = 60;

/** A query value that does not fit this view (a unit outside the viewer's scope…). */
export class InsightsQueryError extends InvalidInputError {
  override name = 'InsightsQueryError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export function createInsightsService(deps: InsightsServiceDeps) {
  const { database, frameworks, organisations, audit } = deps;
  const rules = deps.rules ?? BASE_RULES;
  const now = deps.now ?? (() => new Date());
  const orgRepo = organisationsRepository;
  let metricCache: { at: number; ids: Map<string, number> } | undefined;

  async function metricIds(): Promise<Map<string, number>> {
    if (!metricCache || Date.now() - metricCache.at > 5_000)
      metricCache = { at: Date.now(), ids: await repo.allMetricIds(database.read) };
    return metricCache.ids;
  }

  /**
   * The organisation, or "not found" (as ensureVisible) unless it exists and the actor belongs
   * to it or is a platform admin.
   */
  async function visibleOrganisation(actor: Actor, organisationId: string) {
    const organisation = isUuid(organisationId)
      ? await orgRepo.findOrganisation(database.db, organisationId)
      : undefined;
    if (!organisation) throw new NotFoundError('We could not find that page');
    ensureVisible(actor.isPlatformAdmin || actor.memberships.has(organisationId));
    return organisation;
  }

  /**
   * Figures as of when, if they are behind: the replica has not yet replayed the primary's latest
   * change to the read model, or the worker has changes it has not reached for longer than
   * BACKLOG_NOTICE_SECONDS (normally it is under a second behind; a long backlog means it is
   * stopped or catching up). The earlier of the two; undefined when the figures are current.
   */
  async function freshness(): Promise<Date | undefined> {
    const replicaBehind = async () => {
      if (database.readsFrom !== 'replica') return undefined;
      const [primary, replica] = await Promise.all([
        repo.appliedAt(database.db),
        repo.appliedAt(database.read),
      ]);
      if (!primary) return undefined;
      if (replica && replica.getTime() >= primary.getTime()) return undefined;
      // Behind: the figures hold everything the replica had replayed by its last commit.
      return (await repo.replayedAt(database.read)) ?? replica ?? primary;
    };
    const [replica, backlog] = await Promise.all([
      replicaBehind(),
      repo.backlogSince(database.db, BACKLOG_NOTICE_SECONDS),
    ]);
    if (!backlog) return replica;
    return replica && replica.getTime() < backlog.getTime() ? replica : backlog;
  }

  /** The scope of a view across organisations (a board's members, or the nation). */
  function acrossOrganisations(
    target: InsightsTarget,
    members: { id: string; name: string }[],
    member: { id: string; name: string } | undefined,
    organisation?: InsightsScopeInfo['organisation'],
  ): InsightsScopeInfo {
    return {
      target,
      ...(organisation ? { organisation } : {}),
      ...(member ? { member } : {}),
      units: [],
      children: [],
      members,
      breakdowns: [
        ...(member ? [] : (['organisation'] as const)),
        'profession',
        'setting',
        'archetype',
      ],
      wholeOrganisation: true,
    };
  }

  /** Invitations not yet accepted in these organisations, for one profession or all. */
  function invitationsIn(organisationIds: string[], profession: string | undefined) {
    if (organisationIds.length === 0) return Promise.resolve(0);
    return repo.openInvitations(database.read, {
      organisationIds,
      ...(profession !== undefined ? { profession } : {}),
    });
  }

  function labels(model: FrameworkModel): Record<Dimension, ReadonlyMap<string, string>> {
    return {
      profession: new Map(model.data.professions.map((p) => [p.code, p.name])),
      setting: new Map(model.data.workSettings.map((w) => [w.code, w.name])),
      archetype: new Map(model.data.archetypes.map((a) => [a.code as string, a.name])),
    };
  }

  function checkQuery(model: FrameworkModel, query: InsightsQuery, allowed: BreakdownDimension[]) {
    const l = labels(model);
    for (const d of ['profession', 'setting', 'archetype'] as const) {
      const v = query.filters[d];
      if (v !== undefined && v !== '' && !l[d].has(v))
        throw new InsightsQueryError(
          d,
          `Choose a ${d === 'setting' ? 'work setting' : d} from the list`,
        );
    }
    if (query.by.length > 2) throw new InsightsQueryError('by', 'Choose at most two breakdowns');
    for (const b of query.by) {
      if (!allowed.includes(b))
        throw new InsightsQueryError('by', 'Choose a breakdown from the list');
      if (b !== 'unit' && b !== 'organisation' && query.filters[b] !== undefined)
        throw new InsightsQueryError('by', 'A breakdown cannot also be a filter');
    }
    if (new Set(query.by).size !== query.by.length)
      throw new InsightsQueryError('then', 'Choose two different breakdowns');
    if (query.area !== undefined && !model.nodesByCode.get(query.area)?.isArea)
      throw new InsightsQueryError('area', 'Choose an area from the list');
  }

  async function build(
    _actor: Actor,
    scope: InsightsScopeInfo,
    query: InsightsQuery,
    layout: {
      chain: string[][];
      parts: string[][];
      partition: string[][];
      rollupScopeIds: string[];
      sizeOnlyScopeIds?: string[];
      unitScopeIds: string[];
      scopeGroups: ReportGroup[];
      invitations: () => Promise<number>;
      /** A view inside one organisation: its unit tree, for the sum-of-parts rule. */
      unitTree?: { organisationId: string; tree: UnitTree };
    },
  ): Promise<InsightsPage> {
    const model = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    checkQuery(model, query, scope.breakdowns);
    const groupBy = query.by.filter((b): b is Dimension => b !== 'unit' && b !== 'organisation');
    // Metric ids first (remembered for a few seconds), then every read at once.
    const ids = await metricIds();
    // The parts of a national total: only their sizes (people, members), a few numbers each.
    const sizeOnly = (layout.sizeOnlyScopeIds ?? []).filter(
      (id) => !layout.rollupScopeIds.includes(id),
    );
    const unitIds = layout.unitTree ? layout.unitTree.tree.flatten().map((u) => u.id) : [];
    const [rows, openInvitations, figuresAsOf, sizeRows, unitSizes] = await Promise.all([
      repo.viewRows(database.read, {
        unitScopeIds: layout.unitScopeIds,
        rollupScopeIds: layout.rollupScopeIds,
        filters: query.filters,
        groupBy,
      }),
      // Invitations carry a profession, but nobody has chosen a work setting or archetype yet.
      query.filters.setting !== undefined || query.filters.archetype !== undefined
        ? Promise.resolve(0)
        : layout.invitations(),
      freshness(),
      repo.sizeRows(database.read, {
        scopeIds: sizeOnly,
        filters: query.filters,
        peopleId: ids.get('people'),
        memberId: ids.get('member'),
        groupBy,
      }),
      repo.unitSizeRows(database.read, {
        unitIds,
        filters: query.filters,
        peopleId: ids.get('people'),
        memberId: ids.get('member'),
        groupBy,
      }),
    ]);
    const slice = new CubeSlice(
      [...rows, ...sizeRows],
      ids,
      new Set([...layout.rollupScopeIds, ...sizeOnly]),
    );
    const report = buildReport(
      slice,
      {
        chain: layout.chain,
        parts: layout.parts,
        partition: layout.partition,
        filters: query.filters,
        // A unit or organisation breakdown always comes first: its groups hold the others.
        by: [...query.by].sort(
          (a, b) =>
            Number(b === 'unit' || b === 'organisation') -
            Number(a === 'unit' || a === 'organisation'),
        ),
        scopeGroups: layout.scopeGroups,
        labels: labels(model),
        areas: model.areas.map((a) => ({ code: a.code, name: a.name })),
        statements: new Map(
          [...model.statementsById.values()].map((st) => [
            st.id,
            { text: st.text, areaCode: st.areaCode, level: st.level },
          ]),
        ),
        focusArea: query.area,
        openInvitations,
        today: now(),
        quarters: QUARTERS_SHOWN,
        ...(layout.unitTree
          ? {
              unitTree: {
                organisationId: layout.unitTree.organisationId,
                roots: layout.unitTree.tree.roots,
                sizes: new CubeSlice(unitSizes.all, ids, new Set()),
                grouped: new CubeSlice(unitSizes.grouped, ids, new Set()),
              },
            }
          : {}),
      },
      rules,
    );
    return { scope, query, framework: model, report, rules, figuresAsOf, generatedAt: now() };
  }

  /** The organisations in each ICB's total, for every ICB with any organisation sharing. */
  async function everySystemTotal(all: readonly { id: string; type: string }[]) {
    const receivers = all.filter((o) => o.type === 'icb').map((o) => o.id);
    const rows = await shares.openToAny(database.read, receivers);
    const byReceiver = new Map<string, string[]>();
    for (const r of rows) {
      const list = byReceiver.get(r.shared_with_organisation_id) ?? [];
      list.push(r.organisation_id);
      byReceiver.set(r.shared_with_organisation_id, list);
    }
    return [...byReceiver.values()].map((l) => l.sort());
  }

  async function recordView(
    actor: Actor,
    action: 'insights.viewed' | 'insights.exported',
    page: InsightsPage,
    extra: Record<string, unknown> = {},
    ip?: string,
    inOrganisation?: string,
  ) {
    const target = page.scope.target;
    await audit.record({
      action,
      actorPersonId: actor.personId,
      organisationId:
        inOrganisation ?? (target.kind === 'national' ? undefined : target.organisationId),
      subjectType: 'insights',
      subjectId: target.kind === 'national' ? undefined : target.organisationId,
      ip,
      details: {
        view: target.kind,
        unitId: page.query.unitId ?? null,
        memberOrganisationId: page.query.organisationId ?? null,
        filters: page.query.filters,
        by: page.query.by,
        area: page.report.trend?.area.code ?? page.query.area ?? null,
        ...extra,
      },
    });
  }

  return {
    rules,

    /** An organisation's insights, for its admins, insights viewers and line managers. */
    async organisationPage(
      actor: Actor,
      organisationId: string,
      query: InsightsQuery,
      ip?: string,
      /** What the audit entry calls the view: a page, the home page's summary, or none (an export records itself). */
      recordAs: 'page' | 'home' | 'export' = 'page',
    ): Promise<InsightsPage> {
      const organisation = await visibleOrganisation(actor, organisationId);
      const access = insightsPolicy.organisationScope(actor, organisationId);
      ensure(
        access.kind !== 'none',
        'Only line managers, insights viewers and admins see insights',
      );
      const tree = new UnitTree(await orgRepo.listUnits(database.db, organisationId));
      const allowed = (id: string) =>
        access.kind === 'all' || (access.kind === 'units' && access.unitIds.has(id));
      let unitId = query.unitId;
      if (unitId === undefined && access.kind === 'units') unitId = access.homeUnitId;
      if (unitId !== undefined && (!tree.get(unitId) || !allowed(unitId)))
        throw new InsightsQueryError('unit', 'Choose a unit from the list');
      const unit = unitId ? tree.get(unitId) : undefined;
      const children = unit ? unit.children : tree.roots;
      const layout = organisationLayout({ organisationId, tree, unitId });
      const q = { ...query, unitId };
      const page = await build(
        actor,
        {
          target: { kind: 'organisation', organisationId },
          organisation: {
            id: organisation.id,
            name: organisation.name,
            isDemo: organisation.isDemo,
          },
          ...(unit
            ? { unit: { id: unit.id, path: tree.pathText(unit.id), parentId: unit.parentId } }
            : {}),
          units: tree
            .flatten()
            .filter((u) => allowed(u.id))
            .map((u) => ({ id: u.id, name: u.name, depth: u.depth, path: tree.pathText(u.id) })),
          children: children.filter((c) => allowed(c.id)).map((c) => ({ id: c.id, name: c.name })),
          members: [],
          breakdowns: [
            ...(children.length > 0 ? (['unit'] as const) : []),
            'profession',
            'setting',
            'archetype',
          ],
          wholeOrganisation: access.kind === 'all',
        },
        q,
        {
          ...layout,
          unitTree: { organisationId, tree },
          invitations: () =>
            repo.openInvitations(database.read, {
              organisationIds: [organisationId],
              ...(unitId ? { unitId } : {}),
              ...(q.filters.profession !== undefined ? { profession: q.filters.profession } : {}),
            }),
        },
      );
      if (recordAs !== 'export')
        await recordView(
          actor,
          'insights.viewed',
          page,
          recordAs === 'home' ? { shownOn: 'home page' } : {},
          ip,
        );
      return page;
    },

    /** A system-level organisation's (ICB's) view of the organisations sharing with it. */
    async systemPage(
      actor: Actor,
      organisationId: string,
      query: InsightsQuery,
      ip?: string,
      recordAs: 'page' | 'export' = 'page',
    ) {
      const organisation = await visibleOrganisation(actor, organisationId);
      // Only an integrated care board has a view of organisations sharing with it.
      ensureVisible(organisation.type === 'icb');
      ensure(
        insightsPolicy.canViewSystem(actor, organisationId),
        'Only admins and insights viewers see shared insights',
      );
      const members = (await shares.openTo(database.read, organisationId)).map((m) => ({
        id: m.organisation_id,
        name: m.name,
      }));
      const memberIds = members.map((m) => m.id).sort();
      if (query.organisationId !== undefined && !memberIds.includes(query.organisationId))
        throw new InsightsQueryError('organisation', 'Choose an organisation from the list');
      const member = members.find((m) => m.id === query.organisationId);
      const layout = systemLayout({ members, memberId: member?.id });
      const page = await build(
        actor,
        acrossOrganisations({ kind: 'system', organisationId }, members, member, {
          id: organisation.id,
          name: organisation.name,
          isDemo: organisation.isDemo,
        }),
        query,
        {
          ...layout,
          invitations: () =>
            invitationsIn(member ? [member.id] : memberIds, query.filters.profession),
        },
      );
      if (recordAs !== 'export') {
        await recordView(actor, 'insights.viewed', page, {}, ip);
        // The organisation looked at keeps its own record of who, at the ICB, looked.
        if (member)
          await recordView(
            actor,
            'insights.viewed',
            page,
            { viewedThrough: organisationId },
            ip,
            member.id,
          );
      }
      return page;
    },

    /** Every organisation together, for platform admins. */
    async nationalPage(
      actor: Actor,
      query: InsightsQuery,
      ip?: string,
      recordAs: 'page' | 'export' = 'page',
    ) {
      ensureVisible(insightsPolicy.canViewNational(actor));
      const all = await orgRepo.listOrganisations(database.db);
      const members = all.map((o) => ({ id: o.id, name: o.name }));
      if (query.organisationId !== undefined && !members.some((m) => m.id === query.organisationId))
        throw new InsightsQueryError('organisation', 'Choose an organisation from the list');
      const member = members.find((m) => m.id === query.organisationId);
      const page = await build(
        actor,
        acrossOrganisations({ kind: 'national' }, members, member),
        query,
        {
          ...nationalLayout({
            members,
            memberId: member?.id,
            systems: await everySystemTotal(all),
            byOrganisation: query.by.includes('organisation'),
          }),
          invitations: () =>
            member
              ? invitationsIn([member.id], query.filters.profession)
              : repo.allOpenInvitations(database.read, query.filters.profession),
        },
      );
      if (recordAs !== 'export') await recordView(actor, 'insights.viewed', page, {}, ip);
      return page;
    },

    /** Records an export of a page's figures (the routes build the file from the page). */
    async recordExport(actor: Actor, page: InsightsPage, format: 'csv' | 'xlsx', ip?: string) {
      await recordView(actor, 'insights.exported', page, { format }, ip);
      if (page.scope.target.kind === 'system' && page.scope.member)
        await recordView(
          actor,
          'insights.exported',
          page,
          { format, viewedThrough: page.scope.target.organisationId },
          ip,
          page.scope.member.id,
        );
    },

    // Sharing with an integrated care board.

    async sharingPage(actor: Actor, organisationId: string) {
      const organisation = await visibleOrganisation(actor, organisationId);
      ensure(insightsPolicy.canManageSharing(actor, organisationId));
      const open = await shares.openFrom(database.db, organisationId);
      const candidates = (await orgRepo.listOrganisations(database.db)).filter(
        (o) =>
          o.type === 'icb' &&
          o.id !== organisationId &&
          !open.some((s) => s.shared_with_organisation_id === o.id),
      );
      return {
        organisation,
        shares: open.map((s) => ({
          id: s.id,
          organisationId: s.shared_with_organisation_id,
          name: s.name,
          since: new Date(s.created_at),
        })),
        candidates: candidates.map((c) => ({ id: c.id, name: c.name })),
      };
    },

    async share(actor: Actor, organisationId: string, receiverId: string, ip?: string) {
      const organisation = await visibleOrganisation(actor, organisationId);
      ensure(insightsPolicy.canManageSharing(actor, organisationId));
      const receiver = isUuid(receiverId)
        ? await orgRepo.findOrganisation(database.db, receiverId)
        : undefined;
      if (!receiver || receiver.type !== 'icb' || receiver.id === organisationId)
        throw new InsightsQueryError(
          'organisationId',
          'Choose an integrated care board from the list',
        );
      await database.transaction(async (tx) => {
        const id = await shares.insert(tx, {
          organisationId,
          sharedWithOrganisationId: receiverId,
          personId: actor.personId,
        });
        // Already shared (two admins at once, or the form sent twice): say so on the form.
        if (!id)
          throw new InsightsQueryError(
            'organisationId',
            `${organisation.name} already shares its insights with ${receiver.name}`,
          );
        await audit.record(
          {
            action: 'insights.shared',
            actorPersonId: actor.personId,
            organisationId,
            subjectType: 'organisation',
            subjectId: receiverId,
            ip,
            details: { sharedWith: receiver.name },
          },
          tx,
        );
        // The receiver's log shows it too, so its admins can see who shares with them.
        await audit.record(
          {
            action: 'insights.shared-with-us',
            actorPersonId: actor.personId,
            organisationId: receiverId,
            subjectType: 'organisation',
            subjectId: organisationId,
            ip,
            details: { sharedBy: organisation.name },
          },
          tx,
        );
      });
      return receiver;
    },

    async withdrawShare(actor: Actor, organisationId: string, shareId: string, ip?: string) {
      ensureVisible(isUuid(shareId), 'sharing agreement');
      await visibleOrganisation(actor, organisationId);
      ensure(insightsPolicy.canManageSharing(actor, organisationId));
      return database.transaction(async (tx) => {
        const receiverId = await shares.withdraw(tx, {
          id: shareId,
          organisationId,
          personId: actor.personId,
        });
        if (!receiverId) throw new NotFoundError('We could not find that sharing agreement');
        for (const [orgId, subject] of [
          [organisationId, receiverId],
          [receiverId, organisationId],
        ] as const) {
          await audit.record(
            {
              action:
                orgId === organisationId
                  ? 'insights.share-withdrawn'
                  : 'insights.share-withdrawn-from-us',
              actorPersonId: actor.personId,
              organisationId: orgId,
              subjectType: 'organisation',
              subjectId: subject,
              ip,
              details: {},
            },
            tx,
          );
        }
        return receiverId;
      });
    },

    /** System-level organisations the actor can see shared insights of (for home pages and nav). */
    canViewSystem: (actor: Actor, organisationId: string) =>
      insightsPolicy.canViewSystem(actor, organisationId),

    /** Brings the read model up to date now (tests; the worker does this in the background). */
    catchUp: () => deps.readModel.processQueue(),

    actorFor: (personId: string) => organisations.actorFor(personId),
  };
}

export type InsightsService = ReturnType<typeof createInsightsService>;
