/**
 * A person's contribution to the insights read model, worked out from what they have done
 * (pure: no I/O). The worker stores each person's contribution and applies "new minus old" to
 * the counts, so a change never needs a recount and an erased account takes away exactly what
 * it added.
 *
 * Metrics (names are the keys of `insights_metrics`):
 *   period 'now' (everyone's current state):
 *     member · started · submitted · sub:YYYY-MM (month of the latest submission) ·
 *     inprogress · stop:<area code | start> (where an assessment in progress sits) ·
 *     people (has submitted results; the base of every capability figure) ·
 *     level:<area>:<0-4> · target:<area> (the area has a target for them) ·
 *     met:<area> (at or above target) · valid:<area> (a validated level exists) ·
 *     unmet:<statement id> (below target in its area, the statement within the target, and
 *     answered "can't do this yet" or "starting to")
 *   period 'qYYYY-N' (changes in quarter N of YYYY, so a quarter's state is the sum of every
 *   quarter up to it): people · target:<area> · met:<area> as changes, and flow (people whose
 *   latest results changed that quarter; not a change but a count, used by the
 *   differencing rule).
 */
import type { AssessmentResults } from '../assessment/index.js';
import { ARCHETYPE_CODES } from '../framework/index.js';

/** The national scope's id (no organisation or unit has it). */
export const NATIONAL_SCOPE = '00000000-0000-0000-0000-000000000000';
export const NOW = 'now';
/** A dimension value not recorded for the person. */
export const UNKNOWN = '';
/** A roll-up row's value for a dimension summed over. */
export const ALL = '*';

export type Metrics = Record<string, number>;

export interface Contribution {
  /** Scopes that hold roll-up rows too: the nation and each organisation. */
  rollupScopeIds: string[];
  /** Unit scopes: each membership's unit and every unit above it. */
  unitScopeIds: string[];
  profession: string;
  setting: string;
  archetype: string;
  /** period → metric → count */
  periods: Record<string, Metrics>;
}

export interface SubmittedSource {
  submittedAt: Date;
  results: AssessmentResults;
}

export interface PersonSources {
  profile: {
    professionCode: string | null;
    workSettingCode: string | null;
    archetypeCodes: readonly string[];
  };
  memberships: { organisationId: string; unitAndAncestorIds: readonly string[] }[];
  inProgress: { currentAreaCode: string | null } | null;
  /** Every submitted assessment, any order. */
  submitted: SubmittedSource[];
  /** Answers of the latest submitted assessment: statement id → stored value ('0'…'3', 'not-relevant'). */
  latestAnswers: ReadonlyMap<string, string>;
  /** Statement id → its area and level, in the latest submission's framework version. */
  statements: ReadonlyMap<string, { areaCode: string; level: number }>;
  /** Areas with a validated level (any framework version). */
  validatedAreaCodes: ReadonlySet<string>;
}

/** The first of the archetypes in the framework's order (S, D, C, E, U), or UNKNOWN. */
export function primaryArchetype(codes: readonly string[]): string {
  return ARCHETYPE_CODES.find((c) => codes.includes(c)) ?? UNKNOWN;
}

/** 'q2026-1' for January to March 2026 (UTC). */
export function quarterOf(date: Date): string {
  return `q${String(date.getUTCFullYear())}-${String(Math.floor(date.getUTCMonth() / 3) + 1)}`;
}

/** 'sub:2026-03' for March 2026 (UTC). */
export function monthMetric(date: Date): string {
  return `sub:${String(date.getUTCFullYear())}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Each area's level, target and whether it is met, from one results snapshot. */
function resultMetrics(results: AssessmentResults): Metrics {
  const m: Metrics = { people: 1 };
  for (const area of results.areas) {
    // An area answered wholly "not relevant to my role" has no level to count.
    if (area.answered === 0 && area.notRelevant > 0) continue;
    m[`level:${area.areaCode}:${String(area.level)}`] = 1;
    if (area.targetLevel > 0) {
      m[`target:${area.areaCode}`] = 1;
      if (area.level >= area.targetLevel) m[`met:${area.areaCode}`] = 1;
    }
  }
  return m;
}

const TREND_METRIC = /^(people|target:|met:)/;

function trendMetrics(results: AssessmentResults): Metrics {
  return Object.fromEntries(
    Object.entries(resultMetrics(results)).filter(([name]) => TREND_METRIC.test(name)),
  );
}

/** a − b, keeping only non-zero entries. */
export function subtractMetrics(a: Metrics, b: Metrics): Metrics {
  const out: Metrics = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const value = (a[key] ?? 0) - (b[key] ?? 0);
    if (value !== 0) out[key] = value;
  }
  return out;
}

/** Null when the person counts nowhere (no membership, or no longer there). */
export function contributionOf(sources: PersonSources | null): Contribution | null {
  if (!sources || sources.memberships.length === 0) return null;
  const submitted = [...sources.submitted].sort(
    (a, b) => a.submittedAt.getTime() - b.submittedAt.getTime(),
  );
  const latest = submitted.at(-1);
  const { profile } = sources;
  const now: Metrics = { member: 1 };
  if (sources.inProgress || latest) now.started = 1;
  if (sources.inProgress) {
    now.inprogress = 1;
    now[`stop:${sources.inProgress.currentAreaCode ?? 'start'}`] = 1;
  }
  const periods: Record<string, Metrics> = { [NOW]: now };
  if (latest) {
    now.submitted = 1;
    now[monthMetric(latest.submittedAt)] = 1;
    Object.assign(now, resultMetrics(latest.results));
    for (const area of latest.results.areas) {
      if (sources.validatedAreaCodes.has(area.areaCode) && !(area.answered === 0))
        now[`valid:${area.areaCode}`] = 1;
    }
    const targets = new Map(latest.results.areas.map((a) => [a.areaCode, a]));
    for (const [statementId, value] of sources.latestAnswers) {
      if (value !== '0' && value !== '1') continue;
      const statement = sources.statements.get(statementId);
      const area = statement && targets.get(statement.areaCode);
      if (!statement || !area) continue;
      if (area.level < area.targetLevel && statement.level <= area.targetLevel)
        now[`unmet:${statementId}`] = 1;
    }
    // Quarter by quarter: each quarter's latest submission replaces the person's previous state.
    let previous: Metrics = {};
    const lastInQuarter = new Map<string, SubmittedSource>();
    for (const s of submitted) lastInQuarter.set(quarterOf(s.submittedAt), s);
    for (const [quarter, s] of lastInQuarter) {
      const state = trendMetrics(s.results);
      periods[quarter] = { ...subtractMetrics(state, previous), flow: 1 };
      previous = state;
    }
  }
  const rollup = new Set<string>([NATIONAL_SCOPE]);
  const unitIds = new Set<string>();
  for (const m of sources.memberships) {
    rollup.add(m.organisationId);
    for (const id of m.unitAndAncestorIds) unitIds.add(id);
  }
  return {
    rollupScopeIds: [...rollup].sort(),
    unitScopeIds: [...unitIds].sort(),
    profession: profile.professionCode ?? latest?.results.professionCode ?? UNKNOWN,
    setting: profile.workSettingCode ?? latest?.results.workSettingCode ?? UNKNOWN,
    archetype: primaryArchetype(
      profile.archetypeCodes.length > 0
        ? profile.archetypeCodes
        : (latest?.results.archetypeCodes ?? []),
    ),
    periods,
  };
}

/** A cube row's key: scope, period and the three dimensions. */
export interface CubeKey {
  scopeId: string;
  period: string;
  profession: string;
  setting: string;
  archetype: string;
}

const keyText = (k: CubeKey) =>
  `${k.scopeId}|${k.period}|${k.profession}|${k.setting}|${k.archetype}`;

/** The 8 combinations of keeping or rolling up each dimension. */
function rollups(c: Contribution): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (let mask = 0; mask < 8; mask++) {
    out.push([
      mask & 1 ? ALL : c.profession,
      mask & 2 ? ALL : c.setting,
      mask & 4 ? ALL : c.archetype,
    ]);
  }
  return out;
}

/** Adds `sign` × the contribution into `into` (cube key text → metric → count). */
export function expandInto(
  into: Map<string, { key: CubeKey; metrics: Metrics }>,
  c: Contribution,
  sign: 1 | -1,
): void {
  const add = (key: CubeKey, metrics: Metrics) => {
    const text = keyText(key);
    let row = into.get(text);
    if (!row) {
      row = { key, metrics: {} };
      into.set(text, row);
    }
    for (const [name, n] of Object.entries(metrics)) {
      const value = (row.metrics[name] ?? 0) + sign * n;
      if (value === 0)
        row.metrics = Object.fromEntries(Object.entries(row.metrics).filter(([k]) => k !== name));
      else row.metrics[name] = value;
    }
  };
  for (const [period, metrics] of Object.entries(c.periods)) {
    for (const scopeId of c.rollupScopeIds) {
      for (const [profession, setting, archetype] of rollups(c))
        add({ scopeId, period, profession, setting, archetype }, metrics);
    }
    for (const scopeId of c.unitScopeIds) {
      const { profession, setting, archetype } = c;
      add({ scopeId, period, profession, setting, archetype }, metrics);
    }
  }
}

/** The cube changes that turn `before` into `after` (rows whose every change is 0 dropped). */
export function cubeDelta(
  changes: readonly { before: Contribution | null; after: Contribution | null }[],
): { key: CubeKey; metrics: Metrics }[] {
  const rows = new Map<string, { key: CubeKey; metrics: Metrics }>();
  for (const { before, after } of changes) {
    if (before) expandInto(rows, before, -1);
    if (after) expandInto(rows, after, 1);
  }
  return [...rows.entries()]
    .filter(([, row]) => Object.keys(row.metrics).length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
}
