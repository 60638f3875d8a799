/**
 * Recommendations for a person's gaps: reads their results, what they may see in the catalogue,
 * their marks and preferences, and runs the pure ranking (recommend.ts). Also dismissing a
 * suggestion ("not for me") and bringing it back.
 *
 * Everything here is about the signed-in person's own data: every verb takes their id, and
 * results come from the assessment module's own-results service, which refuses anyone else's.
 * Resources: the shared catalogue and their own organisations' resources, never another
 * organisation's, never retired ones.
 */
import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import type { Database } from '../../platform/db/index.js';
import { isUuid } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import {
  type AssessmentResults,
  type AssessmentService,
  countsAsGap,
  meetsStatement,
  type ResultsLearningGap,
  type ResultsService,
} from '../assessment/index.js';
import { organisationsRepository } from '../organisations/index.js';
import { addResourceHref } from './plans.presenter.js';
import type { PreferencesService } from './preferences.service.js';
import {
  type GapRecommendations,
  indexResources,
  type LearningPreferences,
  mergeIndexes,
  type RankableResource,
  type Reason,
  recommend,
  type RecommendationGap,
  type ResourceIndex,
} from './recommend.js';
import {
  recommendationsRepository as repo,
  type ResourceDetails,
} from './recommendations.repository.js';

export interface RecommendationsServiceDeps {
  database: Database;
  results: Pick<ResultsService, 'history' | 'archetypeNames'>;
  assessments: Pick<AssessmentService, 'workspace'>;
  preferences: Pick<PreferencesService, 'get'>;
  /**
   * How long the catalogue held in memory is trusted before its fingerprint is checked again
   * (default 1 s; 0 checks on every request, as tests that change the catalogue need).
   */
  catalogueCheckMs?: number;
  now?: () => Date;
}

export interface RecommendedResource extends ResourceDetails {
  score: number;
  reasons: Reason[];
}

export interface GapLearning {
  areaCode: string;
  areaName: string;
  domainName: string;
  level: number;
  targetLevel: number;
  shortfall: number;
  recommendations: RecommendedResource[];
  counts: GapRecommendations['counts'];
}

export interface LearningForResults {
  assessmentId: string;
  frameworkSlug: string;
  submittedAt: string;
  preferences: LearningPreferences;
  gaps: GapLearning[];
}

/** The person's latest results and the learning for their gaps; no results: no assessment. */
export type MyLearning =
  | ({ hasResults: true } & LearningForResults)
  | { hasResults: false; preferences: LearningPreferences };

export const RESULTS_PAGE_PER_GAP = 2;

interface CatalogueInMemory {
  stamp: string;
  shared: ResourceIndex;
  byOrganisation: Map<string, ResourceIndex>;
}

/** The gaps of a results snapshot, most urgent first (not areas marked not relevant). */
export function gapsOf(results: AssessmentResults): (RecommendationGap & { domainName: string })[] {
  const byCode = new Map(results.areas.map((a) => [a.areaCode, a]));
  return results.gaps.flatMap((code) => {
    const area = byCode.get(code);
    if (!area || !countsAsGap(area)) return [];
    return [
      {
        areaCode: area.areaCode,
        areaName: area.areaName,
        domainName: area.domainName,
        level: area.level,
        targetLevel: area.targetLevel,
        shortfall: area.shortfall,
        breadth: area.poolSize,
      },
    ];
  });
}

export function createRecommendationsService({
  database,
  results,
  assessments,
  preferences,
  catalogueCheckMs = 1_000,
  now = () => new Date(),
}: RecommendationsServiceDeps) {
  const organisationIdsOf = async (personId: string) =>
    (await organisationsRepository.membershipsForPerson(database.db, personId)).map(
      (m) => m.organisationId,
    );

  /**
   * The catalogue (not retired) as the ranking reads it, kept in memory: the shared resources
   * and each organisation's own. Its fingerprint is checked at most every `catalogueCheckMs`,
   * and the rows read again only when it has changed, so a large catalogue costs one small query
   * now and then rather than every row on every request. A change made on any instance is seen
   * within `catalogueCheckMs`.
   */
  let catalogue: Promise<CatalogueInMemory> | undefined;
  let checkedAt = Number.NEGATIVE_INFINITY;
  async function currentCatalogue(): Promise<CatalogueInMemory> {
    const held = await catalogue?.catch(() => undefined);
    const at = performance.now();
    if (held && at - checkedAt < catalogueCheckMs) return held;
    const stamp = await repo.catalogueStamp(database.db);
    checkedAt = at;
    if (held?.stamp === stamp) return held;
    const loading = repo.listRankable(database.db).then((rows) => {
      const shared: RankableResource[] = [];
      const byOrganisation = new Map<string, RankableResource[]>();
      for (const { organisationId, ...resource } of rows) {
        if (organisationId === null) shared.push(resource);
        else {
          const list = byOrganisation.get(organisationId) ?? [];
          list.push(resource);
          byOrganisation.set(organisationId, list);
        }
      }
      return {
        stamp,
        shared: indexResources(shared),
        byOrganisation: new Map(
          [...byOrganisation].map(([id, list]) => [id, indexResources(list)] as const),
        ),
      };
    });
    catalogue = loading;
    return loading;
  }

  /**
   * Statements not met, by gap area, for each submitted assessment read: answers never change
   * once submitted, so they are read once per assessment (the most recent few hundred kept).
   */
  const unmetByAssessment = new LRUCache<string, Map<string, string[]>>({ max: 500 });

  /**
   * What the person may see in the gap areas: the shared catalogue and their own organisations'
   * resources (these never share an id), by area.
   */
  const visibleTo = (
    c: CatalogueInMemory,
    organisationIds: readonly string[],
    areaCodes: Iterable<string>,
  ) =>
    mergeIndexes(
      [
        c.shared,
        ...organisationIds.flatMap((id) => {
          const own = c.byOrganisation.get(id);
          return own ? [own] : [];
        }),
      ],
      areaCodes,
    );

  /**
   * Statements in each gap area, at or below its target, that the person answered but did not
   * meet. Read only when some candidate names statements (few do), as it reads every answer.
   */
  async function unmetStatements(
    personId: string,
    assessmentId: string,
    gaps: readonly RecommendationGap[],
  ): Promise<Map<string, string[]>> {
    const known = unmetByAssessment.get(assessmentId);
    if (known) return known;
    const targets = new Map(gaps.map((g) => [g.areaCode, g.targetLevel]));
    const { answers, pool } = await assessments.workspace(personId, assessmentId);
    const unmet = new Map<string, string[]>();
    for (const [id, value] of answers) {
      const where = pool.statements.get(id);
      const target = where ? targets.get(where.areaCode) : undefined;
      if (!where || target === undefined || where.level > target) continue;
      if (value === 'not-relevant' || meetsStatement(value)) continue;
      const list = unmet.get(where.areaCode) ?? [];
      list.push(id);
      unmet.set(where.areaCode, list);
    }
    unmetByAssessment.set(assessmentId, unmet);
    return unmet;
  }

  async function learningFor(
    personId: string,
    assessment: { id: string; results: AssessmentResults },
    perGap: number,
  ): Promise<LearningForResults> {
    const gaps = gapsOf(assessment.results);
    const [organisationIds, prefs, marks, archetypeNames, inMemory] = await Promise.all([
      organisationIdsOf(personId),
      preferences.get(personId),
      repo.listMarks(database.db, personId),
      results.archetypeNames(assessment.results),
      gaps.length > 0 ? currentCatalogue() : undefined,
    ]);
    const base = {
      assessmentId: assessment.id,
      frameworkSlug: assessment.results.frameworkSlug,
      submittedAt: assessment.results.submittedAt,
      preferences: prefs,
    };
    if (!inMemory || gaps.length === 0) return { ...base, gaps: [] };
    const candidates = visibleTo(
      inMemory,
      organisationIds,
      gaps.map((g) => g.areaCode),
    );
    const namesStatements = [...candidates.values()].some((list) =>
      list.some((c) => c.resource.statementIds.length > 0),
    );
    const unmet = namesStatements
      ? await unmetStatements(personId, assessment.id, gaps)
      : new Map<string, string[]>();
    const ranked = recommend({
      gaps: gaps.map((g) => ({ ...g, unmetStatementIds: unmet.get(g.areaCode) ?? [] })),
      archetypeCodes: assessment.results.archetypeCodes,
      archetypeNames,
      preferences: prefs,
      completedIds: marks.filter((m) => m.kind === 'completed').map((m) => m.resourceId),
      dismissedIds: marks.filter((m) => m.kind === 'dismissed').map((m) => m.resourceId),
      resources: candidates,
      perGap,
    });
    const chosen = [...new Set(ranked.flatMap((g) => g.recommendations.map((r) => r.resourceId)))];
    const details = new Map(
      (await repo.findDetails(database.db, chosen)).map((d) => [d.id, d] as const),
    );
    const domainOf = new Map(gaps.map((g) => [g.areaCode, g.domainName]));
    return {
      ...base,
      gaps: ranked.map((g) => ({
        areaCode: g.gap.areaCode,
        areaName: g.gap.areaName,
        domainName: domainOf.get(g.gap.areaCode) ?? '',
        level: g.gap.level,
        targetLevel: g.gap.targetLevel,
        shortfall: g.gap.shortfall,
        counts: g.counts,
        recommendations: g.recommendations.flatMap((r) => {
          const d = details.get(r.resourceId);
          return d ? [{ ...d, score: r.score, reasons: r.reasons }] : [];
        }),
      })),
    };
  }

  /** A resource the person may see, or "not found" (also for malformed ids). */
  async function visibleResource(personId: string, resourceId: string) {
    const found = isUuid(resourceId)
      ? await repo.findVisible(database.db, resourceId, await organisationIdsOf(personId))
      : undefined;
    if (!found) throw new NotFoundError('We could not find that learning resource');
    return found;
  }

  return {
    /** Learning for the gaps of the person's latest submitted results (up to `perGap` each). */
    async forPerson(personId: string, perGap = 3): Promise<MyLearning> {
      const [latest] = await results.history(personId);
      if (!latest) return { hasResults: false, preferences: await preferences.get(personId) };
      return { hasResults: true, ...(await learningFor(personId, latest, perGap)) };
    },

    /** Learning for the gaps of one of the person's own submitted assessments. */
    learningFor,

    /**
     * For the owner's results page (the assessment module's ResultsRecommendations): the top
     * one or two per gap, in the shape that page shows.
     */
    async forResults(
      personId: string,
      assessment: { id: string; results: AssessmentResults },
    ): Promise<ResultsLearningGap[]> {
      const learning = await learningFor(personId, assessment, RESULTS_PAGE_PER_GAP);
      return learning.gaps.map((g) => ({
        areaCode: g.areaCode,
        areaLabel: `${g.areaCode} ${g.areaName}`,
        items: g.recommendations.map((r) => ({
          title: r.title,
          href: r.url,
          provider: r.provider,
          addToPlanHref: addResourceHref(r.id),
          reasons: r.reasons.filter((x) => x.kind !== 'area').map((x) => x.text),
        })),
      }));
    },

    /** The resources the person dismissed, newest first. */
    async dismissed(personId: string) {
      return repo.listDismissed(database.db, personId);
    },

    /**
     * "Not for me": the resource is never suggested to the person again (until they restore it).
     * Returns its title, for the page's notice. Not found unless the person may see it.
     */
    async dismiss(personId: string, resourceId: string): Promise<{ title: string }> {
      const resource = await visibleResource(personId, resourceId);
      await repo.addMark(database.db, personId, resource.id, 'dismissed', now());
      return { title: resource.title };
    },

    /** Undoes a dismissal: the resource may be suggested again. */
    async undismiss(personId: string, resourceId: string): Promise<{ title: string }> {
      const resource = await visibleResource(personId, resourceId);
      await repo.removeMark(database.db, personId, resource.id, 'dismissed');
      return { title: resource.title };
    },

    /** A resource's title, if the person may see it (for notices); undefined otherwise. */
    async titleOf(personId: string, resourceId: string): Promise<string | undefined> {
      try {
        return (await visibleResource(personId, resourceId)).title;
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },

    /** For "download my data": the person's preferences and marks. */
    async personalData(personId: string) {
      const [prefs, marks] = await Promise.all([
        preferences.get(personId),
        repo.listMarks(database.db, personId),
      ]);
      return {
        preferences: { ...prefs, formats: [...prefs.formats] },
        marks,
      };
    },
  };
}

export type RecommendationsService = ReturnType<typeof createRecommendationsService>;
