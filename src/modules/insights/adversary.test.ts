/**
 * The adversary test. Synthetic organisations, each with a planted person whose level the test
 * knows. An attacker who knows the planted person's organisation, unit, profession, work setting,
 * archetype and submission quarter enumerates the views a line manager, an organisation admin and
 * an ICB viewer can reach (every unit, filters, breakdowns by unit, profession, setting and
 * archetype, and the quarter-by-quarter rows, the same tables the exports hold) and tries to
 * infer the planted person's level by differencing. Over many seeds the attacker must do no
 * better than guessing from the organisation-wide distribution.
 *
 * It runs the product's own code from the contribution to the released report (contributionOf,
 * the cube roll-ups, CubeSlice, the views' layouts and buildReport with the release function);
 * only the SQL that loads cube rows is left out (read-model.service.test.ts proves the stored
 * cube equals these roll-ups). A control run without disclosure control shows the attacker
 * works: there it finds the planted person's level almost every time.
 */
import { describe, expect, it } from 'vitest';
import type { AssessmentResults } from '../assessment/index.js';
import { UnitTree } from '../organisations/index.js';
import { type Contribution, contributionOf, cubeDelta, NATIONAL_SCOPE } from './contribution.js';
import { CubeSlice, type Filters } from './cube-slice.js';
import { BASE_RULES, type DisclosureRules, type ReleasedCount } from './disclosure.js';
import type { CubeRow } from './insights.repository.js';
import {
  nationalLayout,
  organisationLayout,
  systemLayout,
  type ViewLayout,
} from './insights-layout.js';
import { type BreakdownDimension, buildReport } from './insights-report.js';
import { mulberry32 } from '../../platform/random.js';

const AREAS = [
  { code: '1', name: 'Area one' },
  { code: '2.1', name: 'Area two' },
  { code: '3.1', name: 'Area three' },
];
const TARGET_AREA = '2.1';
const PROFESSIONS = ['nurse', 'doctor', 'physiotherapist', 'pharmacist'];
const SETTINGS = ['acute', 'community-health'];
const ARCHETYPES = ['C', 'E', 'U'];
/** Everyone's level in every area is drawn from this, independently of anything else. */
const LEVEL_WEIGHTS = [0.15, 0.3, 0.28, 0.17, 0.1];
const TODAY = new Date(Date.UTC(2026, 10, 15));
/** Worlds attacked; about 0.2 s each. */
const SEEDS = 300;
/** Wards have this many people or more (up to 29): most are large enough to be shown. */
const WARD_MIN = 6;
/** Left-over groups up to this size are pooled by the sum-of-parts attacker. */
const POOL_MAX_SIZE = 15;
const QUARTER_STARTS = [
  Date.UTC(2026, 0, 1),
  Date.UTC(2026, 3, 1),
  Date.UTC(2026, 6, 1),
  Date.UTC(2026, 9, 1),
];

interface Person {
  id: string;
  organisationId: string;
  unitId: string | null;
  profession: string;
  setting: string;
  archetype: string;
  /** Submissions: quarter index and the level in the target area. */
  submissions: { quarter: number; levels: Record<string, number> }[];
}

interface World {
  trust: string;
  other: string;
  icb: string;
  tree: UnitTree;
  otherTree: UnitTree;
  people: Person[];
  planted: Person;
}

let uuidCount = 0;
const uuid = () => {
  uuidCount += 1;
  return `00000000-0000-4000-8000-${uuidCount.toString(16).padStart(12, '0')}`;
};

function buildWorld(seed: number): World {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const level = () => {
    let r = random();
    for (let l = 0; l < LEVEL_WEIGHTS.length; l++) {
      r -= LEVEL_WEIGHTS[l] ?? 0;
      if (r < 0) return l;
    }
    return 4;
  };
  const trust = uuid();
  const other = uuid();
  const icb = uuid();
  const units: { id: string; parentId: string | null; name: string }[] = [];
  const wards: string[] = [];
  const departments: string[] = [];
  for (let d = 0; d < 2; d++) {
    const directorate = uuid();
    units.push({ id: directorate, parentId: null, name: `Directorate ${String(d)}` });
    for (let t = 0; t < 2; t++) {
      const department = uuid();
      units.push({
        id: department,
        parentId: directorate,
        name: `Department ${String(d)}.${String(t)}`,
      });
      departments.push(department);
      const count = 1 + Math.floor(random() * 3);
      for (let w = 0; w < count; w++) {
        const ward = uuid();
        units.push({
          id: ward,
          parentId: department,
          name: `Ward ${String(d)}.${String(t)}.${String(w)}`,
        });
        wards.push(ward);
      }
    }
  }
  const otherUnit = uuid();
  const people: Person[] = [];
  const person = (organisationId: string, unitId: string | null): Person => {
    const submissions: Person['submissions'] = [];
    if (random() < 0.75) {
      const first = Math.floor(random() * 4);
      const levels = () => Object.fromEntries(AREAS.map((a) => [a.code, level()]));
      submissions.push({ quarter: first, levels: levels() });
      if (first < 3 && random() < 0.2)
        submissions.push({
          quarter: first + 1 + Math.floor(random() * (3 - first)),
          levels: levels(),
        });
    }
    return {
      id: uuid(),
      organisationId,
      unitId,
      profession: pick(PROFESSIONS),
      setting: pick(SETTINGS),
      archetype: pick(ARCHETYPES),
      submissions,
    };
  };
  for (const ward of wards) {
    const size = WARD_MIN + Math.floor(random() * (30 - WARD_MIN));
    for (let i = 0; i < size; i++) people.push(person(trust, ward));
  }
  for (let i = 0; i < 3; i++) people.push(person(trust, pick(units.slice(0, 2)).id));
  // A department's manager or two sit directly in it, above its wards.
  for (const department of departments)
    for (let i = Math.floor(random() * 3); i > 0; i--) people.push(person(trust, department));
  for (let i = 0; i < 20 + Math.floor(random() * 40); i++) people.push(person(other, otherUnit));
  // The planted person: in a ward, or (a third of the time) directly in a department, above its
  // wards, where only subtracting the wards' pages from the department's could single them out.
  const planted = person(trust, random() < 1 / 3 ? pick(departments) : pick(wards));
  planted.submissions = [
    {
      quarter: Math.floor(random() * 4),
      levels: Object.fromEntries(AREAS.map((a) => [a.code, level()])),
    },
  ];
  people.push(planted);
  return {
    trust,
    other,
    icb,
    tree: new UnitTree(units),
    otherTree: new UnitTree([{ id: otherUnit, parentId: null, name: 'Everyone' }]),
    people,
    planted,
  };
}

function results(levels: Record<string, number>, at: Date, archetype: string): AssessmentResults {
  return {
    schemaVersion: 1,
    frameworkSlug: 'synthetic',
    frameworkTitle: 'Synthetic',
    frameworkVersion: 1,
    mode: 'full',
    archetypeCodes: [archetype],
    professionCode: null,
    workSettingCode: null,
    submittedAt: at.toISOString(),
    areas: AREAS.map((a) => ({
      areaCode: a.code,
      areaName: a.name,
      domainCode: a.code,
      domainName: a.name,
      level: levels[a.code] ?? 0,
      targetLevel: 2,
      shortfall: Math.max(0, 2 - (levels[a.code] ?? 0)),
      answered: 3,
      notRelevant: 0,
      poolSize: 3,
    })),
    strengths: [],
    gaps: [],
  };
}

/** The cube the read model would hold for this world: the product's own roll-ups. */
function cubeOf(world: World): { slice: CubeSlice; rollups: Set<string> } {
  const ancestors = (tree: UnitTree, unitId: string | null) => {
    const out: string[] = [];
    for (
      let u = unitId ? tree.get(unitId) : undefined;
      u;
      u = u.parentId ? tree.get(u.parentId) : undefined
    )
      out.push(u.id);
    return out;
  };
  const contributions: { before: Contribution | null; after: Contribution | null }[] =
    world.people.map((p) => ({
      before: null,
      after: contributionOf({
        profile: {
          professionCode: p.profession,
          workSettingCode: p.setting,
          archetypeCodes: [p.archetype],
        },
        memberships: [
          {
            organisationId: p.organisationId,
            unitAndAncestorIds: ancestors(
              p.organisationId === world.trust ? world.tree : world.otherTree,
              p.unitId,
            ),
          },
        ],
        inProgress: null,
        submitted: p.submissions.map((s, i) => {
          const at = new Date((QUARTER_STARTS[s.quarter] ?? 0) + (10 + i) * 86_400_000);
          return { submittedAt: at, results: results(s.levels, at, p.archetype) };
        }),
        latestAnswers: new Map(),
        statements: new Map(),
        validatedAreaCodes: new Set(),
      }),
    }));
  const delta = cubeDelta(contributions);
  const names = [...new Set(delta.flatMap((d) => Object.keys(d.metrics)))].sort();
  const ids = new Map(names.map((n, i) => [n, i + 1]));
  const rows: CubeRow[] = delta.map(({ key, metrics }) => {
    const counts = new Array<number>(names.length).fill(0);
    for (const [name, n] of Object.entries(metrics)) counts[(ids.get(name) ?? 1) - 1] = n;
    return { ...key, counts };
  });
  const rollups = new Set([NATIONAL_SCOPE, world.trust, world.other]);
  return { slice: new CubeSlice(rows, ids, rollups), rollups };
}

/** What an attacker keeps from one released table row: who it is about and its figures. */
interface Observation {
  /** People it covers: a predicate the attacker can evaluate on known attributes. */
  covers: (p: Person) => boolean;
  /** For containment checks: organisations, unit subtree, filters, quarter (null = now). */
  organisations: ReadonlySet<string>;
  unitIds: ReadonlySet<string> | null;
  filters: Filters;
  quarter: number | null;
  /**
   * For a page of the trust's own (not a breakdown row): the unit it is about, or null for the
   * whole trust. Lets the attacker subtract the pages of a unit's children from the unit's.
   */
  unitRoot?: string | null;
  /** Released figures: levels 0-4 in the target area (or at/above and below target). */
  cells: ReleasedCount[];
  total: ReleasedCount | undefined;
  kind: 'levels' | 'met';
}

const value = (c: ReleasedCount | undefined): number | undefined =>
  c === undefined ? undefined : c.kind === 'count' ? c.value : c.kind === 'small' ? 4 : undefined;

function observe(world: World, rules: DisclosureRules): Observation[] {
  const { slice } = cubeOf(world);
  const observations: Observation[] = [];
  const P = world.planted;
  const subtree = (tree: UnitTree, id: string) => tree.subtreeIds(id);
  const filterSets: Filters[] = [];
  for (let mask = 0; mask < 8; mask++) {
    const f: Filters = {};
    if (mask & 1) f.profession = P.profession;
    if (mask & 2) f.setting = P.setting;
    if (mask & 4) f.archetype = P.archetype;
    filterSets.push(f);
  }
  for (const v of PROFESSIONS) if (v !== P.profession) filterSets.push({ profession: v });
  for (const v of SETTINGS) if (v !== P.setting) filterSets.push({ setting: v });
  for (const v of ARCHETYPES) if (v !== P.archetype) filterSets.push({ archetype: v });
  const matches = (p: Person, f: Filters) =>
    (f.profession === undefined || f.profession === p.profession) &&
    (f.setting === undefined || f.setting === p.setting) &&
    (f.archetype === undefined || f.archetype === p.archetype);
  const submittedBy = (p: Person, quarter: number | null) =>
    p.submissions.some((s) => quarter === null || s.quarter <= quarter);

  const record = (
    layout: ViewLayout,
    organisations: ReadonlySet<string>,
    unitIds: ReadonlySet<string> | null,
    filters: Filters,
    by: BreakdownDimension[],
    unitRoot?: string | null,
  ) => {
    const page = unitRoot === undefined ? {} : { unitRoot };
    const report = buildReport(
      slice,
      {
        chain: layout.chain,
        parts: layout.parts,
        partition: layout.partition,
        filters,
        by,
        scopeGroups: layout.scopeGroups,
        labels: { profession: new Map(), setting: new Map(), archetype: new Map() },
        areas: AREAS,
        statements: new Map(),
        focusArea: TARGET_AREA,
        openInvitations: 0,
        today: TODAY,
        quarters: 4,
        // The trust's own pages are checked over its whole unit tree (sum of parts).
        ...(unitRoot === undefined
          ? {}
          : {
              unitTree: {
                organisationId: world.trust,
                roots: world.tree.roots,
                sizes: slice,
                grouped: slice,
              },
            }),
      },
      rules,
    );
    const inScope = (p: Person) =>
      organisations.has(p.organisationId) &&
      (unitIds === null || (p.unitId !== null && unitIds.has(p.unitId))) &&
      matches(p, filters);
    const area = report.capability.areas.find((a) => a.code === TARGET_AREA);
    if (area)
      observations.push({
        covers: (p) => inScope(p) && submittedBy(p, null),
        organisations,
        unitIds,
        filters,
        quarter: null,
        ...page,
        cells: area.levels,
        total: area.total,
        kind: 'levels',
      });
    if (area?.met && area.below && area.withTarget)
      observations.push({
        covers: (p) => inScope(p) && submittedBy(p, null),
        organisations,
        unitIds,
        filters,
        quarter: null,
        ...page,
        cells: [area.met, area.below],
        total: area.withTarget,
        kind: 'met',
      });
    // Breakdown rows by unit: each child unit, and the people directly in this unit.
    if (report.breakdown && by.length === 1 && by[0] === 'unit') {
      report.breakdown.rows.forEach((row, i) => {
        if (!row.verdict.released || !row.met || !row.below) return;
        const group = layout.scopeGroups[i];
        if (!group) return;
        const childUnits = group.remainder
          ? null
          : world.tree.subtreeIds(group.scopeIds?.[0] ?? '');
        const own = unitIds;
        observations.push({
          covers: (p) =>
            organisations.has(p.organisationId) &&
            submittedBy(p, null) &&
            (childUnits
              ? p.unitId !== null && childUnits.has(p.unitId)
              : own === null
                ? p.unitId === null
                : p.unitId !== null &&
                  own.has(p.unitId) &&
                  !layout.scopeGroups.some(
                    (g) =>
                      !g.remainder &&
                      p.unitId !== null &&
                      world.tree.subtreeIds(g.scopeIds?.[0] ?? '').has(p.unitId),
                  )),
          organisations,
          unitIds: childUnits ?? own,
          filters: {},
          quarter: null,
          cells: [row.met, row.below],
          total:
            row.met.kind === 'count' && row.below.kind === 'count'
              ? { kind: 'count', value: row.met.value + row.below.value }
              : undefined,
          kind: 'met',
        });
      });
    }
    report.trend?.rows.forEach((row, q) => {
      if (!row.verdict.released || !row.met || !row.withTarget) return;
      const met = row.met;
      const below: ReleasedCount =
        met.kind === 'count' && row.withTarget.kind === 'count'
          ? { kind: 'count', value: row.withTarget.value - met.value }
          : { kind: 'hidden' };
      observations.push({
        covers: (p) => inScope(p) && submittedBy(p, q),
        organisations,
        unitIds,
        filters,
        quarter: q,
        ...page,
        cells: [met, below],
        total: row.withTarget,
        kind: 'met',
      });
    });
  };

  // The organisation admin (and, for their part of the tree, each line manager).
  const scopes: (string | undefined)[] = [undefined, ...world.tree.flatten().map((u) => u.id)];
  const systems = [[world.other, world.trust].sort()];
  for (const unitId of scopes) {
    const layout = organisationLayout({ organisationId: world.trust, tree: world.tree, unitId });
    for (const f of filterSets)
      record(
        layout,
        new Set([world.trust]),
        unitId ? subtree(world.tree, unitId) : null,
        f,
        [],
        unitId ?? null,
      );
    // Breakdowns by unit (children and the people directly in the unit); breakdown rows by
    // profession, setting or archetype are the same populations as the filtered views above.
    if (layout.scopeGroups.length > 1)
      record(
        layout,
        new Set([world.trust]),
        unitId ? subtree(world.tree, unitId) : null,
        {},
        ['unit'],
        unitId ?? null,
      );
  }
  // The ICB viewer: the total across both organisations, and each of them.
  const members = [
    { id: world.trust, name: 'Trust' },
    { id: world.other, name: 'Other' },
  ];
  for (const memberId of [undefined, world.trust, world.other]) {
    const layout = systemLayout({ members, memberId });
    const orgs = new Set(memberId ? [memberId] : [world.trust, world.other]);
    for (const f of filterSets) record(layout, orgs, null, f, []);
  }
  // And the nation, which holds only these two organisations, whole and one at a time.
  for (const memberId of [world.trust, world.other])
    for (const f of filterSets)
      record(
        nationalLayout({ members, memberId, systems, byOrganisation: false }),
        new Set([memberId]),
        null,
        f,
        [],
      );
  for (const f of filterSets)
    record(
      nationalLayout({ members, memberId: undefined, systems, byOrganisation: false }),
      new Set([world.trust, world.other]),
      null,
      f,
      [],
    );
  return observations;
}

const argmax = (xs: number[]) =>
  xs.reduce((best, x, i) => (x > (xs[best] ?? -Infinity) ? i : best), 0);

/**
 * The attacker's guess from the observations of one kind: from the pair of views (one containing
 * the planted person, one inside it that does not) whose released totals differ least, the cell
 * where the difference is largest; without such a pair, the organisation-wide guess.
 */
function attack(
  world: World,
  observations: Observation[],
  kind: Observation['kind'],
): { guess: number; baseline: number } {
  const P = world.planted;
  const mine = observations.filter((o) => o.kind === kind);
  const orgWide = mine.find(
    (o) =>
      o.quarter === null &&
      o.organisations.size === 1 &&
      o.organisations.has(world.trust) &&
      o.unitIds === null &&
      Object.keys(o.filters).length === 0,
  );
  const baselineCells = orgWide ? orgWide.cells.map((c) => value(c) ?? 0) : [];
  const baseline = argmax(baselineCells);
  const contains = (a: Observation, b: Observation) =>
    [...b.organisations].every((o) => a.organisations.has(o)) &&
    (a.unitIds === null ||
      (b.unitIds !== null && [...b.unitIds].every((u) => a.unitIds?.has(u)))) &&
    (Object.keys(a.filters) as (keyof Filters)[]).every((k) => b.filters[k] === a.filters[k]) &&
    (a.quarter === null || (b.quarter !== null && b.quarter <= a.quarter));
  let best: { size: number; diff: number[] } | undefined;
  for (const a of mine) {
    if (!a.covers(P)) continue;
    const ta = value(a.total);
    if (ta === undefined) continue;
    for (const b of mine) {
      if (b === a || b.covers(P) || !contains(a, b)) continue;
      const tb = value(b.total);
      if (tb === undefined) continue;
      const size = ta - tb;
      if (size < 1) continue;
      const diff = a.cells.map((c, i) => (value(c) ?? NaN) - (value(b.cells[i]) ?? NaN));
      if (diff.some(Number.isNaN)) continue;
      if (!best || size < best.size) best = { size, diff };
    }
  }
  const parts = sumOfParts(world, mine);
  if (parts && (!best || parts.size < best.size)) best = parts;
  const guess = best && Math.max(...best.diff) > 0 ? argmax(best.diff) : baseline;
  return { guess, baseline };
}

/**
 * Sum of parts: a page about a unit (or the whole trust) that includes the planted person, less
 * the pages of its child units that do not include them (a child whose page is hidden is
 * replaced by its own children, recursively; the one holding the planted person is opened up
 * the same way). What is left is the planted person, the people directly in the units on their
 * path and whatever could not be subtracted. The smallest such group wins.
 */
function sumOfParts(
  world: World,
  mine: Observation[],
): { size: number; diff: number[] } | undefined {
  const P = world.planted;
  const key = (root: string | null, o: Observation) =>
    `${root ?? 'trust'}|${JSON.stringify(Object.entries(o.filters).sort())}|${String(o.quarter)}`;
  const pages = new Map<string, Observation>();
  for (const o of mine) if (o.unitRoot !== undefined) pages.set(key(o.unitRoot, o), o);
  const known = (o: Observation | undefined) =>
    o !== undefined && value(o.total) !== undefined && o.cells.every((c) => value(c) !== undefined);
  const childrenOf = (root: string | null) =>
    root === null ? world.tree.roots : (world.tree.get(root)?.children ?? []);
  let best: { size: number; diff: number[] } | undefined;
  let pooled: number[] | undefined;
  for (const a of mine) {
    if (a.unitRoot === undefined || !a.covers(P) || !known(a)) continue;
    const sum = a.cells.map(() => 0);
    let total = 0;
    const subtract = (root: string | null) => {
      for (const child of childrenOf(root)) {
        const holdsPlanted = P.unitId !== null && world.tree.subtreeIds(child.id).has(P.unitId);
        const page = pages.get(key(child.id, a));
        if (!holdsPlanted && page && known(page)) {
          page.cells.forEach((c, i) => (sum[i] = (sum[i] ?? 0) + (value(c) ?? 0)));
          total += value(page.total) ?? 0;
        } else subtract(child.id);
      }
    };
    subtract(a.unitRoot);
    const size = (value(a.total) ?? 0) - total;
    if (size < 1) continue;
    const diff = a.cells.map((c, i) => (value(c) ?? 0) - (sum[i] ?? 0));
    // Every small left-over group holding the planted person says a little about them:
    // add the differences up, so the rounding's noise averages out over many views.
    if (size <= POOL_MAX_SIZE) {
      pooled ??= diff.map(() => 0);
      diff.forEach((d, i) => {
        if (pooled) pooled[i] = (pooled[i] ?? 0) + d;
      });
      continue;
    }
    if (!best || size < best.size) best = { size, diff };
  }
  if (pooled) return { size: 1, diff: pooled };
  return best;
}

interface Tally {
  seeds: number;
  level: number;
  levelBaseline: number;
  met: number;
  metBaseline: number;
}

function run(rules: DisclosureRules, seeds: number) {
  const tally = (): Tally => ({ seeds: 0, level: 0, levelBaseline: 0, met: 0, metBaseline: 0 });
  /** Every seed, and those where the planted person sits directly in a department. */
  const all = tally();
  const direct = tally();
  for (let seed = 1; seed <= seeds; seed++) {
    const world = buildWorld(seed * 7919);
    const level = world.planted.submissions.at(-1)?.levels[TARGET_AREA] ?? -1;
    // Cells of a 'met' observation: [at or above target, below target]; the target is 2.
    const met = level >= 2 ? 0 : 1;
    const observations = observe(world, rules);
    const byLevel = attack(world, observations, 'levels');
    const byMet = attack(world, observations, 'met');
    const node = world.planted.unitId ? world.tree.get(world.planted.unitId) : undefined;
    for (const t of node && node.children.length > 0 ? [all, direct] : [all]) {
      t.seeds += 1;
      if (byLevel.guess === level) t.level += 1;
      if (byLevel.baseline === level) t.levelBaseline += 1;
      if (byMet.guess === met) t.met += 1;
      if (byMet.baseline === met) t.metBaseline += 1;
    }
  }
  return { all, direct };
}

const pc = (n: number, of: number) => `${((n / of) * 100).toFixed(1)}%`;
/** Attack hits no more than the baseline's plus 3 standard errors of the difference. */
const withinError = (hits: number, baselineHits: number, seeds: number) => {
  const p = baselineHits / seeds;
  return hits / seeds <= p + 3 * Math.sqrt((2 * p * (1 - p)) / seeds);
};

describe('an attacker differencing every view they can reach', () => {
  it('finds the planted person’s level no better than the organisation-wide guess', () => {
    const protectedRun = run(BASE_RULES, SEEDS);
    const raw: DisclosureRules = {
      minPopulation: 1,
      smallCountMax: 0,
      roundTo: 1,
      minForAverage: 1,
      minDifference: 1,
    };
    const control = run(raw, 60);
    // Printed for the closing note and for anyone tuning the rules.
    const line = (what: string, p: Tally, c: Tally, hits: 'level' | 'met') => {
      const base = hits === 'level' ? 'levelBaseline' : 'metBaseline';
      return `adversary (${what}): attack success ${pc(p[hits], p.seeds)} vs baseline ${pc(p[base], p.seeds)} over ${String(p.seeds)} seeds; without disclosure control ${pc(c[hits], c.seeds)} (baseline ${pc(c[base], c.seeds)})`;
    };
    const { all, direct } = protectedRun;
    console.log(line('level in an area', all, control.all, 'level'));
    console.log(
      line('at or above target, with quarters and unit breakdowns', all, control.all, 'met'),
    );
    console.log(
      line(
        'level, planted directly in a department: sum of parts',
        direct,
        control.direct,
        'level',
      ),
    );
    console.log(
      line('at or above target, planted directly in a department', direct, control.direct, 'met'),
    );
    // The attacker is real: with exact figures it finds the level far more often than chance.
    expect(control.all.level / control.all.seeds).toBeGreaterThan(
      control.all.levelBaseline / control.all.seeds + 0.3,
    );
    expect(control.all.met / control.all.seeds).toBeGreaterThan(
      control.all.metBaseline / control.all.seeds + 0.2,
    );
    expect(control.direct.met).toBeGreaterThan(control.direct.metBaseline);
    // With the rules, no better than the baseline beyond sampling error.
    for (const t of [all, direct]) {
      expect(withinError(t.level, t.levelBaseline, t.seeds)).toBe(true);
      expect(withinError(t.met, t.metBaseline, t.seeds)).toBe(true);
    }
  }, 600_000);
});
