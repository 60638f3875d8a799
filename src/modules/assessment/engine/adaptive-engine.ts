/**
 * The adaptive engine for the self-assessment: which statements to ask next in an area, and the
 * person's level there from the answers so far. Pure and deterministic: no I/O, no clock, no
 * randomness; the same pool and answers always give the same result. The rules are written out
 * for non-technical readers in docs/adaptive-engine.md.
 */
import type { ArchetypeCode, FrameworkData, Level, Statement } from '../../framework/index.js';
import { type AnswerValue, meetsStatement, NOT_RELEVANT } from './scale.js';

export type Answers = ReadonlyMap<string, AnswerValue>;
export type AssessmentMode = 'focused' | 'full';

const ALL_LEVELS: readonly Level[] = [1, 2, 3, 4];

export interface PoolArea {
  areaCode: string;
  /** Highest target among the person's archetypes for this area; 0 when none expects it. */
  targetLevel: number;
  /** The level focused mode asks first (see startLevel). */
  startLevel: Level;
  /** Levels that have at least one statement for the person, lowest first. */
  levels: Level[];
  /** Statement ids by level, in framework order; empty arrays for levels with none. */
  statementIdsByLevel: Record<Level, string[]>;
  /** Every statement id in the area for the person, by level then framework order. */
  statementIds: string[];
}

export interface AssessmentPool {
  archetypes: ArchetypeCode[];
  /** Areas with at least one statement badged for the person's archetypes, in framework order. */
  areas: PoolArea[];
  /** Where each pooled statement sits. */
  statements: ReadonlyMap<string, { areaCode: string; level: Level }>;
  /** Every pooled statement, area by area: what full mode asks. */
  size: number;
}

export type FrameworkSource = Pick<FrameworkData, 'statements' | 'targets'>;

export interface AreaEstimate {
  /** 0 (below level 1) to 4. */
  level: number;
  /** True when focused mode has nothing more to ask in the area. */
  settled: boolean;
  /** Statements answered in the area, "not relevant" included. */
  asked: number;
}

export interface NextOptions {
  /** At most this many statements on one page (default 2, at least 1). */
  maxPerPage?: number;
}

/** How many of the start level's statements the first page of an area asks at most. */
export const FIRST_PAGE_SIZE = 2;

/**
 * The statements and targets for a person with these archetypes: the union of statements badged
 * for any of them, and the highest target among them in each area.
 */
export function assessmentPool(
  framework: FrameworkSource,
  archetypes: readonly ArchetypeCode[],
): AssessmentPool {
  const chosen = [...new Set(archetypes)];
  const byArea = new Map<string, Statement[]>();
  for (const s of framework.statements) {
    if (!s.archetypes.some((a) => chosen.includes(a))) continue;
    const list = byArea.get(s.areaCode) ?? [];
    list.push(s);
    byArea.set(s.areaCode, list);
  }
  const statements = new Map<string, { areaCode: string; level: Level }>();
  const areas: PoolArea[] = [];
  for (const [areaCode, list] of byArea) {
    const statementIdsByLevel: Record<Level, string[]> = { 1: [], 2: [], 3: [], 4: [] };
    for (const s of list) {
      statementIdsByLevel[s.level].push(s.id);
      statements.set(s.id, { areaCode, level: s.level });
    }
    const levels = ALL_LEVELS.filter((l) => statementIdsByLevel[l].length > 0);
    const targetLevel = Math.max(0, ...chosen.map((a) => framework.targets[a][areaCode] ?? 0));
    areas.push({
      areaCode,
      targetLevel,
      startLevel: startLevel(levels, targetLevel),
      levels,
      statementIdsByLevel,
      statementIds: levels.flatMap((l) => statementIdsByLevel[l]),
    });
  }
  return { archetypes: chosen, areas, statements, size: statements.size };
}

/**
 * Focused mode starts at the target level (level 1 when no archetype expects the area). When the
 * person has no statements at that level, it starts at the nearest level below that has some, or
 * failing that the lowest level they have.
 */
export function startLevel(levels: readonly Level[], targetLevel: number): Level {
  const want = Math.max(1, targetLevel);
  const below = levels.filter((l) => l <= want);
  const first = levels[0];
  if (first === undefined) throw new Error('an area in the pool has at least one level');
  return below[below.length - 1] ?? first;
}

export function poolArea(pool: AssessmentPool, areaCode: string): PoolArea {
  const area = pool.areas.find((a) => a.areaCode === areaCode);
  if (!area) throw new Error(`area ${areaCode} has no statements for this person`);
  return area;
}

// ---------------------------------------------------------------------------------------------
// Levels: what "meets a level" means

export interface LevelTally {
  /** Statements at the level for the person. */
  total: number;
  /** Answered, "not relevant" included. */
  answered: number;
  /** Answered other than "not relevant". */
  relevant: number;
  /** Answered and met (scale.ts: "I can do this on my own" or "I could lead or teach this"). */
  met: number;
  /** Answered "I could lead or teach this". */
  lead: number;
  /** Answered "I can't do this yet". */
  cannot: number;
}

export function tallyLevel(area: PoolArea, level: Level, answers: Answers): LevelTally {
  const ids = area.statementIdsByLevel[level];
  let answered = 0;
  let relevant = 0;
  let met = 0;
  let lead = 0;
  let cannot = 0;
  for (const id of ids) {
    const value = answers.get(id);
    if (value === undefined) continue;
    answered += 1;
    if (value === NOT_RELEVANT) continue;
    relevant += 1;
    if (meetsStatement(value)) met += 1;
    if (value === 3) lead += 1;
    if (value === 0) cannot += 1;
  }
  return { total: ids.length, answered, relevant, met, lead, cannot };
}

/**
 * A person meets a level when they meet at least half of the statements at that level they
 * answered, leaving out "not relevant" ones. A level with no relevant answers is not met.
 */
export function meetsLevel(tally: Pick<LevelTally, 'met' | 'relevant'>): boolean {
  return tally.relevant > 0 && tally.met * 2 >= tally.relevant;
}

/**
 * Where a level sits on focused mode's path: the start level; a level above a met level (reached
 * by going up, where the person is expected not to meet it); or a level below a level not met
 * (reached by going down, where they are expected to meet it).
 */
export type LevelRole = 'start' | 'up' | 'down';

/** What focused mode knows around a level besides its own answers (see nextToAsk). */
export interface LevelContext {
  /**
   * On the way up: the first statement of the level below was answered "I could lead or teach
   * this". Only the first statement counts, because it is always asked when the level below is.
   */
  leadBelow?: boolean;
  /** At the start level: it is below the target (the person has no statements at the target). */
  belowTarget?: boolean;
}

/**
 * A level is decided when asking more of its statements would not help:
 * - every statement at the level is answered; or
 * - the answers so far fix the result, whatever the rest would say; or
 * - two relevant answers agree (all met, or none met); or
 * - one answer settles it:
 *   - at the start level, "I could lead or teach this", or any met answer when the start level is
 *     below the target;
 *   - on the way down, any met answer;
 *   - on the way up, at a level with at least three statements for the person (with two, one
 *     answer is only half the level), an answer not met, except that after a "lead" answer below
 *     only "I can't do this yet" is enough;
 *   - on the way up after a "lead" answer below, any met answer.
 */
export function levelDecided(
  tally: Omit<LevelTally, 'cannot'> & Partial<Pick<LevelTally, 'cannot'>>,
  role: LevelRole = 'start',
  context: LevelContext = {},
): boolean {
  const unanswered = tally.total - tally.answered;
  if (unanswered === 0) return true;
  // Worst case: every unanswered statement is relevant and not met; best: all met.
  const worst = meetsLevel({ met: tally.met, relevant: tally.relevant + unanswered });
  const best = meetsLevel({ met: tally.met + unanswered, relevant: tally.relevant + unanswered });
  if (worst === best) return true;
  const allMet = tally.relevant > 0 && tally.met === tally.relevant;
  const noneMet = tally.relevant > 0 && tally.met === 0;
  if (tally.relevant >= AGREEING_ANSWERS && (allMet || noneMet)) return true;
  switch (role) {
    case 'start':
      return allMet && (tally.lead > 0 || context.belowTarget === true);
    case 'down':
      return allMet;
    case 'up':
      if (context.leadBelow)
        return allMet || (noneMet && (tally.cannot ?? 0) > 0 && tally.total >= ONE_ANSWER_UP_MIN);
      return noneMet && tally.total >= ONE_ANSWER_UP_MIN;
  }
}

/** Relevant answers that, all agreeing, decide a level. */
export const AGREEING_ANSWERS = 2;
/** On the way up, one answer not met decides a level only with at least this many statements. */
export const ONE_ANSWER_UP_MIN = 3;

/** The answers to the first two statements of a level (framework order): its first page. */
function firstTwo(area: PoolArea, level: Level, answers: Answers): (AnswerValue | undefined)[] {
  return area.statementIdsByLevel[level].slice(0, FIRST_PAGE_SIZE).map((id) => answers.get(id));
}

/**
 * The start level is met strongly: its first two statements are both answered "I could lead or
 * teach this". The level directly above it (the next level number) is then taken as met.
 */
function startMetStrongly(area: PoolArea, answers: Answers): boolean {
  const first = firstTwo(area, area.startLevel, answers);
  return first.length === FIRST_PAGE_SIZE && first.every((v) => v === 3);
}

/**
 * The start level is nearly met: not met, yet its first two statements are answered, at least one
 * of them is relevant, and neither is "I can't do this yet". The level below is then taken as met.
 */
function startNearlyMet(area: PoolArea, answers: Answers): boolean {
  const first = firstTwo(area, area.startLevel, answers);
  return (
    !meetsLevel(tallyLevel(area, area.startLevel, answers)) &&
    first.every((v) => v !== undefined && v !== 0) &&
    first.some((v) => v !== NOT_RELEVANT)
  );
}

/**
 * The start level is only just met at the bottom: it is the lowest level the person has statements
 * at, it is met but not by every relevant answer, and neither of its first two statements is
 * answered "I could lead or teach this". Focused mode then stops there instead of asking the level
 * above.
 */
function startJustMetAtBottom(area: PoolArea, tally: LevelTally, answers: Answers): boolean {
  return (
    area.startLevel === area.levels[0] &&
    meetsLevel(tally) &&
    tally.met < tally.relevant &&
    !firstTwo(area, area.startLevel, answers).includes(3)
  );
}

type Judged = 'met' | 'not-met' | 'unknown';

/** A level's result from its answered statements; 'unknown' when none is answered. */
function judge(area: PoolArea, level: Level, answers: Answers): Judged {
  const tally = tallyLevel(area, level, answers);
  if (tally.answered === 0) return 'unknown';
  return meetsLevel(tally) ? 'met' : 'not-met';
}

/**
 * The highest level L such that every level from 1 to L the person has statements at is
 * credited (levels they have no statements at are skipped); 0 when level 1 is not.
 */
function cumulativeLevel(area: PoolArea, credited: (level: Level) => boolean): number {
  let level = 0;
  for (const l of area.levels) {
    if (!credited(l)) break;
    level = l;
  }
  return level;
}

/**
 * Full mode's rule: the highest level whose statements the person meets, with every lower level
 * (that has statements for them) also met. Levels with no answers count as not met.
 */
export function fullModeLevel(pool: AssessmentPool, answers: Answers, areaCode: string): number {
  const area = poolArea(pool, areaCode);
  return cumulativeLevel(area, (l) => judge(area, l, answers) === 'met');
}

/**
 * Focused mode's estimate. The same rule as full mode, except that a level that was not asked is
 * taken as met:
 * - when a higher level was asked and met (someone who meets a harder level is assumed to meet
 *   the easier ones below it);
 * - when it is below a start level that is nearly met (startNearlyMet);
 * - when it is the level directly above a start level met strongly (startMetStrongly).
 * When every statement is answered nothing is assumed, so the estimate is exactly full mode's
 * level.
 */
export function areaEstimate(
  pool: AssessmentPool,
  answers: Answers,
  areaCode: string,
): AreaEstimate {
  const area = poolArea(pool, areaCode);
  const judged = new Map(area.levels.map((l) => [l, judge(area, l, answers)] as const));
  const above = area.levels[area.levels.indexOf(area.startLevel) + 1];
  const lifted =
    above === area.startLevel + 1 &&
    judged.get(area.startLevel) === 'met' &&
    judged.get(above) === 'unknown' &&
    startMetStrongly(area, answers)
      ? above
      : undefined;
  const highestMet = Math.max(
    0,
    ...area.levels.filter((l) => judged.get(l) === 'met'),
    lifted ?? 0,
    startNearlyMet(area, answers) ? area.startLevel : 0,
  );
  const level = cumulativeLevel(area, (l) => {
    const j = judged.get(l);
    return j === 'met' || l === lifted || (j === 'unknown' && l < highestMet);
  });
  return {
    level,
    settled: nextToAsk(pool, answers, areaCode).length === 0,
    asked: area.statementIds.filter((id) => answers.has(id)).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Which statements to ask next

/**
 * The statements to ask next in an area, in framework order, all at one level; empty when the
 * area is settled. Never returns an answered statement, nor more than maxPerPage.
 *
 * How many: on the area's first page (nothing at the start level answered yet), as many of the
 * start level's statements as it takes to settle it if the person meets them (answers "I can do
 * this on my own"): two, or one when one met answer settles it (FIRST_PAGE_SIZE at most). On later
 * pages, the fewest answers that could decide the current level (so one when one answer could).
 *
 * The walk: start at the start level and ask until it is decided. When it is met, go up to the
 * next level (stop at the top, or when the level above is already decided and not met); when it
 * is not met, go down (stop at the bottom, or when the level below is already decided and met).
 * At the start level three shortcuts apply: met strongly, the level above is taken as met and the
 * walk goes on from it; nearly met, the level below is taken as met and the area stops; only just
 * met at the person's lowest level, the area stops there.
 */
export function nextToAsk(
  pool: AssessmentPool,
  answers: Answers,
  areaCode: string,
  options: NextOptions = {},
): string[] {
  const maxPerPage = Math.max(1, Math.floor(options.maxPerPage ?? 2));
  const area = poolArea(pool, areaCode);
  const index = (l: Level) => area.levels.indexOf(l);
  let current = area.startLevel;
  let role: LevelRole = 'start';
  let context = startContext(area);
  // Each step moves one level in a fixed direction, so this visits at most every level once.
  for (let steps = 0; steps <= area.levels.length; steps += 1) {
    const tally = tallyLevel(area, current, answers);
    if (!levelDecided(tally, role, context)) {
      const firstPage = role === 'start' && tally.answered === 0;
      const size = firstPage ? firstPageSize(area) : stillNeeded(tally, role, context);
      return area.statementIdsByLevel[current]
        .filter((id) => !answers.has(id))
        .slice(0, Math.min(maxPerPage, size));
    }
    const met = meetsLevel(tally);
    if (role === 'start') {
      if (!met && startNearlyMet(area, answers)) return [];
      if (met && startJustMetAtBottom(area, tally, answers)) return [];
    }
    let next = area.levels[index(current) + (met ? 1 : -1)];
    if (next === undefined) return [];
    let lifted = false;
    if (
      role === 'start' &&
      met &&
      next === current + 1 &&
      tallyLevel(area, next, answers).answered === 0 &&
      startMetStrongly(area, answers)
    ) {
      // The level above is taken as met without asking: go on from it. The "lead" answers that
      // lifted it count as the "lead" answer below the next level.
      current = next;
      next = area.levels[index(current) + 1];
      if (next === undefined) return [];
      lifted = true;
    }
    role = met ? 'up' : 'down';
    context = met ? { leadBelow: lifted || firstAnswerIsLead(area, next, answers) } : {};
    const nextTally = tallyLevel(area, next, answers);
    if (levelDecided(nextTally, role, context) && meetsLevel(nextTally) !== met) return [];
    current = next;
  }
  return [];
}

/** The first statement of the level below `level` (in the person's levels) is answered "lead". */
function firstAnswerIsLead(area: PoolArea, level: Level, answers: Answers): boolean {
  const below = area.levels[area.levels.indexOf(level) - 1];
  if (below === undefined) return false;
  const first = area.statementIdsByLevel[below][0];
  return first !== undefined && answers.get(first) === 3;
}

/** Plain met answers ("I can do this on my own") it would take to settle a start level. */
function toSettleIfMet(tally: LevelTally, context: LevelContext): number {
  const unanswered = tally.total - tally.answered;
  for (let n = 1; n < unanswered; n += 1) {
    const more = { ...tally, answered: tally.answered + n, relevant: tally.relevant + n };
    if (levelDecided({ ...more, met: tally.met + n }, 'start', context)) return n;
  }
  return Math.max(1, unanswered);
}

/** The fewest further answers that could decide a level that is not yet decided (at least 1). */
function stillNeeded(tally: LevelTally, role: LevelRole, context: LevelContext): number {
  const unanswered = tally.total - tally.answered;
  for (let n = 1; n < unanswered; n += 1) {
    const more = { ...tally, answered: tally.answered + n, relevant: tally.relevant + n };
    const allMet = { ...more, met: tally.met + n, lead: tally.lead + n };
    const noneMet = { ...more, cannot: tally.cannot + n };
    if (levelDecided(allMet, role, context) || levelDecided(noneMet, role, context)) return n;
  }
  return Math.max(1, unanswered);
}

// ---------------------------------------------------------------------------------------------
// Plans

/** Areas focused mode still has questions for, in framework order. */
export function focusedPlan(pool: AssessmentPool, answers: Answers): string[] {
  return pool.areas
    .filter((a) => nextToAsk(pool, answers, a.areaCode).length > 0)
    .map((a) => a.areaCode);
}

/** Areas full mode still has unanswered statements in, in framework order. */
export function fullPlan(pool: AssessmentPool, answers: Answers): string[] {
  return pool.areas
    .filter((a) => a.statementIds.some((id) => !answers.has(id)))
    .map((a) => a.areaCode);
}

/**
 * Roughly how many statements a person will answer, for the start page's time estimate. Full
 * mode: the whole pool. Focused mode: the typical path in each area, the first page (two
 * statements at the start level, or one where one met answer settles it) and one or two (1.5) at
 * the next level up or down, where there is one; the benchmark (npm run bench:adaptive) compares
 * this with simulated respondents.
 */
export function estimateStatementCount(pool: AssessmentPool, mode: AssessmentMode): number {
  if (mode === 'full') return pool.size;
  let count = 0;
  for (const area of pool.areas) {
    const i = area.levels.indexOf(area.startLevel);
    count += firstPageSize(area);
    if (area.levels[i + 1] !== undefined || area.levels[i - 1] !== undefined) count += 1.5;
  }
  return Math.round(count);
}

/** How many statements the first page of an area shows (before any maxPerPage cap). */
export function firstPageSize(area: PoolArea): number {
  const tally = tallyLevel(area, area.startLevel, new Map());
  return Math.min(FIRST_PAGE_SIZE, toSettleIfMet(tally, startContext(area)));
}

function startContext(area: PoolArea): LevelContext {
  return { belowTarget: area.startLevel < area.targetLevel };
}
