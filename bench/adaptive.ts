/**
 * The adaptive engine against full mode, on simulated respondents: `npm run bench:adaptive`.
 *
 * Loads the bundled framework (the real statements, badges and targets; no database) and
 * simulates respondents with a seeded item-response model. Each respondent has one or two
 * archetypes (weighted towards Users and Embedders, as in the NHS workforce) and a true level in
 * each area, drawn around their target: a personal offset shared by all their areas plus a
 * per-area spread. Their answer to each statement is drawn once: the chance of meeting it falls
 * along a logistic curve with the statement's level above their true level (each statement is a
 * little harder or easier than its level says), some answers are noise (a random answer), and a
 * few are "not relevant". Full mode reads every answer; focused mode asks page by page exactly what
 * the area page would show (statementsToAsk in assessment.plan.ts, at most STATEMENTS_PER_PAGE a
 * page) until each area is settled, and reads the same answers. Prints the share of statements
 * focused mode asks, how often its level equals full mode's and the true level, the median
 * statements asked per respondent, and the pages an area takes (mean, share done within 3 pages,
 * share taking 2 or 3), overall and per archetype (someone with two archetypes counts under both),
 * and the time taken. The last line is JSON. Same seed, same figures; only the time varies.
 */
import { performance } from 'node:perf_hooks';
import {
  ARCHETYPE_CODES,
  type ArchetypeCode,
  listFrameworkDirs,
  loadFrameworkContent,
} from '../src/modules/framework/index.js';
import {
  areaEstimate,
  assessmentPool,
  estimateStatementCount,
  fullModeLevel,
  type AssessmentPool,
} from '../src/modules/assessment/engine/adaptive-engine.js';
import { STATEMENTS_PER_PAGE, statementsToAsk } from '../src/modules/assessment/assessment.plan.js';
import type { AnswerValue } from '../src/modules/assessment/engine/scale.js';
import { mulberry32 } from '../src/platform/random.js';

const RESPONDENTS = Number(process.env.BENCH_RESPONDENTS ?? 10_000);
const SEED = Number(process.env.BENCH_SEED ?? 20_240_221);

/** The model's parameters, printed with the results. */
const MODEL = {
  /** Share of archetypes in the simulated workforce. */
  archetypeWeights: { S: 0.04, D: 0.08, C: 0.1, E: 0.2, U: 0.58 } as Record<ArchetypeCode, number>,
  /** Chance a respondent has a second archetype. */
  secondArchetype: 0.3,
  /** Spread (standard deviation, in levels) of a person's offset from target, shared by areas. */
  personSpread: 0.6,
  /** Spread of each area's true level around target + the person's offset. */
  areaSpread: 0.7,
  /** Steepness of the logistic curve. */
  slope: 2.5,
  /** Spread of each statement's difficulty around its level. */
  statementSpread: 0.3,
  /** Chance an answer is random instead. */
  noise: 0.05,
  /** Chance of "not relevant to my role". */
  notRelevant: 0.03,
};

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function pick<T extends string>(random: () => number, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [key, w] of entries) {
    r -= w;
    if (r < 0) return key;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error('no weights');
  return last[0];
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const round = (x: number, places = 4) => Math.round(x * 10 ** places) / 10 ** places;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

interface Tally {
  respondents: number;
  focusedAsked: number;
  fullAsked: number;
  areas: number;
  agreeFull: number;
  agreeTruth: number;
  fullAgreeTruth: number;
  focusedPerRespondent: number[];
  fullPerRespondent: number[];
  /** Focused-mode pages, summed over areas. */
  pages: number;
  /** Areas settled within 3 pages, and in exactly 2 or 3. */
  within3Pages: number;
  in2To3Pages: number;
  /** Pages showing a single statement. */
  singlePages: number;
}

const newTally = (): Tally => ({
  respondents: 0,
  focusedAsked: 0,
  fullAsked: 0,
  areas: 0,
  agreeFull: 0,
  agreeTruth: 0,
  fullAgreeTruth: 0,
  focusedPerRespondent: [],
  fullPerRespondent: [],
  pages: 0,
  within3Pages: 0,
  in2To3Pages: 0,
  singlePages: 0,
});

async function main(): Promise<void> {
  const started = performance.now();
  const [dir] = await listFrameworkDirs('content');
  if (!dir) throw new Error('no framework under content/frameworks');
  const { data } = await loadFrameworkContent(dir);
  const random = mulberry32(SEED);

  const levelOf = new Map(data.statements.map((s) => [s.id, s.level]));
  const difficulty = new Map(
    data.statements.map((s) => [s.id, s.level + MODEL.statementSpread * normal(random)]),
  );
  const pools = new Map<string, AssessmentPool>();

  const overall = newTally();
  const perArchetype = Object.fromEntries(ARCHETYPE_CODES.map((a) => [a, newTally()])) as Record<
    ArchetypeCode,
    Tally
  >;
  let estimated = 0;
  let areasTotal = 0;
  const pagesPerArea = new Map<number, number>();

  for (let r = 0; r < RESPONDENTS; r += 1) {
    const first = pick(random, MODEL.archetypeWeights);
    const archetypes: ArchetypeCode[] = [first];
    if (random() < MODEL.secondArchetype) {
      const rest = Object.fromEntries(
        Object.entries(MODEL.archetypeWeights).filter(([code]) => code !== first),
      ) as Record<ArchetypeCode, number>;
      archetypes.push(pick(random, rest));
    }
    archetypes.sort((a, b) => ARCHETYPE_CODES.indexOf(a) - ARCHETYPE_CODES.indexOf(b));
    const key = archetypes.join('');
    let pool = pools.get(key);
    if (!pool) {
      pool = assessmentPool(data, archetypes);
      pools.set(key, pool);
    }

    estimated += estimateStatementCount(pool, 'focused');
    const offset = MODEL.personSpread * normal(random);
    const latent = new Map<string, AnswerValue>();
    const truth = new Map<string, number>();
    for (const area of pool.areas) {
      const trueLevel = clamp(
        Math.round(area.targetLevel + offset + MODEL.areaSpread * normal(random)),
        0,
        4,
      );
      truth.set(area.areaCode, trueLevel);
      for (const id of area.statementIds) {
        latent.set(
          id,
          simulatedAnswer(random, trueLevel, levelOf.get(id) ?? 1, difficulty.get(id) ?? 1),
        );
      }
    }

    let focusedAsked = 0;
    const results = {
      areas: 0,
      agreeFull: 0,
      agreeTruth: 0,
      fullAgreeTruth: 0,
      pages: 0,
      within3Pages: 0,
      in2To3Pages: 0,
      singlePages: 0,
    };
    const focusedAnswers = new Map<string, AnswerValue>();
    for (const area of pool.areas) {
      let pages = 0;
      for (;;) {
        const ids = statementsToAsk(pool, 'focused', focusedAnswers, area.areaCode);
        if (ids.length === 0) break;
        pages += 1;
        if (ids.length === 1) results.singlePages += 1;
        for (const id of ids) {
          const value = latent.get(id);
          if (value === undefined) throw new Error(`no answer for ${id}`);
          focusedAnswers.set(id, value);
        }
      }
      results.pages += pages;
      if (pages <= 3) results.within3Pages += 1;
      if (pages === 2 || pages === 3) results.in2To3Pages += 1;
      areasTotal += 1;
      pagesPerArea.set(pages, (pagesPerArea.get(pages) ?? 0) + 1);
      const focused = areaEstimate(pool, focusedAnswers, area.areaCode);
      const full = fullModeLevel(pool, latent, area.areaCode);
      const trueLevel = truth.get(area.areaCode);
      focusedAsked += focused.asked;
      results.areas += 1;
      if (focused.level === full) results.agreeFull += 1;
      if (focused.level === trueLevel) results.agreeTruth += 1;
      if (full === trueLevel) results.fullAgreeTruth += 1;
    }

    for (const t of [overall, ...archetypes.map((a) => perArchetype[a])]) {
      t.respondents += 1;
      t.focusedAsked += focusedAsked;
      t.fullAsked += pool.size;
      t.areas += results.areas;
      t.agreeFull += results.agreeFull;
      t.agreeTruth += results.agreeTruth;
      t.fullAgreeTruth += results.fullAgreeTruth;
      t.pages += results.pages;
      t.within3Pages += results.within3Pages;
      t.in2To3Pages += results.in2To3Pages;
      t.singlePages += results.singlePages;
      t.focusedPerRespondent.push(focusedAsked);
      t.fullPerRespondent.push(pool.size);
    }
  }

  const summary = (t: Tally) => ({
    respondents: t.respondents,
    itemsShare: round(t.focusedAsked / t.fullAsked),
    agreementWithFull: round(t.agreeFull / t.areas),
    agreementWithTruth: round(t.agreeTruth / t.areas),
    fullAgreementWithTruth: round(t.fullAgreeTruth / t.areas),
    medianStatements: {
      focused: median(t.focusedPerRespondent),
      full: median(t.fullPerRespondent),
    },
    meanPagesPerArea: round(t.pages / t.areas, 2),
    areasWithin3Pages: round(t.within3Pages / t.areas),
    areasIn2To3Pages: round(t.in2To3Pages / t.areas),
    statementsPerPage: round(t.focusedAsked / t.pages, 2),
    singleStatementPages: round(t.singlePages / t.pages),
  });
  const seconds = round((performance.now() - started) / 1000, 2);
  const all = summary(overall);

  console.log(`Adaptive engine: ${RESPONDENTS} simulated respondents, seed ${SEED}`);
  console.log(`Model: ${JSON.stringify(MODEL)}`);
  console.log(
    `Statements asked, focused / full: ${pct(all.itemsShare)} (target ≤ 40%); median per respondent ${all.medianStatements.focused} / ${all.medianStatements.full}`,
  );
  console.log(
    `estimateStatementCount(focused): mean ${(estimated / RESPONDENTS).toFixed(1)}; asked: mean ${(overall.focusedAsked / RESPONDENTS).toFixed(1)}`,
  );
  console.log(
    `Areas with the same level as full mode: ${pct(all.agreementWithFull)} (target ≥ 90%)`,
  );
  console.log(
    `Areas at the true level: focused ${pct(all.agreementWithTruth)}, full ${pct(all.fullAgreementWithTruth)}`,
  );
  console.log(
    `Pages per area (${STATEMENTS_PER_PAGE} statements at most a page): mean ${all.meanPagesPerArea.toFixed(2)}; ` +
      `within 3 pages ${pct(all.areasWithin3Pages)}; 2 or 3 pages ${pct(all.areasIn2To3Pages)}; ` +
      `by pages: ` +
      [...pagesPerArea.entries()]
        .sort(([a], [b]) => a - b)
        .map(([pages, n]) => `${pages}: ${pct(n / areasTotal)}`)
        .join(', '),
  );
  console.log(
    `Statements per page: mean ${all.statementsPerPage.toFixed(2)}; pages with one statement ${pct(all.singleStatementPages)}`,
  );
  console.log('Per archetype (respondents with two archetypes count under both):');
  const perArchetypeSummary = Object.fromEntries(
    ARCHETYPE_CODES.map((a) => [a, summary(perArchetype[a])]),
  );
  for (const a of ARCHETYPE_CODES) {
    const s = perArchetypeSummary[a];
    if (!s) continue;
    console.log(
      `  ${a}: ${String(s.respondents).padStart(5)} respondents; asked ${pct(s.itemsShare)}; ` +
        `same as full ${pct(s.agreementWithFull)}; at true level ${pct(s.agreementWithTruth)} ` +
        `(full ${pct(s.fullAgreementWithTruth)}); median statements ${s.medianStatements.focused} focused, ${s.medianStatements.full} full; ` +
        `pages per area ${s.meanPagesPerArea.toFixed(2)}, within 3 pages ${pct(s.areasWithin3Pages)}, 2 or 3 pages ${pct(s.areasIn2To3Pages)}`,
    );
  }
  console.log(`Time: ${seconds} s`);
  console.log(
    JSON.stringify({
      respondents: RESPONDENTS,
      seed: SEED,
      itemsShare: all.itemsShare,
      agreementWithFull: all.agreementWithFull,
      agreementWithTruth: all.agreementWithTruth,
      fullAgreementWithTruth: all.fullAgreementWithTruth,
      meanPagesPerArea: all.meanPagesPerArea,
      areasWithin3Pages: all.areasWithin3Pages,
      areasIn2To3Pages: all.areasIn2To3Pages,
      statementsPerPage: all.statementsPerPage,
      medianStatements: {
        all: all.medianStatements,
        ...Object.fromEntries(
          ARCHETYPE_CODES.map((a) => [a, summary(perArchetype[a]).medianStatements] as const),
        ),
      },
      perArchetype: perArchetypeSummary,
      seconds,
    }),
  );
}

/** One latent answer: met with a chance that falls with the statement's difficulty above the true level. */
function simulatedAnswer(
  random: () => number,
  trueLevel: number,
  level: number,
  difficulty: number,
): AnswerValue {
  if (random() < MODEL.notRelevant) return 'not-relevant';
  if (random() < MODEL.noise) return Math.floor(random() * 4) as 0 | 1 | 2 | 3;
  const meets = random() < logistic(-MODEL.slope * (difficulty - trueLevel - 0.5));
  // How far above or below the statement they are sets how strongly they answer.
  const margin = trueLevel - level;
  if (meets) return random() < logistic(2 * (margin - 1)) ? 3 : 2;
  return random() < logistic(2 * (margin + 0.5)) ? 1 : 0;
}

await main();
