/** GET /api/v1/resources and its OpenAPI description. Runs on PGlite and PostgreSQL. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisationWithAdmin, makePerson } from '../../../test/support/organisations.js';
import { buildTestApp } from '../../../test/support/test-app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildTestApp();
  // An organisation's own resource, which the public API must never show.
  const { organisation, adminId } = await makeOrganisationWithAdmin(app.services);
  await app.services.catalogue.add(adminId, organisation.id, {
    slug: 'org-only-ai-course',
    title: 'Organisation-only AI course',
    provider: 'A trust',
    url: 'https://www.example.org/org-only',
    format: 'course',
    durationMinutes: 30,
    cost: 'free',
    levels: [1],
    areaCodes: ['6.2'],
    archetypeCodes: ['U'],
    summary: 'Only for this organisation.',
  });
  // And a retired shared one.
  const platformAdminId = await makePerson(app.services.database, 'Pat', { platformAdmin: true });
  const retired = await app.services.catalogue.add(platformAdminId, 'shared', {
    slug: 'retired-shared',
    title: 'Retired shared AI course',
    provider: 'Someone',
    url: 'https://www.example.org/retired',
    format: 'course',
    durationMinutes: null,
    cost: 'free',
    levels: [1],
    areaCodes: ['6.2'],
    archetypeCodes: ['U'],
    summary: 'Retired.',
  });
  await app.services.catalogue.setRetired(platformAdminId, retired.id, true);
});
afterAll(async () => {
  await app.close();
});

interface ResourcesJson {
  total: number;
  page: number;
  pageCount: number;
  limit: number;
  resources: {
    id: string;
    title: string;
    url: string;
    format: string;
    durationMinutes: number | null;
    cost: string;
    levels: number[];
    areas: { code: string; name: string }[];
    archetypes: string[];
    statementIds: string[];
    summary: string;
    reviewDate: string | null;
    curatedBy: string;
    detailsPath: string;
  }[];
}

const get = async (query = '') => {
  const response = await app.inject({ url: `/api/v1/resources${query}` });
  return { response, body: response.json<ResourcesJson>() };
};

describe('GET /api/v1/resources', () => {
  it('lists the shared catalogue in the documented shape, 20 to a page', async () => {
    const { response, body } = await get();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(body).toMatchObject({ total: 117, page: 1, pageCount: 6, limit: 20 });
    expect(body.resources).toHaveLength(20);
    const framework = (await get('?q=Capability+Framework&limit=100')).body.resources.find(
      (r) => r.id === 'hee-ai-capability-framework',
    );
    expect(framework).toMatchObject({
      format: 'guidance',
      cost: 'free',
      durationMinutes: null,
      levels: [1, 2, 3, 4],
      areas: [
        { code: '1', name: 'Digital implementation' },
        { code: '2.1', name: 'Providing direct care with digital technologies' },
        { code: '6.2', name: 'Using and implementing AI systems' },
      ],
      archetypes: ['S', 'D', 'C', 'E', 'U'],
      statementIds: [],
      reviewDate: null,
      curatedBy: 'digicap starter catalogue',
    });
    expect(framework?.detailsPath).toMatch(/^\/learning\/resources\/[0-9a-f-]{36}$/);
    for (const r of body.resources)
      expect(Object.keys(r).sort()).toEqual([
        'archetypes',
        'areas',
        'cost',
        'curatedBy',
        'detailsPath',
        'durationMinutes',
        'format',
        'id',
        'levels',
        'provider',
        'reviewDate',
        'statementIds',
        'summary',
        'title',
        'url',
      ]);
  });

  it('never includes organisation-only or retired resources', async () => {
    const { body } = await get('?area=6.2&limit=100');
    const ids = body.resources.map((r) => r.id);
    expect(ids).not.toContain('org-only-ai-course');
    expect(ids).not.toContain('retired-shared');
  });

  it('filters by area, level, archetype, format and words, repeated or comma-separated', async () => {
    const { body } = await get('?area=6.3&area=3.1&level=4&archetype=S');
    expect(body.total).toBeGreaterThan(0);
    for (const r of body.resources) {
      expect(r.areas.some((a) => a.code === '6.3' || a.code === '3.1')).toBe(true);
      expect(r.levels).toContain(4);
      expect(r.archetypes).toContain('S');
    }
    const commas = await get('?area=6.3,3.1&level=4&archetype=s');
    expect(commas.response.statusCode).toBe(200);
    expect(commas.body.total).toBe(body.total);
    const formats = await get('?format=course,report&limit=100');
    expect(new Set(formats.body.resources.map((r) => r.format))).toEqual(
      new Set(['course', 'report']),
    );
    const free = await get('?cost=free&limit=100');
    expect(free.body.total).toBe(106);
    const words = await get('?q=buyer%27s');
    expect(words.body.resources.map((r) => r.id)).toContain('nhs-ai-buyers-guide');
  });

  it('pages with page and limit', async () => {
    const first = await get('?limit=50');
    const third = await get('?limit=50&page=3');
    expect(third.body).toMatchObject({ page: 3, pageCount: 3, limit: 50 });
    expect(third.body.resources).toHaveLength(17);
    expect(third.body.resources[0]?.id).not.toBe(first.body.resources[0]?.id);
    expect((await get('?page=99')).body.resources).toEqual([]);
  });

  it.each([
    ['?level=5', 'level must be whole numbers from 1 to 4'],
    ['?level=two', 'level must be whole numbers from 1 to 4'],
    ['?archetype=X', 'archetype must be archetype codes: S, D, C, E, U'],
    ['?format=book', 'format must be formats: e-learning, course'],
    ['?area=abc', 'area must be framework area codes, like 6.2'],
    ['?area=9.9', 'area 9.9 is not in the framework. The areas are: 1, 2.1'],
    ['?limit=500', 'limit must be a whole number from 1 to 100'],
    ['?page=0', 'page must be a whole number from 1'],
    ['?cost=paid', 'cost must be free'],
    [`?q=${'x'.repeat(201)}`, 'q must be at most 200 characters'],
  ])('answers %s with a 400 that says what is wrong', async (query, message) => {
    const { response, body } = await get(query);
    expect(response.statusCode).toBe(400);
    expect(body as unknown).toMatchObject({
      statusCode: 400,
      error: 'There is a problem with the request',
    });
    expect((body as unknown as { message: string }).message).toContain(message);
  });
});

describe('the OpenAPI document', () => {
  it('describes /api/v1/resources with its parameters and response', async () => {
    const response = await app.inject({ url: '/api/openapi.json' });
    const doc = response.json<{
      tags: { name: string }[];
      paths: Record<
        string,
        {
          get: {
            tags: string[];
            parameters: { name: string; in: string }[];
            responses: Record<string, { content: Record<string, { schema: unknown }> }>;
          };
        }
      >;
    }>();
    expect(doc.tags.map((t) => t.name)).toContain('learning resources');
    const operation = doc.paths['/api/v1/resources']?.get;
    expect(operation?.tags).toEqual(['learning resources']);
    expect(operation?.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['area', 'level', 'archetype', 'format', 'q', 'page', 'limit']),
    );
    expect(operation?.parameters.every((p) => p.in === 'query')).toBe(true);
    expect(Object.keys(operation?.responses ?? {})).toEqual(['200', '400']);
    expect(JSON.stringify(operation?.responses['200'])).toContain('detailsPath');
    // The pages are not in the API description.
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/learning'))).toBe(false);
  });
});
