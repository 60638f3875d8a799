/**
 * The ranking, by example and by property: area, statements, the next level up, archetypes and
 * preferences each count; completed, dismissed and retired resources never come back; free only
 * and the time limit are honoured; the same input always gives the same lists, whatever order
 * the resources arrive in; and a resource is repeated for a second gap only when that gap has
 * nothing fresh left.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type GapRecommendations,
  indexResources,
  type LearningPreferences,
  mergeIndexes,
  NO_PREFERENCES,
  nextLevel,
  passesPreferences,
  prioritiseGaps,
  type RankableResource,
  recommend,
  type RecommendationGap,
  type RecommendInput,
} from './recommend.js';

let counter = 0;
function resource(overrides: Partial<RankableResource> = {}): RankableResource {
  counter += 1;
  return {
    id: `r${String(counter).padStart(3, '0')}`,
    title: `Resource ${String(counter)}`,
    format: 'guidance',
    durationMinutes: null,
    cost: 'free',
    levels: [2],
    areaCodes: ['6.3'],
    statementIds: [],
    archetypeCodes: ['U'],
    retired: false,
    ...overrides,
  };
}

function gap(overrides: Partial<RecommendationGap> = {}): RecommendationGap {
  return {
    areaCode: '6.3',
    areaName: 'Evaluating AI systems',
    level: 1,
    targetLevel: 3,
    shortfall: 2,
    breadth: 10,
    ...overrides,
  };
}

function run(overrides: Partial<RecommendInput>): GapRecommendations[] {
  return recommend({
    gaps: [gap()],
    archetypeCodes: ['U'],
    archetypeNames: { U: 'Users', E: 'Embedders', S: 'Shapers', D: 'Drivers', C: 'Creators' },
    preferences: NO_PREFERENCES,
    completedIds: [],
    dismissedIds: [],
    resources: [],
    ...overrides,
  });
}

const ids = (result: GapRecommendations[], index = 0) =>
  result[index]?.recommendations.map((r) => r.resourceId) ?? [];
const reasonTexts = (result: GapRecommendations[], index = 0, rank = 0) =>
  result[index]?.recommendations[rank]?.reasons.map((r) => r.text) ?? [];

describe('recommend: by example', () => {
  it('prefers the next level up, then nearby levels, and says why', () => {
    const exact = resource({ levels: [2] });
    const above = resource({ levels: [3] });
    const far = resource({ levels: [4] });
    const result = run({ resources: [far, above, exact] });
    expect(ids(result)).toEqual([exact.id, above.id, far.id]);
    expect(reasonTexts(result)).toEqual([
      'Covers Evaluating AI systems',
      'Focuses on this area alone',
      'Suits level 2, the next level up for you',
      'Written for Users',
      'Free',
    ]);
    expect(reasonTexts(result, 0, 1)).toContain('Suits level 3, beyond your next level (2)');
  });

  it('someone below level 1 is pointed at level 1; someone at level 2 at level 3', () => {
    expect(nextLevel(0)).toBe(1);
    expect(nextLevel(2)).toBe(3);
    expect(nextLevel(4)).toBe(4);
    const refresher = resource({ levels: [2] });
    const next = resource({ levels: [3] });
    const result = run({ gaps: [gap({ level: 2, targetLevel: 4 })], resources: [refresher, next] });
    expect(ids(result)).toEqual([next.id, refresher.id]);
    expect(reasonTexts(result, 0, 1)).toContain(
      'Suits level 2, the level you are at now: a refresher',
    );
  });

  it('only resources covering the gap’s area are suggested', () => {
    const other = resource({ areaCodes: ['5.2.1'] });
    const mine = resource({ areaCodes: ['6.3', '6.2'] });
    expect(ids(run({ resources: [other, mine] }))).toEqual([mine.id]);
  });

  it('a resource addressing statements the person has not met ranks above one that does not', () => {
    const general = resource({ levels: [2] });
    const specific = resource({ levels: [3], statementIds: ['6.3-2-01', '6.3-2-02', 'x'] });
    const result = run({
      gaps: [gap({ unmetStatementIds: ['6.3-2-01', '6.3-2-02'] })],
      resources: [general, specific],
    });
    expect(ids(result)).toEqual([specific.id, general.id]);
    expect(reasonTexts(result)).toContain('Addresses 2 statements you have not met yet');
  });

  it('prefers resources written for the person’s archetypes, naming them', () => {
    const forOthers = resource({ archetypeCodes: ['C'] });
    const forBoth = resource({ archetypeCodes: ['U', 'E'] });
    const forOne = resource({ archetypeCodes: ['E', 'S'] });
    const result = run({ archetypeCodes: ['U', 'E'], resources: [forOthers, forOne, forBoth] });
    expect(ids(result)).toEqual([forBoth.id, forOne.id, forOthers.id]);
    expect(reasonTexts(result)).toContain('Written for Users and Embedders');
    expect(reasonTexts(result, 0, 1)).toContain('Written for Embedders');
  });

  it('a preferred format is a boost, not a filter', () => {
    const video = resource({ format: 'video', title: 'Z video' });
    const report = resource({ format: 'report', title: 'A report' });
    const result = run({
      preferences: { ...NO_PREFERENCES, formats: ['video'] },
      resources: [report, video],
    });
    expect(ids(result)).toEqual([video.id, report.id]);
    expect(reasonTexts(result)).toContain('Video: one of your preferred formats');
  });

  it('free only leaves out paid and unknown cost; otherwise they come with a caution', () => {
    const paid = resource({ cost: 'paid', levels: [2] });
    const unknown = resource({ cost: 'unknown', levels: [2] });
    const free = resource({ cost: 'free', levels: [4] });
    const freeOnly = run({
      preferences: { ...NO_PREFERENCES, freeOnly: true },
      resources: [paid, unknown, free],
    });
    expect(ids(freeOnly)).toEqual([free.id]);
    expect(freeOnly[0]?.counts).toEqual({
      coveringArea: 3,
      completedOrDismissed: 0,
      outsidePreferences: 2,
    });
    const any = run({ resources: [paid, unknown, free] });
    expect(ids(any)).toHaveLength(3);
    const paidReasons = any[0]?.recommendations.find((r) => r.resourceId === paid.id)?.reasons;
    expect(paidReasons).toContainEqual({ kind: 'cost', text: 'There is a charge', caution: true });
  });

  it('a time limit leaves out longer resources; unstated length passes with a penalty, saying so', () => {
    const long = resource({ durationMinutes: 120 });
    const short = resource({ durationMinutes: 30, title: 'Z short' });
    const unstated = resource({ durationMinutes: null, title: 'A unstated' });
    const result = run({
      preferences: { ...NO_PREFERENCES, maxDurationMinutes: 60 },
      resources: [long, unstated, short],
    });
    expect(ids(result)).toEqual([short.id, unstated.id]);
    expect(reasonTexts(result)).toContain('About 30 minutes, within your 1 hour limit');
    expect(reasonTexts(result, 0, 1)).toContain(
      'Length not stated: it may take longer than your 1 hour limit',
    );
    // Without a limit, the length is simply stated.
    expect(reasonTexts(run({ resources: [short] }))).toContain('About 30 minutes');
  });

  it('never suggests completed, dismissed or retired resources', () => {
    const done = resource();
    const dismissed = resource();
    const retired = resource({ retired: true });
    const fine = resource();
    const result = run({
      completedIds: [done.id],
      dismissedIds: [dismissed.id],
      resources: [done, dismissed, retired, fine],
    });
    expect(ids(result)).toEqual([fine.id]);
    expect(result[0]?.counts).toEqual({
      coveringArea: 3,
      completedOrDismissed: 2,
      outsidePreferences: 0,
    });
  });

  it('gives at most three per gap by default, or as many as asked', () => {
    const many = Array.from({ length: 6 }, () => resource());
    expect(ids(run({ resources: many }))).toHaveLength(3);
    expect(ids(run({ resources: many, perGap: 1 }))).toHaveLength(1);
  });

  it('ranks gaps most urgent first and avoids repeating a resource while there are others', () => {
    const both = resource({ areaCodes: ['6.3', '6.2'], levels: [2, 3] });
    const onlyEvaluating = resource({ areaCodes: ['6.3'], levels: [1] });
    const onlyUsing = resource({ areaCodes: ['6.2'], levels: [1] });
    const evaluating = gap();
    const using = gap({ areaCode: '6.2', areaName: 'Using AI systems', shortfall: 1 });
    const result = run({
      gaps: [using, evaluating],
      resources: [both, onlyEvaluating, onlyUsing],
      perGap: 1,
    });
    expect(result.map((g) => g.gap.areaCode)).toEqual(['6.3', '6.2']);
    expect(ids(result, 0)).toEqual([both.id]);
    // The better match for 6.2 is `both`, but it is already suggested for the more urgent gap.
    expect(ids(result, 1)).toEqual([onlyUsing.id]);
  });

  it('repeats a resource only to fill a list, last, and says where else it was suggested', () => {
    const both = resource({ areaCodes: ['6.3', '6.2'] });
    const onlyUsing = resource({ areaCodes: ['6.2'], levels: [4] });
    const result = run({
      gaps: [gap(), gap({ areaCode: '6.2', areaName: 'Using AI systems', shortfall: 1 })],
      resources: [both, onlyUsing],
    });
    expect(ids(result, 1)).toEqual([onlyUsing.id, both.id]);
    expect(reasonTexts(result, 1, 1)).toContain('Also suggested for Evaluating AI systems');
  });

  it('breaks ties by title, then id, whatever order the resources come in', () => {
    const b = resource({ title: 'Beta' });
    const a = resource({ title: 'alpha' });
    const a2 = resource({ title: 'Alpha', id: 'a-second' });
    expect(ids(run({ resources: [b, a, a2] }))).toEqual(ids(run({ resources: [a2, b, a] })));
    expect(ids(run({ resources: [b, a, a2] }))[2]).toBe(b.id);
  });

  it('orders gaps by shortfall, then breadth, then the order given', () => {
    const a = gap({ areaCode: 'a', shortfall: 1, breadth: 5 });
    const b = gap({ areaCode: 'b', shortfall: 2, breadth: 1 });
    const c = gap({ areaCode: 'c', shortfall: 1, breadth: 9 });
    const d = gap({ areaCode: 'd', shortfall: 1, breadth: 9 });
    expect(prioritiseGaps([a, b, c, d]).map((g) => g.areaCode)).toEqual(['b', 'c', 'd', 'a']);
  });
});

// Properties over random catalogues, people and preferences.
const AREAS = ['1', '2.1', '3.1', '5.2.1', '6.2', '6.3'];
const ARCHETYPES = ['S', 'D', 'C', 'E', 'U'];
const FORMATS = ['video', 'guidance', 'course', 'article'];

const arbResource = (id: string): fc.Arbitrary<RankableResource> =>
  fc.record({
    id: fc.constant(id),
    title: fc.constantFrom('Alpha', 'Beta', 'Gamma', 'alpha', 'Delta'),
    format: fc.constantFrom(...FORMATS),
    durationMinutes: fc.option(fc.integer({ min: 1, max: 600 }), { nil: null }),
    cost: fc.constantFrom('free', 'paid', 'unknown'),
    levels: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
    areaCodes: fc.uniqueArray(fc.constantFrom(...AREAS), { minLength: 1, maxLength: 3 }),
    statementIds: fc.uniqueArray(fc.constantFrom('s1', 's2', 's3', 's4'), { maxLength: 2 }),
    archetypeCodes: fc.uniqueArray(fc.constantFrom(...ARCHETYPES), { minLength: 1 }),
    retired: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  });

const arbCatalogue = fc
  .integer({ min: 0, max: 40 })
  .chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) => arbResource(`id-${String(i).padStart(2, '0')}`)),
    ),
  );

const arbGaps = fc
  .uniqueArray(fc.constantFrom(...AREAS), { minLength: 1, maxLength: AREAS.length })
  .chain((codes) =>
    fc.tuple(
      ...codes.map((code) =>
        fc
          .record({
            level: fc.integer({ min: 0, max: 3 }),
            breadth: fc.integer({ min: 1, max: 20 }),
            unmet: fc.uniqueArray(fc.constantFrom('s1', 's2', 's3', 's4')),
          })
          .chain(({ level, breadth, unmet }) =>
            fc.integer({ min: level + 1, max: 4 }).map((target): RecommendationGap => ({
              areaCode: code,
              areaName: `Area ${code}`,
              level,
              targetLevel: target,
              shortfall: target - level,
              breadth,
              unmetStatementIds: unmet,
            })),
          ),
      ),
    ),
  );

const arbPreferences: fc.Arbitrary<LearningPreferences> = fc.record({
  formats: fc.uniqueArray(fc.constantFrom(...FORMATS)),
  maxDurationMinutes: fc.option(fc.constantFrom(15, 30, 60, 120, 240), { nil: null }),
  freeOnly: fc.boolean(),
});

const arbInput = fc
  .record({
    resources: arbCatalogue,
    gaps: arbGaps,
    archetypeCodes: fc.uniqueArray(fc.constantFrom(...ARCHETYPES)),
    preferences: arbPreferences,
    perGap: fc.integer({ min: 1, max: 4 }),
  })
  .chain((base) =>
    fc
      .record({
        completedIds: fc.subarray(base.resources.map((r) => r.id)),
        dismissedIds: fc.subarray(base.resources.map((r) => r.id)),
      })
      .map((marks) => ({ ...base, ...marks })),
  );

const allRecommended = (result: GapRecommendations[]) =>
  result.flatMap((g) => g.recommendations.map((r) => ({ gap: g.gap, ...r })));

describe('recommend: properties', () => {
  it('never returns completed, dismissed or retired resources, nor ones off the gap’s area', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const byId = new Map(input.resources.map((r) => [r.id, r]));
        const excluded = new Set([...input.completedIds, ...input.dismissedIds]);
        for (const rec of allRecommended(recommend(input))) {
          const r = byId.get(rec.resourceId);
          expect(r).toBeDefined();
          expect(r?.retired).toBe(false);
          expect(excluded.has(rec.resourceId)).toBe(false);
          expect(r?.areaCodes).toContain(rec.gap.areaCode);
        }
      }),
    );
  });

  it('honours free only and the time limit; unstated lengths say so', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const byId = new Map(input.resources.map((r) => [r.id, r]));
        const { freeOnly, maxDurationMinutes: max } = input.preferences;
        for (const rec of allRecommended(recommend(input))) {
          const r = byId.get(rec.resourceId);
          if (!r) throw new Error('unknown resource');
          if (freeOnly) expect(r.cost).toBe('free');
          if (max !== null && r.durationMinutes !== null)
            expect(r.durationMinutes).toBeLessThanOrEqual(max);
          if (max !== null && r.durationMinutes === null)
            expect(rec.reasons.some((x) => x.kind === 'duration' && x.caution)).toBe(true);
          expect(passesPreferences(r, input.preferences)).toBe(true);
        }
      }),
    );
  });

  it('gives the same lists whatever order the resources, marks and archetypes come in', () => {
    fc.assert(
      fc.property(
        arbInput.chain((input) =>
          fc
            .tuple(
              fc.shuffledSubarray(input.resources, { minLength: input.resources.length }),
              fc.shuffledSubarray(input.archetypeCodes, {
                minLength: input.archetypeCodes.length,
              }),
            )
            .map(([resources, archetypeCodes]) => ({
              input,
              shuffled: {
                ...input,
                resources,
                completedIds: [...input.completedIds].reverse(),
                archetypeCodes: [...archetypeCodes].sort(),
              },
            })),
        ),
        ({ input, shuffled }) => {
          const a = recommend(input);
          const b = recommend(shuffled);
          expect(a.map((g) => ids([g]))).toEqual(b.map((g) => ids([g])));
          expect(a.map((g) => g.recommendations.map((r) => r.score))).toEqual(
            b.map((g) => g.recommendations.map((r) => r.score)),
          );
        },
      ),
    );
  });

  it('gives the same lists from resources indexed beforehand, whole or in parts', () => {
    fc.assert(
      fc.property(arbInput, fc.integer({ min: 0, max: 40 }), (input, cut) => {
        const expected = recommend(input);
        expect(recommend({ ...input, resources: indexResources(input.resources) })).toEqual(
          expected,
        );
        // Two parts with no id in common (the shared catalogue and an organisation's own).
        const parts = mergeIndexes(
          [
            indexResources(input.resources.slice(0, cut)),
            indexResources(input.resources.slice(cut)),
          ],
          input.gaps.map((g) => g.areaCode),
        );
        const fromParts = recommend({ ...input, resources: parts });
        expect(fromParts.map((g) => ids([g]))).toEqual(expected.map((g) => ids([g])));
        expect(fromParts.map((g) => g.counts)).toEqual(expected.map((g) => g.counts));
      }),
    );
  });

  it('lists are short, without duplicates, best first, and gaps come most urgent first', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = recommend(input);
        expect(result.map((g) => g.gap)).toEqual(prioritiseGaps(input.gaps));
        for (const g of result) {
          const list = g.recommendations;
          expect(list.length).toBeLessThanOrEqual(input.perGap);
          expect(new Set(list.map((r) => r.resourceId)).size).toBe(list.length);
          const fresh = list.filter((r) => !r.reasons.some((x) => x.kind === 'repeat'));
          for (let i = 1; i < fresh.length; i += 1)
            expect(fresh[i - 1]?.score ?? 0).toBeGreaterThanOrEqual(fresh[i]?.score ?? 0);
        }
      }),
    );
  });

  it('repeats a resource for a later gap only when that gap has nothing fresh left', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = recommend(input);
        const excluded = new Set([...input.completedIds, ...input.dismissedIds]);
        const earlier = new Set<string>();
        for (const g of result) {
          const list = g.recommendations.map((r) => r.resourceId);
          const repeated = list.filter((id) => earlier.has(id));
          // Every repeat says so, and comes after every fresh one.
          for (const r of g.recommendations)
            expect(r.reasons.some((x) => x.kind === 'repeat')).toBe(earlier.has(r.resourceId));
          const firstRepeat = list.findIndex((id) => earlier.has(id));
          if (firstRepeat >= 0) {
            expect(list.slice(firstRepeat).every((id) => earlier.has(id))).toBe(true);
            // …and only when every fresh eligible resource for this gap is already listed.
            const freshEligible = input.resources.filter(
              (r) =>
                !r.retired &&
                !excluded.has(r.id) &&
                r.areaCodes.includes(g.gap.areaCode) &&
                passesPreferences(r, input.preferences) &&
                !earlier.has(r.id),
            );
            expect(firstRepeat).toBe(freshEligible.length);
            expect(repeated.length).toBeGreaterThan(0);
          }
          for (const id of list) earlier.add(id);
        }
      }),
    );
  });
});
