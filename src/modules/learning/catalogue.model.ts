/**
 * The learning catalogue as the rest of digicap sees it: a resource, its formats and costs with
 * their labels, and the filter the catalogue is searched with. Pure: no I/O.
 */

export const RESOURCE_FORMATS = [
  'e-learning',
  'course',
  'video',
  'guidance',
  'report',
  'article',
  'podcast',
  'toolkit',
  'programme',
  'webinar',
] as const;
export type ResourceFormat = (typeof RESOURCE_FORMATS)[number];

export const FORMAT_LABELS: Record<ResourceFormat, string> = {
  'e-learning': 'E-learning',
  course: 'Course',
  video: 'Video',
  guidance: 'Guidance',
  report: 'Report',
  article: 'Article',
  podcast: 'Podcast',
  toolkit: 'Toolkit',
  programme: 'Programme',
  webinar: 'Webinar',
};

export const isResourceFormat = (value: unknown): value is ResourceFormat =>
  typeof value === 'string' && (RESOURCE_FORMATS as readonly string[]).includes(value);

export const RESOURCE_COSTS = ['free', 'paid', 'unknown'] as const;
export type ResourceCost = (typeof RESOURCE_COSTS)[number];

export const COST_LABELS: Record<ResourceCost, string> = {
  free: 'Free',
  paid: 'Paid',
  unknown: 'Not known',
};

export const isResourceCost = (value: unknown): value is ResourceCost =>
  typeof value === 'string' && (RESOURCE_COSTS as readonly string[]).includes(value);

/** Who curated the bundled starter catalogue, as shown to learners. */
export const BUNDLED_CURATOR = 'digicap starter catalogue';

/** The most characters a summary may have (as the bundled catalogue's notes say). */
export const MAX_SUMMARY = 240;

/** A learning resource, as stored (one row of learning_resources). */
export interface Resource {
  /** The row's uuid (used in page addresses). */
  id: string;
  /** The catalogue's stable id (the CSV's `id` column), unique within its scope. */
  slug: string;
  /** null: the shared catalogue, visible to everyone; otherwise that organisation's people only. */
  organisationId: string | null;
  title: string;
  provider: string;
  url: string;
  format: ResourceFormat;
  durationMinutes: number | null;
  cost: ResourceCost;
  /** Levels 1–4, ascending. */
  levels: number[];
  areaCodes: string[];
  statementIds: string[];
  archetypeCodes: string[];
  summary: string;
  /** YYYY-MM-DD, when the entry should next be checked. */
  reviewDate: string | null;
  curatedBy: string;
  curatedByPersonId: string | null;
  source: 'bundled' | 'local';
  retiredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a form or an imported row says about a resource (everything a person may set). */
export interface ResourceFields {
  slug: string;
  title: string;
  provider: string;
  url: string;
  format: ResourceFormat;
  durationMinutes: number | null;
  cost: ResourceCost;
  levels: number[];
  areaCodes: string[];
  archetypeCodes: string[];
  summary: string;
  /** undefined: not given (an import without the column keeps what is stored). */
  reviewDate?: string | null | undefined;
  statementIds?: string[] | undefined;
  curatedBy?: string | undefined;
  /** Import only: true retires, false brings back, undefined leaves as it is. */
  retired?: boolean | undefined;
}

/**
 * Where a resource lives: the shared catalogue (organisation null), managed by platform admins,
 * or one organisation's own resources, managed by its educators and admins.
 */
export type CatalogueScope = { kind: 'shared' } | { kind: 'organisation'; organisationId: string };

export const SHARED_SCOPE: CatalogueScope = { kind: 'shared' };

export const scopeOf = (organisationId: string | null): CatalogueScope =>
  organisationId === null ? SHARED_SCOPE : { kind: 'organisation', organisationId };

export const scopeOrganisationId = (scope: CatalogueScope): string | null =>
  scope.kind === 'shared' ? null : scope.organisationId;

/** The catalogue's filters; every part optional, parts combined with "and", values with "or". */
export interface CatalogueFilter {
  areaCodes?: readonly string[];
  levels?: readonly number[];
  archetypeCodes?: readonly string[];
  formats?: readonly ResourceFormat[];
  freeOnly?: boolean;
  /** Only resources that state a duration of at most this many minutes. */
  maxDurationMinutes?: number | undefined;
  /** Words that must all appear in the title, provider or summary (any case). */
  q?: string;
}

/** Which resources a viewer may see in lists (see catalogue.policy.ts). */
export interface CatalogueVisibility {
  /** Organisations whose own resources the viewer sees (their memberships). */
  organisationIds: readonly string[];
  /** Include organisation resources at all (false: the shared catalogue only, as the API). */
  includeOrganisations: boolean;
  /** Retired resources are listed only for scopes the viewer manages, and only when asked. */
  retired?: { shared: boolean; organisationIds: readonly string[] } | undefined;
}

export function durationText(minutes: number | null): string {
  if (minutes === null) return 'Not stated';
  if (minutes < 60) return `${String(minutes)} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const hoursText = `${String(hours)} hour${hours === 1 ? '' : 's'}`;
  return rest === 0 ? hoursText : `${hoursText} ${String(rest)} minute${rest === 1 ? '' : 's'}`;
}
