/**
 * Where an assessment stands, from its pool and answers: each area's status and estimate, the
 * next area, what to ask next on an area's page, the time left, and, at submission, the results
 * snapshot. Pure: no I/O. The adaptive engine (engine/) decides what focused mode asks and how
 * levels are estimated; this module only puts its answers together for pages and submission.
 */
import type { FrameworkModel } from '../framework/index.js';
import type { AreaResult, AssessmentMode, AssessmentResults } from './assessment.model.js';
import {
  type Answers,
  areaEstimate,
  type AssessmentPool,
  estimateStatementCount,
  fullModeLevel,
  nextToAsk,
  type PoolArea,
} from './engine/adaptive-engine.js';
import { NOT_RELEVANT } from './engine/scale.js';

/** Roughly how long one statement takes to read and answer. */
export const SECONDS_PER_STATEMENT = 20;
/** At most this many statements on one area page. */
export const STATEMENTS_PER_PAGE = 4;

export type AreaStatus = 'not-started' | 'in-progress' | 'done';

export interface AreaPlan {
  areaCode: string;
  /** Statements the area has for the person's archetypes. */
  poolSize: number;
  /** Statements answered in the area, "not relevant" included. */
  answered: number;
  status: AreaStatus;
  /** The level the answers so far point to (focused: the engine's estimate; full: its rule). */
  level: number;
  targetLevel: number;
  /** Roughly how many more statements the area will ask. */
  remaining: number;
}

export interface AssessmentPlan {
  areas: AreaPlan[];
  done: number;
  total: number;
  complete: boolean;
  /** Where to carry on: the current area if unfinished, else the first unfinished one. */
  nextAreaCode: string | undefined;
  remainingStatements: number;
  minutesLeft: number;
}

/** Minutes for a number of statements, rounded up; 0 for none. */
export function minutesFor(statements: number): number {
  return Math.ceil((statements * SECONDS_PER_STATEMENT) / 60);
}

/** The estimated minutes for a whole assessment of this pool in this mode. */
export function estimatedMinutes(pool: AssessmentPool, mode: AssessmentMode): number {
  return minutesFor(estimateStatementCount(pool, mode));
}

/** Statement ids the page for an unfinished area asks next (empty once the area is finished). */
export function statementsToAsk(
  pool: AssessmentPool,
  mode: AssessmentMode,
  answers: Answers,
  areaCode: string,
): string[] {
  const area = pool.areas.find((a) => a.areaCode === areaCode);
  if (!area) return [];
  if (mode === 'focused')
    return nextToAsk(pool, answers, areaCode, { maxPerPage: STATEMENTS_PER_PAGE });
  return area.statementIds.filter((id) => !answers.has(id)).slice(0, STATEMENTS_PER_PAGE);
}

function areaPlan(
  pool: AssessmentPool,
  mode: AssessmentMode,
  answers: Answers,
  area: PoolArea,
): AreaPlan {
  const answered = area.statementIds.filter((id) => answers.has(id)).length;
  let done: boolean;
  let level: number;
  let remaining: number;
  if (mode === 'full') {
    done = answered === area.statementIds.length;
    level = fullModeLevel(pool, answers, area.areaCode);
    remaining = area.statementIds.length - answered;
  } else {
    const estimate = areaEstimate(pool, answers, area.areaCode);
    done = estimate.settled;
    level = estimate.level;
    const next = nextToAsk(pool, answers, area.areaCode, { maxPerPage: Number.MAX_SAFE_INTEGER });
    const typical = estimateStatementCount({ ...pool, areas: [area] }, 'focused');
    remaining = done ? 0 : Math.max(next.length, typical - answered);
  }
  return {
    areaCode: area.areaCode,
    poolSize: area.statementIds.length,
    answered,
    status: done ? 'done' : answered > 0 ? 'in-progress' : 'not-started',
    level,
    targetLevel: area.targetLevel,
    remaining,
  };
}

export function planAssessment(
  pool: AssessmentPool,
  mode: AssessmentMode,
  answers: Answers,
  currentAreaCode: string | null,
): AssessmentPlan {
  const areas = pool.areas.map((area) => areaPlan(pool, mode, answers, area));
  const unfinished = areas.filter((a) => a.status !== 'done');
  const current = unfinished.find((a) => a.areaCode === currentAreaCode);
  const remainingStatements = areas.reduce((sum, a) => sum + a.remaining, 0);
  return {
    areas,
    done: areas.length - unfinished.length,
    total: areas.length,
    complete: unfinished.length === 0,
    nextAreaCode: (current ?? unfinished[0])?.areaCode,
    remainingStatements,
    minutesLeft: minutesFor(remainingStatements),
  };
}

/** The unfinished area after `areaCode` in framework order, wrapping round; undefined if none. */
export function nextUnfinishedAfter(plan: AssessmentPlan, areaCode: string): string | undefined {
  const index = plan.areas.findIndex((a) => a.areaCode === areaCode);
  const ordered = [...plan.areas.slice(index + 1), ...plan.areas.slice(0, index + 1)];
  return ordered.find((a) => a.status !== 'done')?.areaCode;
}

export interface ResultsInput {
  framework: FrameworkModel;
  pool: AssessmentPool;
  mode: AssessmentMode;
  answers: Answers;
  archetypeCodes: string[];
  professionCode: string | null;
  workSettingCode: string | null;
  submittedAt: Date;
}

/**
 * The snapshot frozen at submission (assessment.model.ts). Levels: focused mode's estimate, or
 * full mode's rule. Strengths: areas with a target that the person reaches, furthest above target
 * first (then higher level, then framework order). Gaps: areas below target, larger shortfall
 * first, then the broader area (more statements), then framework order.
 */
export function computeResults(input: ResultsInput): AssessmentResults {
  const { framework, pool, mode, answers } = input;
  const areas: AreaResult[] = pool.areas.map((area) => {
    const node = framework.nodesByCode.get(area.areaCode);
    const domain = framework.domainOf(area.areaCode);
    const level =
      mode === 'full'
        ? fullModeLevel(pool, answers, area.areaCode)
        : areaEstimate(pool, answers, area.areaCode).level;
    const values = area.statementIds.map((id) => answers.get(id));
    const notRelevant = values.filter((v) => v === NOT_RELEVANT).length;
    const answered = values.filter((v) => v !== undefined && v !== NOT_RELEVANT).length;
    return {
      areaCode: area.areaCode,
      areaName: node?.name ?? area.areaCode,
      domainCode: domain?.code ?? area.areaCode,
      domainName: domain?.name ?? area.areaCode,
      level,
      targetLevel: area.targetLevel,
      shortfall: Math.max(0, area.targetLevel - level),
      answered,
      notRelevant,
      poolSize: area.statementIds.length,
    };
  });
  const order = new Map(areas.map((a, i) => [a.areaCode, i]));
  const position = (a: AreaResult) => order.get(a.areaCode) ?? 0;
  const strengths = areas
    .filter((a) => a.targetLevel > 0 && a.level >= a.targetLevel)
    .sort(
      (a, b) =>
        b.level - b.targetLevel - (a.level - a.targetLevel) ||
        b.level - a.level ||
        position(a) - position(b),
    )
    .map((a) => a.areaCode);
  const gaps = areas
    .filter((a) => a.shortfall > 0)
    .sort(
      (a, b) => b.shortfall - a.shortfall || b.poolSize - a.poolSize || position(a) - position(b),
    )
    .map((a) => a.areaCode);
  return {
    schemaVersion: 1,
    frameworkSlug: framework.slug,
    frameworkTitle: framework.data.title,
    frameworkVersion: framework.version,
    mode,
    archetypeCodes: [...input.archetypeCodes],
    professionCode: input.professionCode,
    workSettingCode: input.workSettingCode,
    submittedAt: input.submittedAt.toISOString(),
    areas,
    strengths,
    gaps,
  };
}
