/**
 * Recommendations through the real services (PGlite and PostgreSQL): gaps from the latest
 * results; the shared catalogue and the person's own organisations' resources, never another
 * organisation's and never retired ones; preferences, completions and dismissals honoured; a
 * resource naming a statement the person has not met comes first; dismissing only what the
 * person may see.
 */
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmittedAssessment } from '../../../test/support/assessments.js';
import { makeOrganisationWithAdmin, makePerson } from '../../../test/support/organisations.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { NotFoundError } from '../../platform/errors.js';
import type { AssessmentResults } from '../assessment/index.js';
import { DEFAULT_FRAMEWORK_SLUG } from '../framework/index.js';
import { learningResources } from './learning.tables.js';
import { insertResource } from './recommendations.fixtures.js';
import { recommendationsRepository } from './recommendations.repository.js';
import type { GapLearning } from './recommendations.service.js';

let app: FastifyInstance;
let personId: string;
let assessment: { id: string; results: AssessmentResults };
let ownOrganisationId: string;
let otherOrganisationId: string;
let unmetStatementId: string;

const services = () => app.services;

/** Every suggestion for every gap (a long list per gap, so nothing is cut off by ranking). */
async function everything(perGap = 500): Promise<GapLearning[]> {
  return (await services().recommendations.learningFor(personId, assessment, perGap)).gaps;
}

const idsFor = (gaps: GapLearning[], areaCode: string) =>
  gaps.find((g) => g.areaCode === areaCode)?.recommendations.map((r) => r.id) ?? [];

beforeAll(async () => {
  app = await buildTestApp();
  const { database, organisations, frameworks } = services();
  personId = await makePerson(database, 'Elif Embedder');
  const own = await makeOrganisationWithAdmin(services(), { name: 'Own Trust' });
  const other = await makeOrganisationWithAdmin(services(), { name: 'Other Trust' });
  ownOrganisationId = own.organisation.id;
  otherOrganisationId = other.organisation.id;
  await organisations.addMembership({
    organisationId: ownOrganisationId,
    personId,
    unitId: null,
    roles: ['member'],
  });
  // An Embedder at level 1 everywhere: a gap in every area (6.3: level 1, target 3).
  const model = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
  const statement = model
    .statementsInArea('6.3')
    .find((s) => s.level === 2 && s.archetypes.includes('E'));
  if (!statement) throw new Error('no level 2 statement for Embedders in 6.3');
  unmetStatementId = statement.id;
  assessment = await makeSubmittedAssessment(services(), personId, {
    archetypeCodes: ['E'],
    defaultLevel: 1,
    answers: [{ statementId: unmetStatementId, value: '0' }],
  });
}, 120_000);

afterAll(async () => {
  await app.close();
});

describe('recommendations', () => {
  it('without submitted results there is nothing to recommend for', async () => {
    const newcomer = await makePerson(services().database, 'Nia Newcomer');
    const learning = await services().recommendations.forPerson(newcomer);
    expect(learning.hasResults).toBe(false);
  });

  it('suggests up to three resources for every gap of the latest results, each covering it', async () => {
    const learning = await services().recommendations.forPerson(personId);
    if (!learning.hasResults) throw new Error('expected results');
    expect(learning.assessmentId).toBe(assessment.id);
    expect(learning.gaps.map((g) => g.areaCode)).toEqual(assessment.results.gaps);
    expect(learning.gaps).toHaveLength(16);
    for (const gap of learning.gaps) {
      expect(gap.recommendations.length).toBeGreaterThan(0);
      expect(gap.recommendations.length).toBeLessThanOrEqual(3);
      for (const r of gap.recommendations) {
        expect(r.reasons[0]).toEqual({ kind: 'area', text: `Covers ${gap.areaName}` });
        expect(r.url).toMatch(/^https?:\/\//);
      }
    }
    // The bundled catalogue is varied enough that no resource is suggested for every gap.
    const counts = new Map<string, number>();
    for (const r of learning.gaps.flatMap((g) => g.recommendations))
      counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThan(4);
  });

  it('shows the person’s own organisations’ resources, never another’s, never retired ones', async () => {
    const own = await insertResource(services().database, {
      organisationId: ownOrganisationId,
      areaCodes: ['6.3'],
      archetypeCodes: ['E'],
    });
    const others = await insertResource(services().database, {
      organisationId: otherOrganisationId,
      areaCodes: ['6.3'],
      archetypeCodes: ['E'],
    });
    const retired = await insertResource(services().database, {
      areaCodes: ['6.3'],
      archetypeCodes: ['E'],
      retiredAt: new Date(),
    });
    const ids = idsFor(await everything(), '6.3');
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(others.id);
    expect(ids).not.toContain(retired.id);
    const all = (await everything()).flatMap((g) => g.recommendations.map((r) => r.id));
    expect(all).not.toContain(others.id);
    // Nor can the person dismiss (and so learn of) another organisation's resource.
    await expect(services().recommendations.dismiss(personId, others.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('puts a resource addressing a statement the person has not met first', async () => {
    const specific = await insertResource(services().database, {
      title: 'Zz statement-specific resource',
      areaCodes: ['6.3'],
      levels: [2],
      archetypeCodes: ['E'],
      statementIds: [unmetStatementId],
    });
    const learning = await services().recommendations.learningFor(personId, assessment, 3);
    const gap = learning.gaps.find((g) => g.areaCode === '6.3');
    expect(gap?.recommendations[0]?.id).toBe(specific.id);
    expect(gap?.recommendations[0]?.reasons.map((r) => r.text)).toContain(
      'Addresses a statement you have not met yet',
    );
  });

  it('honours free only, the time limit and preferred formats', async () => {
    const video = await insertResource(services().database, {
      title: 'Zz a short video',
      format: 'video',
      durationMinutes: 20,
      areaCodes: ['5.2.1'],
      levels: [2],
      archetypeCodes: ['E'],
    });
    const { learningPreferences, recommendations, database } = services();
    await learningPreferences.save(personId, {
      formats: ['video'],
      maxDurationMinutes: 30,
      freeOnly: true,
    });
    const learning = await recommendations.learningFor(personId, assessment, 500);
    expect(learning.preferences).toEqual({
      formats: ['video'],
      maxDurationMinutes: 30,
      freeOnly: true,
    });
    const all = learning.gaps.flatMap((g) => g.recommendations);
    expect(all.length).toBeGreaterThan(0);
    for (const r of all) {
      expect(r.cost).toBe('free');
      if (r.durationMinutes !== null) expect(r.durationMinutes).toBeLessThanOrEqual(30);
      else
        expect(r.reasons.map((x) => x.text)).toContain(
          'Length not stated: it may take longer than your 30 minutes limit',
        );
    }
    // Paid resources exist for these gaps: they were left out, not missing.
    const paid = await database.db
      .select({ id: learningResources.id })
      .from(learningResources)
      .where(
        sql`${learningResources.cost} <> 'free' and ${learningResources.areaCodes} && ${sql.param(assessment.results.gaps)}::text[]`,
      );
    expect(paid.length).toBeGreaterThan(0);
    expect(all.map((r) => r.id)).not.toEqual(expect.arrayContaining([paid[0]?.id]));
    // The preferred format comes first for its gap.
    const top = await recommendations.learningFor(personId, assessment, 3);
    expect(top.gaps.find((g) => g.areaCode === '5.2.1')?.recommendations[0]?.id).toBe(video.id);
    await learningPreferences.save(personId, {
      formats: [],
      maxDurationMinutes: null,
      freeOnly: false,
    });
  });

  it('never suggests what the person completed or dismissed, until they undo a dismissal', async () => {
    const { recommendations, database } = services();
    const before = await recommendations.learningFor(personId, assessment, 3);
    const first = before.gaps[0]?.recommendations[0];
    const second = before.gaps[1]?.recommendations[0];
    if (!first || !second) throw new Error('expected suggestions');
    await recommendationsRepository.addMark(
      database.db,
      personId,
      first.id,
      'completed',
      new Date(),
    );
    expect(await recommendations.dismiss(personId, second.id)).toEqual({ title: second.title });
    // Dismissing twice is harmless.
    await recommendations.dismiss(personId, second.id);
    const after = (await everything()).flatMap((g) => g.recommendations.map((r) => r.id));
    expect(after).not.toContain(first.id);
    expect(after).not.toContain(second.id);
    expect((await recommendations.dismissed(personId)).map((d) => d.id)).toEqual([second.id]);

    await recommendations.undismiss(personId, second.id);
    const restored = (await everything()).flatMap((g) => g.recommendations.map((r) => r.id));
    expect(restored).toContain(second.id);
    expect(restored).not.toContain(first.id);
    expect(await recommendations.dismissed(personId)).toEqual([]);
    expect(await recommendations.personalData(personId)).toEqual({
      preferences: { formats: [], maxDurationMinutes: null, freeOnly: false },
      marks: [{ resourceId: first.id, kind: 'completed' }],
    });
  });

  it('follows changes to the catalogue at once: a retired resource goes, a new area counts', async () => {
    const { recommendations, database } = services();
    const fresh = await insertResource(database, {
      title: 'Aa fresh single-area resource',
      areaCodes: ['3.1'],
      levels: [2],
      archetypeCodes: ['E'],
    });
    expect(idsFor(await everything(), '3.1')).toContain(fresh.id);
    expect(idsFor(await everything(), '6.4')).not.toContain(fresh.id);
    // Changed straight in the table (no updated_at): still noticed.
    await database.db
      .update(learningResources)
      .set({ areaCodes: ['3.1', '6.4'] })
      .where(eq(learningResources.id, fresh.id));
    expect(idsFor(await everything(), '6.4')).toContain(fresh.id);
    await database.db
      .update(learningResources)
      .set({ retiredAt: new Date() })
      .where(eq(learningResources.id, fresh.id));
    const after = await recommendations.learningFor(personId, assessment, 500);
    expect(after.gaps.flatMap((g) => g.recommendations.map((r) => r.id))).not.toContain(fresh.id);
  });

  it('refuses to dismiss a resource that does not exist or has a malformed id', async () => {
    const { recommendations } = services();
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      await expect(recommendations.dismiss(personId, id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(recommendations.undismiss(personId, id)).rejects.toBeInstanceOf(NotFoundError);
      expect(await recommendations.titleOf(personId, id)).toBeUndefined();
    }
  });

  it('gives the results page the top two per gap, with reasons in words', async () => {
    const gaps = await services().recommendations.forResults(personId, assessment);
    expect(gaps).toHaveLength(16);
    expect(gaps[0]?.areaLabel).toMatch(/^[\d.]+ \S/);
    for (const gap of gaps) {
      expect(gap.items.length).toBeLessThanOrEqual(2);
      for (const item of gap.items) {
        expect(item.href).toMatch(/^https?:\/\//);
        expect(item.reasons.length).toBeGreaterThan(0);
        expect(item.reasons.some((r) => r.startsWith('Covers '))).toBe(false);
      }
    }
  });
});
