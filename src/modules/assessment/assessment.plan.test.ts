/** The plan and the results snapshot, on a small hand-made framework with hand-computed results. */
import { describe, expect, it } from 'vitest';
import {
  type ArchetypeCode,
  type FrameworkData,
  FrameworkModel,
  type Level,
  type Statement,
} from '../framework/index.js';
import {
  computeResults,
  minutesFor,
  nextUnfinishedAfter,
  planAssessment,
  STATEMENTS_PER_PAGE,
  statementsToAsk,
} from './assessment.plan.js';
import { assessmentPool, FIRST_PAGE_SIZE } from './engine/adaptive-engine.js';
import { type AnswerValue, parseAnswerValue } from './engine/scale.js';

const node = (code: string, parentCode: string | null, name: string, isArea: boolean) => ({
  code,
  parentCode,
  name,
  description: `About ${name}`,
  isArea,
  depth: parentCode ? 1 : 0,
});

const statement = (
  id: string,
  areaCode: string,
  level: Level,
  archetypes: ArchetypeCode[] = ['U'],
): Statement => ({ id, areaCode, level, text: `Statement ${id}`, archetypes });

const none = { S: {}, D: {}, C: {}, E: {} };
const data: FrameworkData = {
  slug: 'mini',
  title: 'Mini framework',
  summary: '',
  basedOn: { title: '', publisher: '', published: '', url: '', note: '' },
  archetypeGuide: { intro: '', questions: [] },
  levels: [],
  archetypes: [],
  nodes: [
    node('1', null, 'Implementation', true),
    node('2', null, 'Patients', false),
    node('2.1', '2', 'Direct care', true),
    node('2.2', '2', 'Remote care', true),
    node('3', null, 'Ethics', true),
  ],
  statements: [
    statement('a1', '1', 1),
    statement('a2', '1', 1),
    statement('a3', '1', 2),
    statement('a4', '1', 2),
    statement('a5', '1', 3, ['C']), // not for Users: outside the pool
    statement('b1', '2.1', 1),
    statement('b2', '2.1', 2),
    statement('b3', '2.1', 2),
    statement('b4', '2.1', 3),
    statement('b5', '2.1', 3),
    statement('c1', '2.2', 1),
    statement('c2', '2.2', 1),
    statement('c3', '2.2', 2),
    statement('d1', '3', 1),
  ],
  targets: { ...none, U: { '1': 3, '2.1': 3, '2.2': 1, '3': 2 } },
  professions: [],
  workSettings: [],
};
const framework = new FrameworkModel(data, {
  versionId: 1,
  version: 4,
  contentHash: 'x',
  createdAt: new Date(0),
});
const pool = assessmentPool(data, ['U']);

const answersOf = (raw: Record<string, string>) =>
  new Map(Object.entries(raw).map(([id, v]) => [id, parseAnswerValue(v)] as [string, AnswerValue]));

/**
 * Full mode ("meets a level": at least half of its relevant answers are 2 or 3):
 *   1:   L1 a1=2 a2=1 → 1 of 2 met → met; L2 a3=0 a4=n/r → 0 of 1 → not met. Level 1, target 3.
 *   2.1: L1 b1=3 met; L2 b2=2 b3=1 → 1 of 2 → met; L3 b4=0 b5=1 → 0 of 2. Level 2, target 3.
 *   2.2: L1 c1=3 c2=3 met; L2 c3=2 met. Level 2, target 1.
 *   3:   L1 d1=2 met, no higher levels. Level 1, target 2.
 */
const fullAnswers = answersOf({
  a1: '2',
  a2: '1',
  a3: '0',
  a4: 'not-relevant',
  b1: '3',
  b2: '2',
  b3: '1',
  b4: '0',
  b5: '1',
  c1: '3',
  c2: '3',
  c3: '2',
  d1: '2',
});

describe('computeResults', () => {
  it('matches the hand-computed snapshot', () => {
    const results = computeResults({
      framework,
      pool,
      mode: 'full',
      answers: fullAnswers,
      archetypeCodes: ['U'],
      professionCode: 'nurse',
      workSettingCode: 'acute',
      submittedAt: new Date('2026-11-25T12:00:00Z'),
    });
    const area = (
      areaCode: string,
      areaName: string,
      domainCode: string,
      domainName: string,
      rest: Record<string, number>,
    ) => ({ areaCode, areaName, domainCode, domainName, ...rest });
    expect(results).toEqual({
      schemaVersion: 1,
      frameworkSlug: 'mini',
      frameworkTitle: 'Mini framework',
      frameworkVersion: 4,
      mode: 'full',
      archetypeCodes: ['U'],
      professionCode: 'nurse',
      workSettingCode: 'acute',
      submittedAt: '2026-11-25T12:00:00.000Z',
      areas: [
        area('1', 'Implementation', '1', 'Implementation', {
          level: 1,
          targetLevel: 3,
          shortfall: 2,
          answered: 3,
          notRelevant: 1,
          poolSize: 4,
        }),
        area('2.1', 'Direct care', '2', 'Patients', {
          level: 2,
          targetLevel: 3,
          shortfall: 1,
          answered: 5,
          notRelevant: 0,
          poolSize: 5,
        }),
        area('2.2', 'Remote care', '2', 'Patients', {
          level: 2,
          targetLevel: 1,
          shortfall: 0,
          answered: 3,
          notRelevant: 0,
          poolSize: 3,
        }),
        area('3', 'Ethics', '3', 'Ethics', {
          level: 1,
          targetLevel: 2,
          shortfall: 1,
          answered: 1,
          notRelevant: 0,
          poolSize: 1,
        }),
      ],
      strengths: ['2.2'],
      // Largest shortfall first; then, at equal shortfall, the broader area (5 statements vs 1).
      gaps: ['1', '2.1', '3'],
    });
  });
});

describe('planAssessment', () => {
  it('starts with every area to do and carries on where the person was', () => {
    const plan = planAssessment(pool, 'full', new Map(), null);
    expect(plan).toMatchObject({ done: 0, total: 4, complete: false, nextAreaCode: '1' });
    expect(plan.remainingStatements).toBe(13);
    expect(plan.minutesLeft).toBe(minutesFor(13));
    expect(planAssessment(pool, 'full', new Map(), '2.2').nextAreaCode).toBe('2.2');
  });

  it('marks areas in progress and done, and skips finished areas', () => {
    const answers = answersOf({ a1: '2', c1: '2', c2: '2', c3: '2', d1: '1' });
    const plan = planAssessment(pool, 'full', answers, '3');
    expect(plan.areas.map((a) => [a.areaCode, a.status])).toEqual([
      ['1', 'in-progress'],
      ['2.1', 'not-started'],
      ['2.2', 'done'],
      ['3', 'done'],
    ]);
    expect(plan).toMatchObject({ done: 2, nextAreaCode: '1', remainingStatements: 8 });
    expect(nextUnfinishedAfter(plan, '2.1')).toBe('1');
    expect(nextUnfinishedAfter(plan, '1')).toBe('2.1');
  });

  it('full mode asks the next unanswered statements, a few per page', () => {
    expect(statementsToAsk(pool, 'full', answersOf({ a1: '1' }), '1')).toEqual(['a2', 'a3', 'a4']);
    expect(statementsToAsk(pool, 'full', fullAnswers, '1')).toEqual([]);
    expect(statementsToAsk(pool, 'full', new Map(), 'nowhere')).toEqual([]);
  });

  it('is complete when every area is finished', () => {
    const plan = planAssessment(pool, 'full', fullAnswers, '1');
    expect(plan).toMatchObject({ complete: true, done: 4, nextAreaCode: undefined });
    expect(plan.minutesLeft).toBe(0);
  });

  it('focused mode starts at the target level and never expects more than full mode', () => {
    const pick = (raw: Record<string, string>, areaCode: string) => {
      const answers = answersOf(raw);
      return statementsToAsk(pool, 'focused', answers, areaCode);
    };
    // Area 2.1 starts at its target level (3).
    expect(pick({}, '2.1')).toEqual(expect.arrayContaining(['b4']));
    const plan = planAssessment(pool, 'focused', new Map(), null);
    expect(plan.remainingStatements).toBeLessThanOrEqual(13);
    expect(plan.remainingStatements).toBeGreaterThan(0);
  });
});

describe('focused pages', () => {
  // One area with three statements at each of levels 1 to 3; target 2.
  const level = (l: Level) => [1, 2, 3].map((k) => statement(`L${l}-${k}`, 'x', l));
  const source = {
    statements: [...level(1), ...level(2), ...level(3)],
    targets: { ...none, U: { x: 2 } },
  };
  const focused = assessmentPool(source, ['U']);
  const ask = (raw: Record<string, string>) =>
    statementsToAsk(focused, 'focused', answersOf(raw), 'x');

  it('shows two statements of the start level on the first page of an area, not one', () => {
    expect(STATEMENTS_PER_PAGE).toBeGreaterThanOrEqual(FIRST_PAGE_SIZE);
    expect(ask({})).toEqual(['L2-1', 'L2-2']);
  });

  it('then asks the level above after two met answers, or settles a split with a third', () => {
    expect(ask({ 'L2-1': '2', 'L2-2': '2' })).toEqual(['L3-1']);
    expect(ask({ 'L2-1': '2', 'L2-2': '0' })).toEqual(['L2-3']);
    expect(ask({ 'L2-1': '2', 'L2-2': '2', 'L3-1': '1' })).toEqual([]);
  });

  it('shows one statement first where one met answer settles the start level', () => {
    // Target 3, but no statements at level 3: the start is level 2, below the target.
    const below = assessmentPool(
      { statements: [...level(1), ...level(2)], targets: { ...none, U: { x: 3 } } },
      ['U'],
    );
    expect(statementsToAsk(below, 'focused', new Map(), 'x')).toEqual(['L2-1']);
  });
});

describe('minutesFor', () => {
  it('rounds up at 20 seconds a statement', () => {
    expect([0, 1, 3, 4, 30].map(minutesFor)).toEqual([0, 1, 1, 2, 10]);
  });
});
