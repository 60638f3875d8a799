/**
 * Recommendations: for each gap in a person's results, a short ranked list of learning
 * resources, each with the reasons it was chosen. Pure: plain data in, plain data out, no I/O,
 * no clock, no randomness, so the same input always gives the same lists. The rules, in plain
 * language, are in docs/recommendations.md; the weights below are the whole of them.
 *
 * In short, for each gap (most urgent first):
 *   1. candidates: resources that cover the gap's area and are not retired, completed or
 *      dismissed, and that pass the hard preferences (free only; a maximum length, which a
 *      resource of unstated length passes with a penalty);
 *   2. score: area (always) + focus + statements not yet met + level + archetypes + preferred
 *      format + free + within the time limit − length not stated;
 *   3. order: score, then nearer level, then fewer areas, then title, then id;
 *   4. diversity: a resource already chosen for a more urgent gap is used again only when the gap
 *      would otherwise have fewer than `perGap` suggestions, after every fresh one, and says so.
 */
import { durationText, FORMAT_LABELS, isResourceFormat } from './catalogue.model.js';

/** A resource as the ranking sees it: only what it scores on, plus a title for ties. */
export interface RankableResource {
  id: string;
  title: string;
  /** e-learning, course, video, guidance, report, article, podcast, toolkit, programme, webinar. */
  format: string;
  /** Whole minutes when the provider states it; null when not stated. */
  durationMinutes: number | null;
  /** free, paid or unknown. */
  cost: string;
  /** Capability levels 1–4 the resource suits. */
  levels: readonly number[];
  areaCodes: readonly string[];
  /** Specific statements it addresses (often none). */
  statementIds: readonly string[];
  archetypeCodes: readonly string[];
  retired: boolean;
}

/** One gap from a person's results. */
export interface RecommendationGap {
  areaCode: string;
  areaName: string;
  /** The person's level in the area, 0 (below level 1) to 4. */
  level: number;
  targetLevel: number;
  /** targetLevel − level. */
  shortfall: number;
  /** How many statements the area has for the person's archetypes (breaks priority ties). */
  breadth: number;
  /** Statements in the area the person did not meet (optional: strengthens a match). */
  unmetStatementIds?: readonly string[];
}

export interface LearningPreferences {
  /** Preferred formats; empty means any. A boost, not a filter. */
  formats: readonly string[];
  /** The longest a resource should take; null means any length. A filter. */
  maxDurationMinutes: number | null;
  /** Only resources that are free. A filter: paid and unknown cost are left out. */
  freeOnly: boolean;
}

export const NO_PREFERENCES: LearningPreferences = Object.freeze({
  formats: Object.freeze<string[]>([]),
  maxDurationMinutes: null,
  freeOnly: false,
});

export interface RecommendInput {
  /** The person's gaps, in any order: they are ranked by priority here. */
  gaps: readonly RecommendationGap[];
  /** The archetypes the results were assessed for. */
  archetypeCodes: readonly string[];
  /** Archetype names by code, for reasons ("Written for Embedders"); codes shown otherwise. */
  archetypeNames?: Readonly<Record<string, string>>;
  preferences: LearningPreferences;
  completedIds: Iterable<string>;
  dismissedIds: Iterable<string>;
  /**
   * Candidate resources (those not covering any gap's area are simply never chosen), or the
   * same already indexed by area (indexResources, mergeIndexes): a service holding a large
   * catalogue indexes it once rather than on every request. The result is the same.
   */
  resources: readonly RankableResource[] | ResourceIndex;
  /** Suggestions per gap; 3 by default. */
  perGap?: number;
}

export type ReasonKind =
  | 'area'
  | 'focus'
  | 'statements'
  | 'level'
  | 'archetypes'
  | 'format'
  | 'cost'
  | 'duration'
  | 'repeat';

export interface Reason {
  kind: ReasonKind;
  text: string;
  /** A reason to think twice (length not stated, a charge, another level), not a reason to pick it. */
  caution?: true;
}

export interface Recommendation {
  resourceId: string;
  score: number;
  reasons: Reason[];
}

export interface GapRecommendations {
  gap: RecommendationGap;
  recommendations: Recommendation[];
  /** Why a short list is short: resources covering the area, and how many were left out. */
  counts: {
    /** Resources covering the area that are not retired. */
    coveringArea: number;
    /** …of which completed or dismissed. */
    completedOrDismissed: number;
    /** …of which, of the rest, left out by free only or the time limit. */
    outsidePreferences: number;
  };
}

export const DEFAULT_PER_GAP = 3;

/** The weights: documented in docs/recommendations.md, which must change with them. */
export const WEIGHTS = Object.freeze({
  area: 40,
  /** Covers this area only / this and one other. */
  focusOne: 6,
  focusTwo: 3,
  /** Addresses at least one statement not met, plus `statementEach` for each further one (up to 4). */
  statementFirst: 15,
  statementEach: 5,
  statementMaxCounted: 4,
  /** The next level up exactly; one level away; two levels away. */
  levelExact: 30,
  levelOneAway: 15,
  levelTwoAway: 5,
  /** Shared archetypes, in proportion to the person's archetypes it is written for. */
  archetypes: 15,
  format: 10,
  free: 4,
  withinTime: 4,
  durationNotStated: -8,
});

const byCodepoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** "Users", "Users and Embedders", "Shapers, Drivers and Users". */
function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** "E-learning", "Video": the format's label (a format not in the list, as it is). */
export function formatText(format: string): string {
  return isResourceFormat(format) ? FORMAT_LABELS[format] : format;
}

/** The level a person works towards next in an area: one above where they are, 1 to 4. */
export function nextLevel(level: number): number {
  return Math.min(4, Math.max(1, Math.floor(level) + 1));
}

/** Gaps most urgent first: larger shortfall, then broader area, then the order given. */
export function prioritiseGaps(gaps: readonly RecommendationGap[]): RecommendationGap[] {
  return gaps
    .map((gap, index) => ({ gap, index }))
    .sort(
      (a, b) =>
        b.gap.shortfall - a.gap.shortfall || b.gap.breadth - a.gap.breadth || a.index - b.index,
    )
    .map((x) => x.gap);
}

/** Hard preference filters: free only, and a maximum length (unstated length passes). */
export function passesPreferences(
  resource: Pick<RankableResource, 'cost' | 'durationMinutes'>,
  preferences: LearningPreferences,
): boolean {
  if (preferences.freeOnly && resource.cost !== 'free') return false;
  const max = preferences.maxDurationMinutes;
  if (max !== null && resource.durationMinutes !== null && resource.durationMinutes > max)
    return false;
  return true;
}

/** How a resource scores for a gap: the total and the parts its reasons are written from. */
interface Scored {
  resource: RankableResource;
  score: number;
  /** How many areas it covers. */
  areas: number;
  /** Distance from the next level up to the resource's nearest level (9: it states none). */
  levelDistance: number;
  /** That nearest level (the one above when two are equally near). */
  nearestLevel: number | undefined;
  matchedStatements: number;
  sharedArchetypes: number;
  /** lower-cased title, for ties, filled in when first needed. */
  sortTitle?: string;
}

interface Context {
  archetypes: readonly string[];
  archetypeNames: Readonly<Record<string, string>>;
  preferences: LearningPreferences;
  preferredFormats: ReadonlySet<string>;
}

const nameOf = (names: Readonly<Record<string, string>>, code: string) =>
  Object.hasOwn(names, code) ? (names[code] ?? code) : code;

/** How many different codes (short lists are the rule: no Set for one or two). */
function distinctCount(codes: readonly string[]): number {
  if (codes.length < 2) return codes.length;
  if (codes.length === 2) return codes[0] === codes[1] ? 1 : 2;
  return new Set(codes).size;
}

const LEVEL_SCORES = [WEIGHTS.levelExact, WEIGHTS.levelOneAway, WEIGHTS.levelTwoAway];

/**
 * The score and its parts (no words yet): run for every candidate, so it allocates only for a
 * candidate that could make the list (a score of at least `floor`); undefined for the rest.
 */
function scoreFor(
  resource: RankableResource,
  areas: number,
  next: number,
  unmet: ReadonlySet<string>,
  ctx: Context,
  floor: number,
): Scored | undefined {
  let score = WEIGHTS.area;

  if (areas === 1) score += WEIGHTS.focusOne;
  else if (areas === 2) score += WEIGHTS.focusTwo;

  let matchedStatements = 0;
  if (unmet.size > 0) {
    const ids = resource.statementIds;
    for (let i = 0; i < ids.length; i += 1) {
      const id = ids[i] ?? '';
      // Each statement once, however often it is listed.
      if (unmet.has(id) && ids.indexOf(id) === i) matchedStatements += 1;
    }
    if (matchedStatements > 0)
      score +=
        WEIGHTS.statementFirst +
        WEIGHTS.statementEach * (Math.min(matchedStatements, WEIGHTS.statementMaxCounted) - 1);
  }

  let nearestLevel: number | undefined;
  let levelDistance = 9;
  for (const l of resource.levels) {
    const d = Math.abs(l - next);
    // The nearer level; between two equally near, the one above (a stretch, not a repeat).
    if (
      d < levelDistance ||
      (d === levelDistance && nearestLevel !== undefined && l > nearestLevel)
    ) {
      levelDistance = d;
      nearestLevel = l;
    }
  }
  score += LEVEL_SCORES[levelDistance] ?? 0;

  let sharedArchetypes = 0;
  for (const code of ctx.archetypes)
    if (resource.archetypeCodes.includes(code)) sharedArchetypes += 1;
  if (sharedArchetypes > 0)
    score += Math.round((WEIGHTS.archetypes * sharedArchetypes) / ctx.archetypes.length);

  if (ctx.preferredFormats.has(resource.format)) score += WEIGHTS.format;
  if (resource.cost === 'free') score += WEIGHTS.free;
  if (ctx.preferences.maxDurationMinutes !== null)
    score += resource.durationMinutes === null ? WEIGHTS.durationNotStated : WEIGHTS.withinTime;

  if (score < floor) return undefined;
  return {
    resource,
    score,
    areas,
    levelDistance,
    nearestLevel,
    matchedStatements,
    sharedArchetypes,
  };
}

/** The reasons for a chosen resource, in the order of the score's parts. */
function reasonsFor(s: Scored, gap: RecommendationGap, ctx: Context): Reason[] {
  const { resource } = s;
  const reasons: Reason[] = [{ kind: 'area', text: `Covers ${gap.areaName}` }];
  if (s.areas === 1) reasons.push({ kind: 'focus', text: 'Focuses on this area alone' });
  if (s.matchedStatements > 0)
    reasons.push({
      kind: 'statements',
      text:
        s.matchedStatements === 1
          ? 'Addresses a statement you have not met yet'
          : `Addresses ${String(s.matchedStatements)} statements you have not met yet`,
    });
  if (s.nearestLevel !== undefined) {
    const l = String(s.nearestLevel);
    const next = nextLevel(gap.level);
    reasons.push(
      s.levelDistance === 0
        ? { kind: 'level', text: `Suits level ${l}, the next level up for you` }
        : s.nearestLevel > next
          ? {
              kind: 'level',
              text: `Suits level ${l}, beyond your next level (${String(next)})`,
              caution: true,
            }
          : s.nearestLevel === gap.level
            ? {
                kind: 'level',
                text: `Suits level ${l}, the level you are at now: a refresher`,
                caution: true,
              }
            : { kind: 'level', text: `Suits level ${l}, below your level now`, caution: true },
    );
  }
  if (s.sharedArchetypes > 0) {
    const shared = ctx.archetypes.filter((code) => resource.archetypeCodes.includes(code));
    reasons.push({
      kind: 'archetypes',
      text: `Written for ${listText(shared.map((code) => nameOf(ctx.archetypeNames, code)))}`,
    });
  }
  if (ctx.preferredFormats.has(resource.format))
    reasons.push({
      kind: 'format',
      text: `${formatText(resource.format)}: one of your preferred formats`,
    });
  if (resource.cost === 'free') reasons.push({ kind: 'cost', text: 'Free' });
  else if (resource.cost === 'paid')
    reasons.push({ kind: 'cost', text: 'There is a charge', caution: true });
  else reasons.push({ kind: 'cost', text: 'Cost not stated', caution: true });

  const max = ctx.preferences.maxDurationMinutes;
  if (resource.durationMinutes !== null) {
    const about = `About ${durationText(resource.durationMinutes)}`;
    reasons.push(
      max === null
        ? { kind: 'duration', text: about }
        : { kind: 'duration', text: `${about}, within your ${durationText(max)} limit` },
    );
  } else if (max !== null) {
    reasons.push({
      kind: 'duration',
      text: `Length not stated: it may take longer than your ${durationText(max)} limit`,
      caution: true,
    });
  }
  return reasons;
}

const sortTitle = (s: Scored) => (s.sortTitle ??= s.resource.title.toLowerCase());

/** Best first: score, nearer level, fewer areas, title, id. Total, so the order is stable. */
function compareScored(a: Scored, b: Scored): number {
  return (
    b.score - a.score ||
    a.levelDistance - b.levelDistance ||
    a.areas - b.areas ||
    byCodepoint(sortTitle(a), sortTitle(b)) ||
    byCodepoint(a.resource.id, b.resource.id)
  );
}

/** The lowest score that could still make a list of `size` (everything, until it is full). */
const floorOf = (best: readonly Scored[], size: number) =>
  best.length < size
    ? Number.NEGATIVE_INFINITY
    : (best[size - 1]?.score ?? Number.NEGATIVE_INFINITY);

/** Keeps the best `size` seen so far, best first (a short list: insertion is enough). */
function offer(best: Scored[], candidate: Scored, size: number): void {
  if (size === 0) return;
  if (best.length === size) {
    const last = best[size - 1];
    if (last && compareScored(candidate, last) >= 0) return;
    best.pop();
  }
  let i = best.length;
  while (i > 0) {
    const before = best[i - 1];
    if (!before || compareScored(before, candidate) <= 0) break;
    i -= 1;
  }
  best.splice(i, 0, candidate);
}

/** A resource in an index, with how many different areas it covers (worked out once). */
export interface IndexedResource {
  resource: RankableResource;
  areas: number;
}

/** Resources by area code: each resource not retired, once in each area it covers. */
export type ResourceIndex = ReadonlyMap<string, readonly IndexedResource[]>;

/** Indexes resources by area (retired ones and repeated ids left out). */
export function indexResources(resources: readonly RankableResource[]): ResourceIndex {
  const byArea = new Map<string, IndexedResource[]>();
  const seen = new Set<string>();
  for (const resource of resources) {
    if (resource.retired || seen.has(resource.id)) continue;
    seen.add(resource.id);
    const entry = { resource, areas: distinctCount(resource.areaCodes) };
    for (const code of resource.areaCodes) {
      let list = byArea.get(code);
      if (!list) byArea.set(code, (list = []));
      // (An area listed twice adds the resource once.)
      if (list[list.length - 1] !== entry) list.push(entry);
    }
  }
  return byArea;
}

/**
 * Indexes of resources with no id in common (the shared catalogue and each organisation's own)
 * as one, for the areas given only.
 */
export function mergeIndexes(
  indexes: readonly ResourceIndex[],
  areaCodes: Iterable<string>,
): ResourceIndex {
  const merged = new Map<string, readonly IndexedResource[]>();
  for (const code of areaCodes) {
    let list: readonly IndexedResource[] = [];
    for (const index of indexes) {
      const more = index.get(code);
      if (more && more.length > 0) list = list.length === 0 ? more : list.concat(more);
    }
    merged.set(code, list);
  }
  return merged;
}

/**
 * For each gap, most urgent first, up to `perGap` resources with a score and reasons. Never a
 * retired, completed or dismissed resource, nor one outside the free-only or time-limit
 * preferences.
 */
export function recommend(input: RecommendInput): GapRecommendations[] {
  const perGap = Math.max(0, Math.floor(input.perGap ?? DEFAULT_PER_GAP));
  const marked = new Set([...input.completedIds, ...input.dismissedIds]);
  const gapAreas = new Set(input.gaps.map((g) => g.areaCode));
  const ctx: Context = {
    archetypes: [...new Set(input.archetypeCodes)],
    archetypeNames: input.archetypeNames ?? {},
    preferences: input.preferences,
    preferredFormats: new Set(input.preferences.formats),
  };

  // Indexed by area (once, unless the caller did): each gap looks only at what covers it.
  const byArea: ResourceIndex =
    input.resources instanceof Map
      ? input.resources
      : indexResources(
          (input.resources as readonly RankableResource[]).filter((r) =>
            r.areaCodes.some((code) => gapAreas.has(code)),
          ),
        );

  /** Resource id → the name of the first (most urgent) gap it was chosen for. */
  const chosenFor = new Map<string, string>();
  return prioritiseGaps(input.gaps).map((gap) => {
    const covering = byArea.get(gap.areaCode) ?? [];
    const next = nextLevel(gap.level);
    const unmet = new Set(gap.unmetStatementIds ?? []);
    let completedOrDismissed = 0;
    let outsidePreferences = 0;
    const fresh: Scored[] = [];
    const repeats: Scored[] = [];
    for (const { resource, areas } of covering) {
      if (marked.has(resource.id)) {
        completedOrDismissed += 1;
        continue;
      }
      if (!passesPreferences(resource, input.preferences)) {
        outsidePreferences += 1;
        continue;
      }
      const list = chosenFor.has(resource.id) ? repeats : fresh;
      const scored = scoreFor(resource, areas, next, unmet, ctx, floorOf(list, perGap));
      if (scored) offer(list, scored, perGap);
    }
    const picked = fresh.map((s) => ({ s, repeatOf: undefined as string | undefined }));
    for (const r of repeats.slice(0, perGap - picked.length))
      picked.push({ s: r, repeatOf: chosenFor.get(r.resource.id) ?? 'another gap' });
    for (const { s } of picked) {
      if (!chosenFor.has(s.resource.id)) chosenFor.set(s.resource.id, gap.areaName);
    }
    return {
      gap,
      recommendations: picked.map(({ s, repeatOf }) => {
        const reasons = reasonsFor(s, gap, ctx);
        if (repeatOf !== undefined)
          reasons.push({ kind: 'repeat', text: `Also suggested for ${repeatOf}`, caution: true });
        return { resourceId: s.resource.id, score: s.score, reasons };
      }),
      counts: { coveringArea: covering.length, completedOrDismissed, outsidePreferences },
    };
  });
}
