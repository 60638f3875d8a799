/**
 * The explorer's filters, from plain GET query parameters so every view is a shareable link:
 *   archetype  one or more of S, D, C, E, U (repeated, or comma-separated)
 *   level      one or more of 1-4 (repeated, or comma-separated)
 *   q          words to search for (PostgreSQL full-text search)
 * Values that are not valid are dropped from the filter and reported as field errors.
 */
import { type FieldError, values } from '../../platform/forms.js';
import {
  ARCHETYPE_CODES,
  type ArchetypeCode,
  isArchetypeCode,
  LEVELS,
  type Level,
} from './framework.model.js';

export const MAX_QUERY_LENGTH = 200;

export interface ExplorerFilter {
  archetypes: ArchetypeCode[];
  levels: Level[];
  q: string;
}

export interface ParsedExplorerQuery {
  filter: ExplorerFilter;
  errors: FieldError[];
  /** The search words as typed (folded), to show back even when rejected. */
  submittedQ: string;
}

function split(raw: unknown): string[] {
  return values(raw)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function parseExplorerQuery(query: Record<string, unknown>): ParsedExplorerQuery {
  const errors: FieldError[] = [];

  const archetypes = new Set<ArchetypeCode>();
  const badArchetypes: string[] = [];
  for (const v of split(query.archetype)) {
    const code = v.toUpperCase();
    if (isArchetypeCode(code)) archetypes.add(code);
    else badArchetypes.push(v);
  }
  if (badArchetypes.length > 0) {
    errors.push({
      field: 'archetype',
      text: `Archetype must be S, D, C, E or U (you gave ${badArchetypes.map((b) => `"${b.slice(0, 20)}"`).join(', ')})`,
    });
  }

  const levels = new Set<Level>();
  const badLevels: string[] = [];
  for (const v of split(query.level)) {
    const n = Number(v);
    if ((LEVELS as readonly number[]).includes(n) && /^\d$/.test(v)) levels.add(n as Level);
    else badLevels.push(v);
  }
  if (badLevels.length > 0) {
    errors.push({
      field: 'level',
      text: `Level must be 1, 2, 3 or 4 (you gave ${badLevels.map((b) => `"${b.slice(0, 20)}"`).join(', ')})`,
    });
  }

  const submittedQ = values(query.q).join(' ').replace(/\s+/g, ' ').trim();
  let q = submittedQ;
  if (q.length > MAX_QUERY_LENGTH) {
    errors.push({
      field: 'q',
      text: `Search words must be ${MAX_QUERY_LENGTH} characters or fewer (you gave ${q.length})`,
    });
    q = '';
  }

  return {
    filter: {
      archetypes: ARCHETYPE_CODES.filter((c) => archetypes.has(c)),
      levels: [...levels].sort(),
      q,
    },
    errors,
    submittedQ,
  };
}

export function isFiltered(filter: ExplorerFilter): boolean {
  return filter.archetypes.length > 0 || filter.levels.length > 0 || filter.q !== '';
}

/** The query string for a filter (without "?"), in a stable order; empty when unfiltered. */
export function filterQueryString(filter: ExplorerFilter): string {
  const params = new URLSearchParams();
  for (const a of filter.archetypes) params.append('archetype', a);
  for (const l of filter.levels) params.append('level', String(l));
  if (filter.q) params.set('q', filter.q);
  return params.toString();
}
