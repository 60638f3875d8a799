/**
 * Query parameters of an insights page (and its exports) → a typed query, or field errors. Plain
 * GET parameters, so every view can be shared as a link and works without JavaScript. Values
 * are checked against the framework and the viewer's scope in the service.
 */
import { isUuid } from '../../platform/db/index.js';
import type { FieldError } from '../../platform/forms.js';
import type { Dimension } from './cube-slice.js';
import type { BreakdownDimension } from './insights-report.js';
import type { InsightsQuery } from './insights.service.js';

export const BREAKDOWN_LABELS: Record<BreakdownDimension, string> = {
  unit: 'Unit',
  organisation: 'Organisation',
  profession: 'Profession',
  setting: 'Work setting',
  archetype: 'Archetype',
};

const BREAKDOWNS = Object.keys(BREAKDOWN_LABELS) as BreakdownDimension[];

export interface InsightsQueryValues {
  unit: string;
  organisation: string;
  profession: string;
  setting: string;
  archetype: string;
  by: string;
  then: string;
  area: string;
}

const one = (v: unknown): string => {
  const first = Array.isArray(v) ? (v[0] as unknown) : v;
  return typeof first === 'string' ? first.trim() : '';
};

/** Profession values: a code, or 'not-recorded' for people who have not said. */
export const NOT_RECORDED = 'not-recorded';

export function parseInsightsQuery(raw: unknown): {
  values: InsightsQueryValues;
  query: InsightsQuery;
  errors: FieldError[];
} {
  const q = (raw ?? {}) as Record<string, unknown>;
  const values: InsightsQueryValues = {
    unit: one(q.unit),
    organisation: one(q.organisation),
    profession: one(q.profession),
    setting: one(q.setting),
    archetype: one(q.archetype),
    by: one(q.by),
    then: one(q.then),
    area: one(q.area),
  };
  const errors: FieldError[] = [];
  const id = (field: 'unit' | 'organisation', what: string) => {
    const v = values[field];
    if (v === '') return undefined;
    if (!isUuid(v)) {
      errors.push({ field, text: `Choose ${what} from the list` });
      return undefined;
    }
    return v;
  };
  const filters: InsightsQuery['filters'] = {};
  for (const d of ['profession', 'setting', 'archetype'] as Dimension[]) {
    const v = values[d];
    if (v === '') continue;
    if (!/^[A-Za-z0-9-]{1,80}$/.test(v)) {
      errors.push({ field: d, text: 'Choose a value from the list' });
      continue;
    }
    filters[d] = v === NOT_RECORDED ? '' : v;
  }
  const by: BreakdownDimension[] = [];
  for (const field of ['by', 'then'] as const) {
    const v = values[field];
    if (v === '') continue;
    if (!(BREAKDOWNS as string[]).includes(v)) {
      errors.push({ field, text: 'Choose a breakdown from the list' });
      continue;
    }
    by.push(v as BreakdownDimension);
  }
  if (values.then !== '' && values.by === '')
    errors.push({ field: 'by', text: 'Choose the first breakdown before the second' });
  if (by.length === 2 && by[0] === by[1])
    errors.push({ field: 'then', text: 'Choose two different breakdowns' });
  for (const b of by) {
    if (b !== 'unit' && b !== 'organisation' && filters[b] !== undefined)
      errors.push({
        field: values.by === b ? 'by' : 'then',
        text: `You have chosen one ${BREAKDOWN_LABELS[b].toLowerCase()}: remove it to break down by ${BREAKDOWN_LABELS[b].toLowerCase()}`,
      });
  }
  if (values.area !== '' && !/^\d{1,2}(\.\d{1,2})?$/.test(values.area))
    errors.push({ field: 'area', text: 'Choose an area from the list' });
  const unitId = id('unit', 'a unit');
  const organisationId = id('organisation', 'an organisation');
  return {
    values,
    query: {
      ...(unitId ? { unitId } : {}),
      ...(organisationId ? { organisationId } : {}),
      filters,
      by: errors.length > 0 ? [] : by,
      ...(values.area !== '' && errors.every((e) => e.field !== 'area')
        ? { area: values.area }
        : {}),
    },
    errors,
  };
}

/** The query string for a query (links to drill down, exports), without empty values. */
export function queryString(values: Partial<InsightsQueryValues>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}
