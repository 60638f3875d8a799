/**
 * Read API: /api/v1/frameworks and /api/v1/frameworks/{slug}. Route schemas validate input,
 * serialise output and generate the OpenAPI document at /api/openapi.json.
 */
import type { FastifyInstance } from 'fastify';
import { ARCHETYPE_CODES } from './framework.model.js';
import type { FrameworkModel, DomainTree } from './framework.model.js';
import type { FrameworkService } from './framework.service.js';

const errorSchema = {
  $id: 'ApiError',
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
} as const;

const domainSchema = {
  $id: 'Domain',
  type: 'object',
  required: ['code', 'name', 'description', 'isArea', 'children'],
  properties: {
    code: { type: 'string', examples: ['5.1'] },
    name: { type: 'string' },
    description: { type: 'string' },
    isArea: {
      type: 'boolean',
      description: 'True when statements are assessed directly at this node',
    },
    children: { type: 'array', items: { $ref: 'Domain#' } },
  },
} as const;

const summarySchema = {
  type: 'object',
  required: ['slug', 'title', 'version', 'statementCount'],
  properties: {
    slug: { type: 'string', examples: ['ai-digital-healthcare'] },
    title: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    statementCount: { type: 'integer', minimum: 0 },
  },
} as const;

const archetypeLevels = {
  type: 'object',
  description: 'Expected level (0-4) by area code; 0 means not expected',
  additionalProperties: { type: 'integer', minimum: 0, maximum: 4 },
} as const;

const frameworkSchema = {
  type: 'object',
  required: [
    'slug',
    'title',
    'version',
    'levels',
    'archetypes',
    'domains',
    'areas',
    'statements',
    'targets',
  ],
  properties: {
    slug: { type: 'string' },
    title: { type: 'string' },
    summary: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    contentHash: { type: 'string', description: 'SHA-256 of the version content' },
    createdAt: { type: 'string', format: 'date-time' },
    basedOn: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        publisher: { type: 'string' },
        published: { type: 'string', format: 'date' },
        url: { type: 'string', format: 'uri' },
        note: { type: 'string' },
      },
    },
    levels: {
      type: 'array',
      items: {
        type: 'object',
        required: ['level', 'name', 'description'],
        properties: {
          level: { type: 'integer', minimum: 1, maximum: 4 },
          name: { type: 'string' },
          summary: { type: 'string' },
          description: { type: 'string' },
        },
      },
    },
    archetypes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'name', 'description'],
        properties: {
          code: { type: 'string', enum: [...ARCHETYPE_CODES] },
          name: { type: 'string' },
          summary: { type: 'string' },
          description: { type: 'string' },
          exampleRoles: { type: 'array', items: { type: 'string' } },
          targetRationale: { type: 'string' },
        },
      },
    },
    domains: { type: 'array', items: { $ref: 'Domain#' } },
    areas: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'name', 'domainCode'],
        properties: {
          code: { type: 'string' },
          name: { type: 'string' },
          domainCode: { type: 'string' },
          description: { type: 'string' },
        },
      },
    },
    statements: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'areaCode', 'level', 'archetypes', 'text'],
        properties: {
          id: { type: 'string', examples: ['5.1.3-2-01'] },
          areaCode: { type: 'string' },
          level: { type: 'integer', minimum: 1, maximum: 4 },
          archetypes: { type: 'array', items: { type: 'string', enum: [...ARCHETYPE_CODES] } },
          text: { type: 'string' },
        },
      },
    },
    targets: {
      type: 'object',
      description: 'Target level by archetype code, then area code',
      properties: Object.fromEntries(ARCHETYPE_CODES.map((c) => [c, archetypeLevels])),
    },
  },
} as const;

export function frameworkJson(model: FrameworkModel) {
  const domains: DomainTree[] = model.tree();
  return {
    slug: model.slug,
    title: model.data.title,
    summary: model.data.summary,
    version: model.version,
    contentHash: model.versionInfo.contentHash,
    createdAt: model.versionInfo.createdAt.toISOString(),
    basedOn: model.data.basedOn,
    levels: model.data.levels,
    archetypes: model.data.archetypes,
    domains,
    areas: model.areas.map((a) => ({
      code: a.code,
      name: a.name,
      domainCode: model.domainOf(a.code)?.code ?? a.code,
      description: a.description,
    })),
    statements: model.data.statements,
    targets: model.data.targets,
  };
}

export function registerFrameworkApi(app: FastifyInstance, frameworks: FrameworkService): void {
  app.addSchema(errorSchema);
  app.addSchema(domainSchema);

  app.get(
    '/api/v1/frameworks',
    {
      schema: {
        summary: 'List the capability frameworks',
        description:
          'Each framework with its latest version and how many statements that version has.',
        tags: ['frameworks'],
        response: { 200: { type: 'array', items: summarySchema } },
      },
    },
    async () => frameworks.listFrameworks(),
  );

  const cache = new Map<number, ReturnType<typeof frameworkJson>>();
  app.get<{ Params: { slug: string }; Querystring: { version?: number } }>(
    '/api/v1/frameworks/:slug',
    {
      schema: {
        summary: 'One capability framework, whole',
        description:
          'Levels, archetypes, the domain tree, the assessment areas, every statement and the target level of each archetype in each area. Latest version unless `version` is given; earlier versions stay readable.',
        tags: ['frameworks'],
        params: { type: 'object', required: ['slug'], properties: { slug: { type: 'string' } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            version: {
              type: 'integer',
              minimum: 1,
              maximum: 2_147_483_647,
              description: 'A version number; latest when omitted',
            },
          },
        },
        response: { 200: frameworkSchema, 404: { $ref: 'ApiError#' } },
      },
    },
    async (request) => {
      const model = await frameworks.getFramework(request.params.slug, request.query.version);
      let json = cache.get(model.versionInfo.versionId);
      if (!json) {
        json = frameworkJson(model);
        cache.set(model.versionInfo.versionId, json);
      }
      return json;
    },
  );
}
