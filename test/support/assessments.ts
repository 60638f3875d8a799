/**
 * Test factories for submitted assessments: a results snapshot built from the real framework
 * (targets from its archetype table, areas in framework order, strengths and gaps ordered the
 * way submission orders them), and a submitted assessment row with answers written straight to
 * the tables, for tests of the pages that read snapshots (results, PDF, exports, history,
 * sharing). Tests of the journey itself go through the assessment service.
 */
import type {
  AreaResult,
  AssessmentResults,
} from '../../src/modules/assessment/assessment.model.js';
import type { AssessmentService } from '../../src/modules/assessment/assessment.service.js';
import { assessmentAnswers, assessments } from '../../src/modules/assessment/assessment.tables.js';
import {
  DEFAULT_FRAMEWORK_SLUG,
  type FrameworkModel,
  type FrameworkService,
  isArchetypeCode,
} from '../../src/modules/framework/index.js';
import { type Database, insertedRow } from '../../src/platform/db/index.js';

/** Orders strengths (strongest first) and gaps (larger shortfall, then broader area, first). */
export function withStrengthsAndGaps(
  base: Omit<AssessmentResults, 'strengths' | 'gaps'>,
): AssessmentResults {
  const areas = base.areas;
  const strengths = areas
    .filter((a) => a.targetLevel > 0 && a.level >= a.targetLevel)
    .sort((a, b) => b.level - b.targetLevel - (a.level - a.targetLevel) || b.level - a.level)
    .map((a) => a.areaCode);
  const gaps = areas
    .filter((a) => a.shortfall > 0)
    .sort((a, b) => b.shortfall - a.shortfall || b.poolSize - a.poolSize)
    .map((a) => a.areaCode);
  return { ...base, strengths, gaps };
}

/** A small hand-made snapshot for unit tests: areas given as [code, name, domain, level, target]. */
export function handMadeResults(
  rows: readonly [string, string, string, number, number, number?][],
  overrides: Partial<AssessmentResults> = {},
): AssessmentResults {
  const areas: AreaResult[] = rows.map(
    ([areaCode, areaName, domain, level, targetLevel, pool]) => ({
      areaCode,
      areaName,
      domainCode: domain,
      domainName: `Domain ${domain}`,
      level,
      targetLevel,
      shortfall: Math.max(0, targetLevel - level),
      answered: 4,
      notRelevant: 0,
      poolSize: pool ?? 8,
    }),
  );
  return {
    ...withStrengthsAndGaps({
      schemaVersion: 1,
      frameworkSlug: DEFAULT_FRAMEWORK_SLUG,
      frameworkTitle: 'AI and digital healthcare capabilities',
      frameworkVersion: 1,
      mode: 'focused',
      archetypeCodes: ['U'],
      professionCode: 'nurse',
      workSettingCode: 'acute',
      submittedAt: '2026-03-12T10:30:00.000Z',
      areas,
    }),
    ...overrides,
  };
}

export interface SnapshotOptions {
  /** The person's level per area code; areas not listed get `defaultLevel`. */
  levels?: Record<string, number>;
  defaultLevel?: number;
  archetypeCodes?: string[];
  mode?: 'focused' | 'full';
  submittedAt?: Date;
  /** Leave these areas out (as if the framework version had not had them). */
  omitAreas?: string[];
}

/** A snapshot of the real framework version with the levels given. */
export function resultsFromModel(
  model: FrameworkModel,
  options: SnapshotOptions = {},
): AssessmentResults {
  const archetypeCodes = options.archetypeCodes ?? ['U'];
  const chosen = archetypeCodes.filter(isArchetypeCode);
  const areas: AreaResult[] = model.areas
    .filter((area) => !(options.omitAreas ?? []).includes(area.code))
    .map((area) => {
      const domain = model.domainOf(area.code) ?? area;
      const targetLevel = Math.max(0, ...chosen.map((a) => model.data.targets[a][area.code] ?? 0));
      const level = options.levels?.[area.code] ?? options.defaultLevel ?? 1;
      const pool = model
        .statementsInArea(area.code)
        .filter((s) => s.archetypes.some((a) => chosen.includes(a)));
      return {
        areaCode: area.code,
        areaName: area.name,
        domainCode: domain.code,
        domainName: domain.name,
        level,
        targetLevel,
        shortfall: Math.max(0, targetLevel - level),
        answered: Math.min(pool.length, 3),
        notRelevant: 0,
        poolSize: pool.length,
      };
    });
  return withStrengthsAndGaps({
    schemaVersion: 1,
    frameworkSlug: model.slug,
    frameworkTitle: model.data.title,
    frameworkVersion: model.version,
    mode: options.mode ?? 'focused',
    archetypeCodes,
    professionCode: null,
    workSettingCode: null,
    submittedAt: (options.submittedAt ?? new Date()).toISOString(),
    areas,
  });
}

/**
 * A submitted assessment for `personId` on the latest version of the bundled framework, with a
 * few answers per area (the first statements of each, answered 2 = "on my own"). Returns its id
 * and snapshot.
 */
export async function makeSubmittedAssessment(
  services: { database: Database; frameworks: Pick<FrameworkService, 'getFramework'> },
  personId: string,
  options: SnapshotOptions & {
    answers?: { statementId: string; value: string }[];
    /** A snapshot to store as it is (e.g. with hostile text), instead of one built here. */
    results?: AssessmentResults;
  } = {},
): Promise<{ id: string; results: AssessmentResults }> {
  const model = await services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
  const submittedAt = options.submittedAt ?? new Date();
  const results = options.results ?? resultsFromModel(model, { ...options, submittedAt });
  const answers =
    options.answers ??
    model.areas.flatMap((area) =>
      model
        .statementsInArea(area.code)
        .slice(0, 2)
        .map((s, i) => ({ statementId: s.id, value: i === 0 ? '2' : 'not-relevant' })),
    );
  return services.database.transaction(async (tx) => {
    const row = insertedRow(
      await tx
        .insert(assessments)
        .values({
          personId,
          frameworkVersionId: model.versionInfo.versionId,
          mode: results.mode,
          archetypeCodes: results.archetypeCodes,
          status: 'submitted',
          results,
          startedAt: new Date(submittedAt.getTime() - 20 * 60_000),
          updatedAt: submittedAt,
          submittedAt,
        })
        .returning({ id: assessments.id }),
    );
    if (answers.length > 0)
      await tx.insert(assessmentAnswers).values(
        answers.map((a) => ({
          assessmentId: row.id,
          statementId: a.statementId,
          value: a.value,
          answeredAt: submittedAt,
          updatedAt: submittedAt,
        })),
      );
    return { id: row.id, results };
  });
}

/**
 * Takes a whole assessment through the journey's own service (start in full mode, answer every
 * statement, submit), as a person would: the results snapshot is the real one. `answer` gives
 * each statement's answer ('0'–'3' or 'not-relevant') from its area and level; by default
 * statements up to level 2 are met ('2') and higher ones not ('0').
 */
export async function submitThroughJourney(
  services: {
    assessments: Pick<
      AssessmentService,
      'startAssessment' | 'workspace' | 'recordAnswers' | 'submit'
    >;
  },
  personId: string,
  options: {
    archetypeCodes?: string[];
    answer?: (statement: { id: string; areaCode: string; level: number }) => string;
  } = {},
): Promise<{ id: string; results: AssessmentResults }> {
  const answer = options.answer ?? ((s) => (s.level <= 2 ? '2' : '0'));
  const { assessment } = await services.assessments.startAssessment(personId, {
    mode: 'full',
    archetypeCodes: options.archetypeCodes ?? ['U'],
  });
  const ws = await services.assessments.workspace(personId, assessment.id);
  for (const area of ws.pool.areas) {
    const answers: Record<string, string> = {};
    for (const id of area.statementIds) {
      const where = ws.pool.statements.get(id);
      if (where) answers[id] = answer({ id, areaCode: where.areaCode, level: where.level });
    }
    await services.assessments.recordAnswers(personId, assessment.id, area.areaCode, answers);
  }
  const results = await services.assessments.submit(personId, assessment.id);
  return { id: assessment.id, results };
}
