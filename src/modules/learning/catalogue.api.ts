/**
 * Read API: GET /api/v1/resources, the shared learning catalogue (never an organisation's own
 * resources, and never retired ones), filtered like the catalogue page. The route schema
 * validates the query, serialises the answer and describes both in the OpenAPI document at
 * /api/openapi.json. A bad parameter is a 400 whose message names it and says what is allowed.
 *
 * List parameters may be repeated (`area=6.2&area=6.3`) or comma-separated (`area=6.2,6.3`).
 * Uses the `ApiError` schema the framework API adds, so register it after the framework API.
 */
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import { ARCHETYPE_CODES } from '../framework/index.js';
import { MAX_DURATION } from './catalogue.csv.js';
import { MAX_QUERY_LENGTH } from './catalogue.forms.js';
import { RESOURCE_COSTS, RESOURCE_FORMATS, type Resource } from './catalogue.model.js';
import { CATALOGUE_PATH, resourceHref } from './catalogue.presenter.js';
import type { CatalogueService } from './catalogue.service.js';
import { InvalidInputError } from '../../platform/errors.js';

export const API_PATH = '/api/v1/resources';
export const MAX_API_LIMIT = 100;
const LIST_PARAMS = ['area', 'level', 'archetype', 'format'] as const;

interface ResourcesQuery {
  area?: string[];
  level?: number[];
  archetype?: string[];
  format?: string[];
  cost?: 'free';
  maxDuration?: number;
  q?: string;
  page: number;
  limit: number;
}

const querystringSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    area: {
      type: 'array',
      items: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)*$', maxLength: 20 },
      maxItems: 50,
      description: 'Framework area codes, like 6.2; resources in any of them',
    },
    level: {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 4 },
      maxItems: 4,
      description: 'Levels 1-4; resources suiting any of them',
    },
    archetype: {
      type: 'array',
      items: { type: 'string', enum: [...ARCHETYPE_CODES] },
      maxItems: 5,
      description: 'Archetype codes (S, D, C, E, U); resources suiting any of them',
    },
    format: {
      type: 'array',
      items: { type: 'string', enum: [...RESOURCE_FORMATS] },
      maxItems: RESOURCE_FORMATS.length,
      description: 'Formats; resources in any of them',
    },
    cost: { type: 'string', enum: ['free'], description: 'free: free resources only' },
    maxDuration: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_DURATION,
      description: 'Only resources that state a duration of at most this many minutes',
    },
    q: {
      type: 'string',
      maxLength: MAX_QUERY_LENGTH,
      description: 'Words that must all appear in the title, provider or summary (any case)',
    },
    page: { type: 'integer', minimum: 1, maximum: 100_000, default: 1 },
    limit: { type: 'integer', minimum: 1, maximum: MAX_API_LIMIT, default: 20 },
  },
} as const;

const resourceSchema = {
  type: 'object',
  required: [
    'id',
    'title',
    'provider',
    'url',
    'format',
    'durationMinutes',
    'cost',
    'levels',
    'areas',
    'archetypes',
    'statementIds',
    'summary',
    'reviewDate',
    'curatedBy',
    'detailsPath',
  ],
  properties: {
    id: {
      type: 'string',
      description: 'The catalogue id (the CSV id column)',
      examples: ['nhs-ai-knowledge-repository'],
    },
    title: { type: 'string' },
    provider: { type: 'string' },
    url: { type: 'string', format: 'uri', description: "The resource on the provider's site" },
    format: { type: 'string', enum: [...RESOURCE_FORMATS] },
    durationMinutes: {
      type: ['integer', 'null'],
      minimum: 1,
      description: 'Whole minutes, when the provider states it',
    },
    cost: { type: 'string', enum: [...RESOURCE_COSTS] },
    levels: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 4 } },
    areas: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'name'],
        properties: { code: { type: 'string', examples: ['6.2'] }, name: { type: 'string' } },
      },
    },
    archetypes: { type: 'array', items: { type: 'string', enum: [...ARCHETYPE_CODES] } },
    statementIds: { type: 'array', items: { type: 'string', examples: ['6.3-2-01'] } },
    summary: { type: 'string', maxLength: 240 },
    reviewDate: { type: ['string', 'null'], format: 'date' },
    curatedBy: { type: 'string' },
    detailsPath: {
      type: 'string',
      description: "The resource's page on digicap",
      examples: ['/learning/resources/0d6c3e5e-7c1f-4d5e-9a7b-2f1f7d0e8c11'],
    },
  },
} as const;

const responseSchema = {
  type: 'object',
  required: ['total', 'page', 'pageCount', 'limit', 'resources'],
  properties: {
    total: { type: 'integer', minimum: 0, description: 'How many resources match' },
    page: { type: 'integer', minimum: 1 },
    pageCount: { type: 'integer', minimum: 1 },
    limit: { type: 'integer', minimum: 1 },
    resources: { type: 'array', items: resourceSchema },
  },
} as const;

/** What each parameter accepts, for the 400 message. */
const ALLOWED: Record<string, string> = {
  area: 'framework area codes, like 6.2',
  level: 'whole numbers from 1 to 4',
  archetype: `archetype codes: ${ARCHETYPE_CODES.join(', ')}`,
  format: `formats: ${RESOURCE_FORMATS.join(', ')}`,
  cost: 'free',
  maxDuration: `a whole number of minutes from 1 to ${String(MAX_DURATION)}`,
  q: `at most ${String(MAX_QUERY_LENGTH)} characters`,
  page: 'a whole number from 1',
  limit: `a whole number from 1 to ${String(MAX_API_LIMIT)}`,
};

/** "level must be whole numbers from 1 to 4" rather than Ajv's "querystring/level/0 must be <= 4". */
function schemaErrorMessage(errors: FastifySchemaValidationError[]): string {
  const error = errors[0];
  if (!error) return 'The query is not valid';
  const name = error.instancePath.split('/').filter(Boolean)[0] ?? '';
  const allowed = ALLOWED[name];
  return allowed
    ? `${name} must be ${allowed}`
    : `${name || 'The query'} ${error.message ?? 'is not valid'}`;
}

export function resourceJson(resource: Resource, areaNames: ReadonlyMap<string, string>) {
  return {
    id: resource.slug,
    title: resource.title,
    provider: resource.provider,
    url: resource.url,
    format: resource.format,
    durationMinutes: resource.durationMinutes,
    cost: resource.cost,
    levels: resource.levels,
    areas: resource.areaCodes.map((code) => ({ code, name: areaNames.get(code) ?? '' })),
    archetypes: resource.archetypeCodes,
    statementIds: resource.statementIds,
    summary: resource.summary,
    reviewDate: resource.reviewDate,
    curatedBy: resource.curatedBy,
    detailsPath: resourceHref(resource.id),
  };
}

export function registerCatalogueApi(app: FastifyInstance, catalogue: CatalogueService): void {
  app.get<{ Querystring: ResourcesQuery }>(
    API_PATH,
    {
      schema: {
        summary: 'Search the learning catalogue',
        description: `Learning resources from the shared catalogue (${CATALOGUE_PATH} on digicap), by title. Filters combine with "and"; the values of one filter with "or". List parameters may be repeated or comma-separated. Resources an organisation keeps for its own people are not included.`,
        tags: ['learning resources'],
        querystring: querystringSchema,
        response: { 200: responseSchema, 400: { $ref: 'ApiError#' } },
      },
      // Comma-separated lists and lower-case archetypes, as the catalogue page accepts them.
      preValidation: (request, _reply, done) => {
        const query = request.query as unknown as Record<string, unknown>;
        for (const name of LIST_PARAMS) {
          const value: unknown = query[name];
          const list: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
          if (list.length > 0)
            query[name] = list
              .flatMap((v): unknown[] => (typeof v === 'string' ? v.split(',') : [v]))
              .map((v): unknown => (typeof v === 'string' ? v.trim() : v))
              .map((v): unknown =>
                name === 'archetype' && typeof v === 'string' ? v.toUpperCase() : v,
              )
              .filter((v) => v !== '');
        }
        done();
      },
      schemaErrorFormatter: (errors) => new InvalidInputError(schemaErrorMessage(errors)),
    },
    async (request) => {
      const query = request.query;
      const terms = await catalogue.terms();
      const unknownAreas = (query.area ?? []).filter((a) => !terms.areaNames.has(a));
      if (unknownAreas.length > 0)
        throw new InvalidInputError(
          `area ${unknownAreas.join(', ')} ${unknownAreas.length === 1 ? 'is' : 'are'} not in the framework. The areas are: ${terms.areaCodes.join(', ')}`,
        );
      const filter = {
        areaCodes: query.area ?? [],
        levels: query.level ?? [],
        archetypeCodes: query.archetype ?? [],
        formats: (query.format ?? []) as Resource['format'][],
        freeOnly: query.cost === 'free',
        maxDurationMinutes: query.maxDuration,
        q: query.q ?? '',
      };
      const { resources, total } = await catalogue.browseShared(filter, {
        page: query.page,
        pageSize: query.limit,
      });
      return {
        total,
        page: query.page,
        pageCount: Math.max(1, Math.ceil(total / query.limit)),
        limit: query.limit,
        resources: resources.map((r) => resourceJson(r, terms.areaNames)),
      };
    },
  );
}
