import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArchetypeCode, Level, Statement } from '../../framework/index.js';
import {
  areaEstimate,
  assessmentPool,
  estimateStatementCount,
  focusedPlan,
  fullModeLevel,
  fullPlan,
  levelDecided,
  meetsLevel,
  nextToAsk,
  startLevel,
  tallyLevel,
  type AssessmentPool,
  type FrameworkSource,
} from './adaptive-engine.js';
import { ANSWER_VALUES, type AnswerValue, type RatingValue } from './scale.js';

const ARCHETYPES: ArchetypeCode[] = ['S', 'D', 'C', 'E', 'U'];

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

function emptyTargets(areaCodes: string[]): Record<ArchetypeCode, Record<string, number>> {
  const targets = {} as Record<ArchetypeCode, Record<string, number>>;
  for (const a of ARCHETYPES) targets[a] = Object.fromEntries(areaCodes.map((c) => [c, 0]));
  return targets;
}
const LEVELS: Level[] = [1, 2, 3, 4];

// ---------------------------------------------------------------------------------------------
// Arbitraries: small random frameworks (1–3 areas, 0–5 statements per level, random badges and
// targets), a person's archetypes, and answers.

const arbFramework: fc.Arbitrary<FrameworkSource> = fc
  .array(
    fc.record({
      perLevel: fc.tuple(...LEVELS.map(() => fc.nat({ max: 5 }))),
      badges: fc.array(fc.subarray(ARCHETYPES, { minLength: 1 }), { minLength: 20, maxLength: 20 }),
      targets: fc.tuple(...ARCHETYPES.map(() => fc.nat({ max: 4 }))),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((areas) => {
    const statements: Statement[] = [];
    const targets = emptyTargets([]);
    areas.forEach((area, i) => {
      const areaCode = String(i + 1);
      let n = 0;
      LEVELS.forEach((level, li) => {
        for (let k = 0; k < defined(area.perLevel[li]); k += 1) {
          statements.push({
            id: `${areaCode}-${level}-${k}`,
            areaCode,
            level,
            text: 'I can.',
            archetypes: defined(area.badges[n % area.badges.length]),
          });
          n += 1;
        }
      });
      ARCHETYPES.forEach((a, ai) => (targets[a][areaCode] = defined(area.targets[ai])));
    });
    return { statements, targets };
  });

const arbPool: fc.Arbitrary<AssessmentPool> = fc
  .tuple(arbFramework, fc.subarray(ARCHETYPES, { minLength: 1 }))
  .map(([framework, archetypes]) => assessmentPool(framework, archetypes))
  .filter((pool) => pool.areas.length > 0);

const arbAnswer: fc.Arbitrary<AnswerValue> = fc.constantFrom(...ANSWER_VALUES);

/** A pool with an answer for every statement (the person's latent answers). */
const arbPoolWithAll = arbPool.chain((pool) =>
  fc.array(arbAnswer, { minLength: pool.size, maxLength: pool.size }).map((values) => ({
    pool,
    all: new Map([...pool.statements.keys()].map((id, i) => [id, defined(values[i])])),
  })),
);

/** A pool with an arbitrary subset answered (not necessarily what the engine would ask). */
const arbPoolWithSome = arbPoolWithAll.chain(({ pool, all }) =>
  fc.array(fc.boolean(), { minLength: pool.size, maxLength: pool.size }).map((keep) => ({
    pool,
    all,
    answers: new Map([...all].filter((_, i) => keep[i])),
  })),
);

const maxPerPage = fc.integer({ min: 1, max: 4 });

/** Focused mode on latent answers: ask until settled; every id asked, in order. */
function simulate(
  pool: AssessmentPool,
  areaCode: string,
  latent: ReadonlyMap<string, AnswerValue>,
  perPage: number,
) {
  const answers = new Map<string, AnswerValue>();
  const asked: string[] = [];
  const area = defined(pool.areas.find((a) => a.areaCode === areaCode));
  let calls = 0;
  for (;;) {
    const ids = nextToAsk(pool, answers, areaCode, { maxPerPage: perPage });
    calls += 1;
    if (ids.length === 0) break;
    if (calls > area.statementIds.length) throw new Error('did not terminate within the pool');
    for (const id of ids) {
      asked.push(id);
      answers.set(id, defined(latent.get(id)));
    }
  }
  return { answers, asked, calls };
}

// ---------------------------------------------------------------------------------------------

describe('adaptive engine properties', () => {
  it('terminates within the area pool, never asks a statement twice, and ends settled', () => {
    fc.assert(
      fc.property(arbPoolWithAll, maxPerPage, ({ pool, all }, perPage) => {
        for (const area of pool.areas) {
          const { answers, asked, calls } = simulate(pool, area.areaCode, all, perPage);
          expect(new Set(asked).size).toBe(asked.length);
          expect(calls).toBeLessThanOrEqual(area.statementIds.length + 1);
          for (const id of asked) expect(area.statementIds).toContain(id);
          const estimate = areaEstimate(pool, answers, area.areaCode);
          expect(estimate.settled).toBe(true);
          expect(estimate.asked).toBe(asked.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never returns an answered statement, nor more than a page, for any answers so far', () => {
    fc.assert(
      fc.property(arbPoolWithSome, maxPerPage, ({ pool, answers }, perPage) => {
        for (const area of pool.areas) {
          const ids = nextToAsk(pool, answers, area.areaCode, { maxPerPage: perPage });
          expect(ids.length).toBeLessThanOrEqual(perPage);
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of ids) {
            expect(answers.has(id)).toBe(false);
            expect(area.statementIds).toContain(id);
          }
          // All questions at one level, the level the walk is on.
          expect(new Set(ids.map((id) => pool.statements.get(id)?.level)).size).toBeLessThanOrEqual(
            1,
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives exactly full mode’s level once every statement in an area is answered', () => {
    fc.assert(
      fc.property(arbPoolWithAll, ({ pool, all }) => {
        for (const area of pool.areas) {
          const estimate = areaEstimate(pool, all, area.areaCode);
          expect(estimate.level).toBe(fullModeLevel(pool, all, area.areaCode));
          expect(estimate.settled).toBe(true);
          expect(nextToAsk(pool, all, area.areaCode)).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never lowers a level when one answer is raised (full mode and focused estimate)', () => {
    fc.assert(
      fc.property(
        arbPoolWithSome,
        fc.nat(),
        fc.integer({ min: 1, max: 3 }),
        ({ pool, answers }, pickIndex, by) => {
          const raisable = [...answers].filter(([, v]) => v !== 'not-relevant' && v < 3);
          fc.pre(raisable.length > 0);
          const [id, value] = defined(raisable[pickIndex % raisable.length]);
          const raised = new Map(answers);
          raised.set(id, Math.min(3, (value as RatingValue) + by) as RatingValue);
          const areaCode = defined(pool.statements.get(id)).areaCode;
          expect(fullModeLevel(pool, raised, areaCode)).toBeGreaterThanOrEqual(
            fullModeLevel(pool, answers, areaCode),
          );
          expect(areaEstimate(pool, raised, areaCode).level).toBeGreaterThanOrEqual(
            areaEstimate(pool, answers, areaCode).level,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never lowers a level when any number of answers are raised together', () => {
    fc.assert(
      fc.property(arbPoolWithSome, fc.array(fc.nat({ max: 3 })), ({ pool, answers }, steps) => {
        const raised = new Map(
          [...answers].map(([id, v], i): [string, AnswerValue] => [
            id,
            v === 'not-relevant' ? v : (Math.min(3, v + (steps[i] ?? 0)) as RatingValue),
          ]),
        );
        for (const area of pool.areas) {
          expect(fullModeLevel(pool, raised, area.areaCode)).toBeGreaterThanOrEqual(
            fullModeLevel(pool, answers, area.areaCode),
          );
          expect(areaEstimate(pool, raised, area.areaCode).level).toBeGreaterThanOrEqual(
            areaEstimate(pool, answers, area.areaCode).level,
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never lowers the level focused mode ends at when a person answers one statement higher', () => {
    // Raising an answer can change which statements focused mode asks, yet not lower its result.
    fc.assert(
      fc.property(
        arbPoolWithAll,
        fc.nat(),
        fc.integer({ min: 1, max: 3 }),
        maxPerPage,
        ({ pool, all }, pickIndex, by, perPage) => {
          const raisable = [...all].filter(([, v]) => v !== 'not-relevant' && v < 3);
          fc.pre(raisable.length > 0);
          const [id, value] = defined(raisable[pickIndex % raisable.length]);
          const higher = new Map(all);
          higher.set(id, Math.min(3, (value as RatingValue) + by) as RatingValue);
          const areaCode = defined(pool.statements.get(id)).areaCode;
          const level = (latent: ReadonlyMap<string, AnswerValue>) =>
            areaEstimate(pool, simulate(pool, areaCode, latent, perPage).answers, areaCode).level;
          expect(level(higher)).toBeGreaterThanOrEqual(level(all));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('is deterministic and ignores the order answers were given in', () => {
    fc.assert(
      fc.property(arbPoolWithSome, maxPerPage, ({ pool, answers }, perPage) => {
        const reversed = new Map([...answers].reverse());
        for (const area of pool.areas) {
          const a = nextToAsk(pool, answers, area.areaCode, { maxPerPage: perPage });
          expect(nextToAsk(pool, answers, area.areaCode, { maxPerPage: perPage })).toEqual(a);
          expect(nextToAsk(pool, reversed, area.areaCode, { maxPerPage: perPage })).toEqual(a);
          expect(areaEstimate(pool, reversed, area.areaCode)).toEqual(
            areaEstimate(pool, answers, area.areaCode),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps levels between 0 and 4, and only at levels the person has statements for', () => {
    fc.assert(
      fc.property(arbPoolWithSome, ({ pool, answers }) => {
        for (const area of pool.areas) {
          for (const level of [
            fullModeLevel(pool, answers, area.areaCode),
            areaEstimate(pool, answers, area.areaCode).level,
          ]) {
            expect(level === 0 || area.levels.includes(level as Level)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The documented rules, by example.

/** Area "1": level 1 ×3, level 2 ×3, level 3 ×3, level 4 ×2, all badged U; target 2. */
function examplePool(target = 2, archetypes: ArchetypeCode[] = ['U']): AssessmentPool {
  const statements: Statement[] = [];
  const counts: Record<Level, number> = { 1: 3, 2: 3, 3: 3, 4: 2 };
  for (const level of LEVELS) {
    for (let k = 1; k <= counts[level]; k += 1) {
      statements.push({
        id: `L${level}-${k}`,
        areaCode: '1',
        level,
        text: 'I can.',
        archetypes: ['U'],
      });
    }
  }
  statements.push({ id: 'other', areaCode: '2', level: 1, text: 'I can.', archetypes: ['C'] });
  const targets = emptyTargets(['1', '2']);
  targets.U['1'] = target;
  targets.E['1'] = 3;
  return assessmentPool({ statements, targets }, archetypes);
}

const answers = (entries: Record<string, AnswerValue>) => new Map(Object.entries(entries));

describe('assessmentPool', () => {
  it('keeps statements badged for any chosen archetype, drops areas with none, takes the highest target', () => {
    const pool = examplePool(2, ['U']);
    expect(pool.areas.map((a) => a.areaCode)).toEqual(['1']);
    expect(pool.size).toBe(11);
    expect(pool.areas[0]?.statementIdsByLevel[4]).toEqual(['L4-1', 'L4-2']);
    expect(examplePool(2, ['U', 'E']).areas[0]?.targetLevel).toBe(3);
    expect(examplePool(2, ['U', 'C']).areas.map((a) => a.areaCode)).toEqual(['1', '2']);
  });
});

describe('meetsLevel: at least half of the relevant answers met', () => {
  it.each([
    [{ met: 1, relevant: 2 }, true],
    [{ met: 2, relevant: 3 }, true],
    [{ met: 1, relevant: 3 }, false],
    [{ met: 2, relevant: 4 }, true],
    [{ met: 0, relevant: 0 }, false],
  ])('%o → %s', (tally, expected) => {
    expect(meetsLevel(tally)).toBe(expected);
  });

  it('leaves "not relevant" out of the count; a level answered only "not relevant" is not met', () => {
    const pool = examplePool();
    const a = answers({ 'L1-1': 2, 'L1-2': 'not-relevant', 'L1-3': 'not-relevant' });
    expect(fullModeLevel(pool, a, '1')).toBe(1);
    const b = answers({ 'L1-1': 'not-relevant', 'L1-2': 'not-relevant', 'L1-3': 'not-relevant' });
    expect(fullModeLevel(pool, b, '1')).toBe(0);
  });
});

describe('fullModeLevel: the highest level met with every level below it met', () => {
  it('does not credit a level above one that is not met', () => {
    const pool = examplePool();
    const a = answers({
      'L1-1': 3,
      'L1-2': 2,
      'L1-3': 0,
      'L2-1': 1,
      'L2-2': 0,
      'L2-3': 2,
      'L3-1': 3,
      'L3-2': 3,
      'L3-3': 3,
    });
    expect(fullModeLevel(pool, a, '1')).toBe(1);
  });

  it('skips levels the person has no statements at', () => {
    const statements: Statement[] = [
      { id: 'a', areaCode: 'x', level: 1, text: '', archetypes: ['S'] },
      { id: 'b', areaCode: 'x', level: 4, text: '', archetypes: ['S'] },
    ];
    const targets = emptyTargets(['x']);
    targets.S.x = 2;
    const pool = assessmentPool({ statements, targets }, ['S']);
    expect(fullModeLevel(pool, answers({ a: 2, b: 2 }), 'x')).toBe(4);
    expect(pool.areas[0]?.startLevel).toBe(1);
  });
});

describe('startLevel', () => {
  it('starts at the target, level 1 when the target is 0, else the nearest level below with statements', () => {
    expect(startLevel([1, 2, 3, 4], 3)).toBe(3);
    expect(startLevel([1, 2, 3, 4], 0)).toBe(1);
    expect(startLevel([1, 4], 3)).toBe(1);
    expect(startLevel([2, 3], 1)).toBe(2);
  });
});

describe('levelDecided', () => {
  const t = (total: number, met: number, relevant: number, lead = 0) => ({
    total,
    answered: relevant,
    relevant,
    met,
    lead,
  });
  it('counts "I can’t do this yet" answers', () => {
    const pool = examplePool();
    expect(
      tallyLevel(defined(pool.areas[0]), 2, answers({ 'L2-1': 0, 'L2-2': 1, 'L2-3': 3 })),
    ).toEqual({
      total: 3,
      answered: 3,
      relevant: 3,
      met: 1,
      lead: 1,
      cannot: 1,
    });
  });
  it('needs two agreeing answers at the start level, or one "I could lead or teach this"', () => {
    expect(levelDecided(t(3, 1, 1), 'start')).toBe(false);
    expect(levelDecided(t(3, 2, 2), 'start')).toBe(true);
    expect(levelDecided(t(3, 0, 2), 'start')).toBe(true);
    expect(levelDecided(t(3, 1, 1, 1), 'start')).toBe(true);
    expect(levelDecided(t(3, 0, 1), 'start')).toBe(false);
    expect(levelDecided(t(4, 1, 2), 'start')).toBe(false);
  });
  it('settles a level with one confirming answer on the way up (3+ statements) or down', () => {
    expect(levelDecided(t(3, 0, 1), 'up')).toBe(true);
    expect(levelDecided(t(2, 0, 1), 'up')).toBe(false);
    expect(levelDecided(t(3, 1, 1), 'up')).toBe(false);
    expect(levelDecided(t(3, 1, 1), 'down')).toBe(true);
    expect(levelDecided(t(3, 0, 1), 'down')).toBe(false);
  });
  it('settles the start with one met answer when the start is below the target', () => {
    expect(levelDecided(t(3, 1, 1), 'start', { belowTarget: true })).toBe(true);
    expect(levelDecided(t(3, 0, 1), 'start', { belowTarget: true })).toBe(false);
  });
  it('on the way up after a "lead" answer below: one met settles it, and only "can’t do this yet" settles it as not met', () => {
    const lead = { leadBelow: true };
    expect(levelDecided(t(3, 1, 1), 'up', lead)).toBe(true);
    expect(levelDecided(t(3, 0, 1), 'up', lead)).toBe(false); // "I'm starting to"
    expect(levelDecided({ ...t(3, 0, 1), cannot: 1 }, 'up', lead)).toBe(true);
    expect(levelDecided({ ...t(2, 0, 1), cannot: 1 }, 'up', lead)).toBe(false); // half the level
    expect(levelDecided(t(3, 0, 2), 'up', lead)).toBe(true); // two agreeing, as ever
  });
  it('is decided when the remaining answers could not change the result', () => {
    expect(levelDecided(t(4, 2, 2), 'start')).toBe(true); // 2 of 4 is already half
    expect(levelDecided(t(3, 1, 2), 'start')).toBe(false); // the third decides
  });
});

describe('nextToAsk and areaEstimate: the walk', () => {
  const pool = examplePool(2);

  it('starts at the target level with two statements on the first page, then one at a time', () => {
    // Two met answers settle the start level, so the first page asks two of its three, even when
    // a page could hold more; a smaller page holds fewer.
    expect(nextToAsk(pool, new Map(), '1')).toEqual(['L2-1', 'L2-2']);
    expect(nextToAsk(pool, new Map(), '1', { maxPerPage: 4 })).toEqual(['L2-1', 'L2-2']);
    expect(nextToAsk(pool, new Map(), '1', { maxPerPage: 1 })).toEqual(['L2-1']);
    // Later pages: the fewest answers that could decide the level ("lead" could, on its own).
    expect(nextToAsk(pool, answers({ 'L2-1': 2 }), '1', { maxPerPage: 3 })).toEqual(['L2-2']);
    expect(areaEstimate(pool, new Map(), '1')).toEqual({ level: 0, settled: false, asked: 0 });
  });

  it('goes up after the start is met, and stops at the first level not met', () => {
    const a = answers({ 'L2-1': 2, 'L2-2': 2 });
    expect(nextToAsk(pool, a, '1')).toEqual(['L3-1']);
    a.set('L3-1', 1);
    expect(nextToAsk(pool, a, '1')).toEqual([]);
    // Level 1 was not asked: meeting level 2 credits it.
    expect(areaEstimate(pool, a, '1')).toEqual({ level: 2, settled: true, asked: 3 });
    expect(fullModeLevel(pool, a, '1')).toBe(0);
  });

  it('asks a third statement when two disagree', () => {
    const a = answers({ 'L2-1': 2, 'L2-2': 0 });
    expect(nextToAsk(pool, a, '1')).toEqual(['L2-3']);
  });

  it('goes down when the start is not met, and one met answer below settles it', () => {
    const a = answers({ 'L2-1': 0, 'L2-2': 1 });
    expect(nextToAsk(pool, a, '1')).toEqual(['L1-1']);
    a.set('L1-1', 2);
    expect(areaEstimate(pool, a, '1')).toEqual({ level: 1, settled: true, asked: 3 });
  });

  it('settles at 0 when level 1 is not met either', () => {
    const a = answers({ 'L2-1': 0, 'L2-2': 0, 'L1-1': 1 });
    expect(nextToAsk(pool, a, '1')).toEqual(['L1-2']);
    a.set('L1-2', 0);
    expect(areaEstimate(pool, a, '1')).toEqual({ level: 0, settled: true, asked: 4 });
  });

  it('climbs to the top level and stops there', () => {
    const a = answers({ 'L2-1': 2, 'L2-2': 2, 'L3-1': 2 });
    expect(nextToAsk(pool, a, '1')).toEqual(['L3-2']); // no "lead" below: one met is not enough
    a.set('L3-2', 2);
    expect(nextToAsk(pool, a, '1')).toEqual(['L4-1']);
    a.set('L4-1', 2);
    expect(nextToAsk(pool, a, '1')).toEqual([]); // 1 of the 2 level-4 statements is half
    expect(areaEstimate(pool, a, '1').level).toBe(4);
  });

  it('after a "lead" answer first at the level below, one met answer settles the level above', () => {
    const a = answers({ 'L2-1': 3, 'L3-1': 3, 'L4-1': 2 });
    // "Lead" settles the start; each "lead" first at a level lets one met answer settle the next.
    expect(nextToAsk(pool, a, '1')).toEqual([]);
    expect(areaEstimate(pool, a, '1')).toEqual({ level: 4, settled: true, asked: 3 });
    // ...and "I'm starting to" no longer settles it as not met; "I can't do this yet" does.
    expect(nextToAsk(pool, answers({ 'L2-1': 3, 'L2-2': 2, 'L3-1': 1 }), '1')).toEqual(['L3-2']);
    expect(nextToAsk(pool, answers({ 'L2-1': 3, 'L2-2': 2, 'L3-1': 0 }), '1')).toEqual([]);
    // Only the first statement below counts: a "lead" second does not.
    expect(nextToAsk(pool, answers({ 'L2-1': 2, 'L2-2': 3, 'L3-1': 1 }), '1')).toEqual([]);
  });

  it('takes the level above as met when both first-page answers are "lead"', () => {
    const a = answers({ 'L2-1': 3, 'L2-2': 3 });
    expect(nextToAsk(pool, a, '1')).toEqual(['L4-1']); // level 3 is not asked
    expect(areaEstimate(pool, a, '1')).toEqual({ level: 3, settled: false, asked: 2 });
    a.set('L4-1', 1); // after the lift, "I'm starting to" is not enough to settle level 4
    expect(nextToAsk(pool, a, '1')).toEqual(['L4-2']);
    a.set('L4-2', 0);
    expect(areaEstimate(pool, a, '1')).toEqual({ level: 3, settled: true, asked: 4 });
    // Once level 3 has answers of its own, they count instead.
    expect(areaEstimate(pool, answers({ 'L2-1': 3, 'L2-2': 3, 'L3-1': 0 }), '1').level).toBe(2);
  });

  it('takes the level below as met when the start is nearly met (no "can’t do this yet")', () => {
    const a = answers({ 'L2-1': 1, 'L2-2': 1 });
    expect(nextToAsk(pool, a, '1')).toEqual([]);
    expect(areaEstimate(pool, a, '1')).toEqual({ level: 1, settled: true, asked: 2 });
    // One "can't do this yet" on the first page: go down and ask level 1.
    expect(nextToAsk(pool, answers({ 'L2-1': 1, 'L2-2': 0 }), '1')).toEqual(['L1-1']);
    // The third answer does not count: the first page decides whether it is nearly met.
    const b = answers({ 'L2-1': 2, 'L2-2': 1, 'L2-3': 0 });
    expect(nextToAsk(pool, b, '1')).toEqual([]);
    expect(areaEstimate(pool, b, '1').level).toBe(1);
  });

  it('stops at the lowest level when it is only just met, with no "lead" answer', () => {
    const low = examplePool(1); // target 1: the start is level 1, the lowest
    expect(nextToAsk(low, answers({ 'L1-1': 2, 'L1-2': 0, 'L1-3': 2 }), '1')).toEqual([]);
    expect(areaEstimate(low, answers({ 'L1-1': 2, 'L1-2': 0, 'L1-3': 2 }), '1').level).toBe(1);
    // All met, or a "lead" among them: go up as usual.
    expect(nextToAsk(low, answers({ 'L1-1': 2, 'L1-2': 2 }), '1')).toEqual(['L2-1']);
    expect(nextToAsk(low, answers({ 'L1-1': 3, 'L1-2': 0, 'L1-3': 2 }), '1')).toEqual(['L2-1']);
    // Only the first two statements are looked at for "lead" (the first page).
    expect(nextToAsk(low, answers({ 'L1-1': 2, 'L1-2': 0, 'L1-3': 3 }), '1')).toEqual([]);
    // Only at the lowest level: at level 2 the same answers go up.
    expect(nextToAsk(pool, answers({ 'L2-1': 2, 'L2-2': 0, 'L2-3': 2 }), '1')).toEqual(['L3-1']);
  });

  it('asks one statement first, and one met answer settles the start, when the start is below the target', () => {
    // A Shaper-like pool: statements at levels 1 and 4 only, target 3, so the start is level 1.
    const statements: Statement[] = [1, 2, 3].map((k) => ({
      id: `a${k}`,
      areaCode: 'x',
      level: 1,
      text: '',
      archetypes: ['S'],
    }));
    statements.push({ id: 'b1', areaCode: 'x', level: 4, text: '', archetypes: ['S'] });
    const targets = emptyTargets(['x']);
    targets.S.x = 3;
    const below = assessmentPool({ statements, targets }, ['S']);
    expect(below.areas[0]?.startLevel).toBe(1);
    expect(nextToAsk(below, new Map(), 'x')).toEqual(['a1']);
    expect(nextToAsk(below, answers({ a1: 2 }), 'x')).toEqual(['b1']);
    expect(nextToAsk(below, answers({ a1: 1 }), 'x')).toEqual(['a2']);
  });

  it('leaves "not relevant" answers out and asks another at the same level', () => {
    const a = answers({ 'L2-1': 'not-relevant', 'L2-2': 1 });
    expect(nextToAsk(pool, a, '1')).toEqual(['L2-3']);
    // 1 met of the 2 relevant statements left is already half: settled as met, so go up.
    expect(nextToAsk(pool, answers({ 'L2-1': 'not-relevant', 'L2-2': 2 }), '1')).toEqual(['L3-1']);
  });

  it('plans: areas still to ask and the statement count estimate', () => {
    const two = examplePool(2, ['U', 'C']);
    expect(focusedPlan(two, new Map())).toEqual(['1', '2']);
    expect(fullPlan(two, answers({ other: 2 }))).toEqual(['1']);
    expect(focusedPlan(two, answers({ other: 2, 'L2-1': 3, 'L3-1': 0 }))).toEqual([]);
    expect(estimateStatementCount(two, 'full')).toBe(12);
    expect(estimateStatementCount(two, 'focused')).toBe(Math.round(2 + 1.5 + 1));
  });
});
