/**
 * Form parsers for the catalogue pages: the browse filters (a GET form, so every view is a
 * shareable link), the add and edit form, and the CSV upload. Request body or query → typed
 * values or field errors. The rules for a resource's fields are catalogue.csv.ts's
 * (checkResourceFields), shared with CSV files; this file maps them to form fields.
 *
 * Browse query parameters (each list repeated or comma-separated):
 *   area       framework area codes          level      1-4
 *   archetype  S, D, C, E, U                 format     e-learning, course, …
 *   cost=free  free resources only           duration   at most this many minutes
 *   q          words to search for           page       from 1
 *   retired=include  retired resources too (only those the viewer manages)
 */
import { csvFileOf, type UploadedFile } from '../../platform/csv-upload.js';
import { type FieldError, values } from '../../platform/forms.js';
import { ARCHETYPE_CODES } from '../framework/index.js';
import {
  type CatalogueColumn,
  type CatalogueVocabulary,
  checkResourceFields,
  MAX_DURATION,
} from './catalogue.csv.js';
import {
  type CatalogueFilter,
  isResourceFormat,
  type ResourceFields,
  type ResourceFormat,
} from './catalogue.model.js';

export const MAX_QUERY_LENGTH = 200;
const MAX_PAGE = 100_000;

const record = (body: unknown) =>
  body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
const first = (raw: unknown) => values(raw)[0] ?? '';

function split(raw: unknown): string[] {
  return values(raw)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

const shown = (bad: readonly string[]) => bad.map((b) => `"${b.slice(0, 20)}"`).join(', ');

export interface CatalogueQuery {
  filter: Required<Pick<CatalogueFilter, 'areaCodes' | 'levels' | 'archetypeCodes' | 'formats'>> &
    Pick<CatalogueFilter, 'maxDurationMinutes'> & { freeOnly: boolean; q: string };
  page: number;
  includeRetired: boolean;
  errors: FieldError[];
  /** The search words as typed (folded), to show back even when rejected. */
  submittedQ: string;
}

/** The browse page's query string → the filter; values that are not valid are dropped and reported. */
export function parseCatalogueQuery(
  query: Record<string, unknown>,
  vocabulary: Pick<CatalogueVocabulary, 'areaCodes'>,
): CatalogueQuery {
  const errors: FieldError[] = [];

  const areaList = split(query.area);
  const badAreas = areaList.filter((a) => !vocabulary.areaCodes.includes(a));
  if (badAreas.length > 0)
    errors.push({
      field: 'area',
      text: `Choose areas from the list (${shown(badAreas)} ${badAreas.length === 1 ? 'is not an area' : 'are not areas'})`,
    });
  const areaCodes = vocabulary.areaCodes.filter((a) => areaList.includes(a));

  const levelList = split(query.level);
  const badLevels = levelList.filter((v) => !/^[1-4]$/.test(v));
  if (badLevels.length > 0)
    errors.push({
      field: 'level',
      text: `Level must be 1, 2, 3 or 4 (you gave ${shown(badLevels)})`,
    });
  const levels = [1, 2, 3, 4].filter((l) => levelList.includes(String(l)));

  const archetypeList = split(query.archetype).map((v) => v.toUpperCase());
  const badArchetypes = archetypeList.filter(
    (v) => !(ARCHETYPE_CODES as readonly string[]).includes(v),
  );
  if (badArchetypes.length > 0)
    errors.push({
      field: 'archetype',
      text: `Archetype must be S, D, C, E or U (you gave ${shown(badArchetypes)})`,
    });
  const archetypeCodes = ARCHETYPE_CODES.filter((a) => archetypeList.includes(a));

  const formatList = split(query.format).map((v) => v.toLowerCase());
  const badFormats = formatList.filter((v) => !isResourceFormat(v));
  if (badFormats.length > 0)
    errors.push({
      field: 'format',
      text: `Choose formats from the list (you gave ${shown(badFormats)})`,
    });
  const formats: ResourceFormat[] = formatList.filter(isResourceFormat);

  const costText = first(query.cost).trim().toLowerCase();
  if (costText && costText !== 'free')
    errors.push({ field: 'cost', text: 'Cost can only be narrowed to free resources' });
  const freeOnly = costText === 'free';

  const durationText = first(query.duration).trim();
  let maxDurationMinutes: number | undefined;
  if (durationText) {
    const n = Number(durationText);
    if (!/^\d+$/.test(durationText) || n < 1 || n > MAX_DURATION)
      errors.push({ field: 'duration', text: 'Choose how long you have from the list' });
    else maxDurationMinutes = n;
  }

  const submittedQ = values(query.q).join(' ').replace(/\s+/g, ' ').trim();
  let q = submittedQ;
  if (q.length > MAX_QUERY_LENGTH) {
    errors.push({
      field: 'q',
      text: `Search words must be ${String(MAX_QUERY_LENGTH)} characters or fewer (you gave ${String(q.length)})`,
    });
    q = '';
  }

  const pageText = first(query.page).trim();
  const page = /^\d{1,6}$/.test(pageText) ? Math.min(Math.max(Number(pageText), 1), MAX_PAGE) : 1;

  return {
    filter: {
      areaCodes: [...new Set(areaCodes)],
      levels,
      archetypeCodes,
      formats: [...new Set(formats)],
      freeOnly,
      maxDurationMinutes,
      q,
    },
    page,
    includeRetired: first(query.retired) === 'include',
    errors,
    submittedQ,
  };
}

/** The filter as a query string, without the page (for links that keep the filter). */
export function catalogueQueryString(
  filter: CatalogueQuery['filter'],
  extra: { includeRetired?: boolean; page?: number } = {},
): string {
  const params = new URLSearchParams();
  if (filter.q) params.set('q', filter.q);
  for (const a of filter.areaCodes) params.append('area', a);
  for (const l of filter.levels) params.append('level', String(l));
  for (const a of filter.archetypeCodes) params.append('archetype', a);
  for (const f of filter.formats) params.append('format', f);
  if (filter.freeOnly) params.set('cost', 'free');
  if (filter.maxDurationMinutes !== undefined)
    params.set('duration', String(filter.maxDurationMinutes));
  if (extra.includeRetired) params.set('retired', 'include');
  if (extra.page !== undefined && extra.page > 1) params.set('page', String(extra.page));
  return params.toString();
}

// --- The add and edit form -------------------------------------------------------------------

/** What the person typed or chose, as sent (shown back with the errors). */
export interface ResourceFormValues {
  organisation: string;
  slug: string;
  title: string;
  provider: string;
  url: string;
  format: string;
  durationMinutes: string;
  cost: string;
  levels: string[];
  areaCodes: string[];
  archetypeCodes: string[];
  summary: string;
  reviewDate: { day: string; month: string; year: string };
  statementIds: string;
  curatedBy: string;
}

/** The form field each CSV column's problems belong to (the error summary links to it). */
export const FORM_FIELD_OF: Record<CatalogueColumn | 'organisation', string> = {
  organisation: 'organisation',
  id: 'slug',
  title: 'title',
  provider: 'provider',
  url: 'url',
  format: 'format',
  duration_minutes: 'durationMinutes',
  cost: 'cost',
  levels: 'levels',
  areas: 'areaCodes',
  archetypes: 'archetypeCodes',
  summary: 'summary',
  source_seen: 'url',
  review_date: 'reviewDate-day',
  statement_ids: 'statementIds',
  curated_by: 'curatedBy',
  retired: 'title',
};

/** The order fields appear on the page, so the error summary lists them in that order. */
const FIELD_ORDER = [
  'organisation',
  'slug',
  'title',
  'provider',
  'url',
  'format',
  'durationMinutes',
  'cost',
  'levels',
  'areaCodes',
  'archetypeCodes',
  'summary',
  'statementIds',
  'reviewDate-day',
  'curatedBy',
];

export const sortFieldErrors = (errors: FieldError[]): FieldError[] =>
  [...errors].sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));

export function emptyResourceForm(): ResourceFormValues {
  return {
    organisation: '',
    slug: '',
    title: '',
    provider: '',
    url: '',
    format: '',
    durationMinutes: '',
    cost: '',
    levels: [],
    areaCodes: [],
    archetypeCodes: [],
    summary: '',
    reviewDate: { day: '', month: '', year: '' },
    statementIds: '',
    curatedBy: '',
  };
}

const pad = (text: string, width: number) => text.padStart(width, '0');

/** Day, month and year boxes → YYYY-MM-DD, '' when all are blank, or an error text. */
function reviewDateOf(d: ResourceFormValues['reviewDate']): { iso: string } | { error: string } {
  const { day, month, year } = d;
  if (!day && !month && !year) return { iso: '' };
  if (!day || !month || !year)
    return { error: 'Review date must include a day, month and year, or leave it all blank' };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year))
    return { error: 'Review date must be a real date, like 31 3 2027' };
  return { iso: `${year}-${pad(month, 2)}-${pad(day, 2)}` };
}

export function parseResourceForm(
  body: unknown,
  vocabulary: CatalogueVocabulary,
): { values: ResourceFormValues; fields?: ResourceFields; errors: FieldError[] } {
  const b = record(body);
  const v: ResourceFormValues = {
    organisation: first(b.organisation).trim(),
    slug: first(b.slug).trim(),
    title: first(b.title),
    provider: first(b.provider),
    url: first(b.url).trim(),
    format: first(b.format).trim(),
    durationMinutes: first(b.durationMinutes).trim(),
    cost: first(b.cost).trim(),
    levels: values(b.levels),
    areaCodes: values(b.areaCodes),
    archetypeCodes: values(b.archetypeCodes),
    summary: first(b.summary),
    reviewDate: {
      day: first(b['reviewDate[day]']).trim(),
      month: first(b['reviewDate[month]']).trim(),
      year: first(b['reviewDate[year]']).trim(),
    },
    statementIds: first(b.statementIds),
    curatedBy: first(b.curatedBy),
  };
  const errors: FieldError[] = [];
  const date = reviewDateOf(v.reviewDate);
  const checked = checkResourceFields(
    {
      id: v.slug,
      title: v.title,
      provider: v.provider,
      url: v.url,
      format: v.format,
      durationMinutes: v.durationMinutes,
      cost: v.cost,
      levels: v.levels,
      areas: v.areaCodes,
      archetypes: v.archetypeCodes,
      summary: v.summary,
      reviewDate: 'iso' in date ? date.iso : '',
      statementIds: v.statementIds.split(/[\s,;|]+/),
      curatedBy: v.curatedBy,
    },
    vocabulary,
    'form',
  );
  for (const p of checked.problems)
    errors.push({ field: FORM_FIELD_OF[p.column], text: p.message });
  if ('error' in date) errors.push({ field: 'reviewDate-day', text: date.error });
  const sorted = sortFieldErrors(errors);
  return sorted.length === 0 && checked.fields
    ? { values: v, fields: checked.fields, errors: [] }
    : { values: v, errors: sorted };
}

/** The form's values for an existing resource (the edit page). */
export function resourceFormValues(resource: {
  slug: string;
  organisationId: string | null;
  title: string;
  provider: string;
  url: string;
  format: string;
  durationMinutes: number | null;
  cost: string;
  levels: readonly number[];
  areaCodes: readonly string[];
  archetypeCodes: readonly string[];
  summary: string;
  reviewDate: string | null;
  statementIds: readonly string[];
  curatedBy: string;
}): ResourceFormValues {
  const [year = '', month = '', day = ''] = resource.reviewDate?.split('-') ?? [];
  return {
    organisation: resource.organisationId ?? 'shared',
    slug: resource.slug,
    title: resource.title,
    provider: resource.provider,
    url: resource.url,
    format: resource.format,
    durationMinutes: resource.durationMinutes === null ? '' : String(resource.durationMinutes),
    cost: resource.cost,
    levels: resource.levels.map(String),
    areaCodes: [...resource.areaCodes],
    archetypeCodes: [...resource.archetypeCodes],
    summary: resource.summary,
    reviewDate: {
      day: day.replace(/^0/, ''),
      month: month.replace(/^0/, ''),
      year,
    },
    statementIds: resource.statementIds.join(', '),
    curatedBy: resource.curatedBy,
  };
}

// --- The CSV upload ---------------------------------------------------------------------------

/** The import form: which catalogue (`organisation`) and one CSV file in the `file` field. */
export function parseImportUpload(body: unknown): {
  organisation: string;
  file?: UploadedFile;
  error?: string;
} {
  const b = record(body);
  const organisation = typeof b.organisation === 'string' ? b.organisation.trim() : '';
  return { organisation, ...csvFileOf(b.file) };
}
