/** The read API and its OpenAPI description. Runs on PGlite and PostgreSQL. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/test-app.js';
import { ARCHETYPE_CODES } from './framework.model.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

interface FrameworkJson {
  slug: string;
  title: string;
  version: number;
  levels: { level: number; name: string; description: string }[];
  archetypes: { code: string; name: string; description: string }[];
  domains: { code: string; name: string; children: { code: string; children: unknown[] }[] }[];
  areas: { code: string; name: string; domainCode: string }[];
  statements: { id: string; areaCode: string; level: number; archetypes: string[]; text: string }[];
  targets: Record<string, Record<string, number>>;
}

describe('GET /api/v1/frameworks', () => {
  it('lists each framework with slug, title, version and statement count', async () => {
    const response = await app.inject({ url: '/api/v1/frameworks' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const list =
      response.json<{ slug: string; title: string; version: number; statementCount: number }[]>();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ slug: 'ai-digital-healthcare', version: 1 });
    expect(list[0]?.statementCount).toBeGreaterThanOrEqual(195);
  });
});

describe('GET /api/v1/frameworks/{slug}', () => {
  it('returns the whole framework in the documented shape', async () => {
    const response = await app.inject({ url: '/api/v1/frameworks/ai-digital-healthcare' });
    expect(response.statusCode).toBe(200);
    const body = response.json<FrameworkJson>();
    expect(body.slug).toBe('ai-digital-healthcare');
    expect(body.version).toBe(1);
    expect(body.levels.map((l) => l.level)).toEqual([1, 2, 3, 4]);
    expect(body.archetypes.map((a) => a.code)).toEqual([...ARCHETYPE_CODES]);
    expect(body.domains.map((d) => d.code)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(body.domains[3]?.children[0]?.code).toBe('4.1');
    expect(body.domains[3]?.children[0]?.children).toHaveLength(2);
    expect(body.areas).toHaveLength(16);
    expect(body.areas.find((a) => a.code === '5.1.3')).toMatchObject({
      domainCode: '5',
      name: 'Data visualisation and reporting',
    });
    expect(body.statements.length).toBeGreaterThanOrEqual(195);
    expect(body.statements.find((s) => s.id === '6.3-1-01')).toMatchObject({
      areaCode: '6.3',
      level: 1,
    });
    for (const s of body.statements)
      expect(Object.keys(s).sort()).toEqual(['archetypes', 'areaCode', 'id', 'level', 'text']);
    expect(Object.keys(body.targets)).toEqual([...ARCHETYPE_CODES]);
    expect(Object.keys(body.targets.S ?? {})).toHaveLength(16);
    expect(body.targets.U?.['2.1']).toBeGreaterThan(0);
  });

  it('returns an earlier version on request', async () => {
    const response = await app.inject({
      url: '/api/v1/frameworks/ai-digital-healthcare?version=1',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<FrameworkJson>().version).toBe(1);
  });

  it('answers an unknown slug or version with a 404 JSON error', async () => {
    const response = await app.inject({ url: '/api/v1/frameworks/no-such-thing' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      statusCode: 404,
      error: 'Page not found',
      message: 'There is no framework called no-such-thing',
    });
    const version = await app.inject({
      url: '/api/v1/frameworks/ai-digital-healthcare?version=42',
    });
    expect(version.statusCode).toBe(404);
  });

  it('rejects a version number beyond the database integer range with a 400, not a 500', async () => {
    const response = await app.inject({
      url: '/api/v1/frameworks/ai-digital-healthcare?version=99999999999',
    });
    expect(response.statusCode).toBe(400);
  });

  it('rejects a malformed version with a 400 JSON error that names the parameter', async () => {
    const response = await app.inject({
      url: '/api/v1/frameworks/ai-digital-healthcare?version=first',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain('version');
  });

  it('answers unknown API paths with JSON, not an HTML page', async () => {
    const response = await app.inject({ url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json<{ statusCode: number }>().statusCode).toBe(404);
  });
});

describe('GET /api/openapi.json', () => {
  it('describes the API paths, parameters and response shapes', async () => {
    const response = await app.inject({ url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{
      openapi: string;
      info: { title: string };
      paths: Record<
        string,
        { get: { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> } }
      >;
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('digicap API');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/frameworks',
      '/api/v1/frameworks/{slug}',
      '/api/v1/resources',
    ]);
    const one = doc.paths['/api/v1/frameworks/{slug}']?.get;
    expect(one?.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'path:slug',
      'query:version',
    ]);
    expect(Object.keys(one?.responses ?? {}).sort()).toEqual(['200', '404']);
  });
});
