import { describe, expect, it } from 'vitest';
import {
  filterQueryString,
  isFiltered,
  MAX_QUERY_LENGTH,
  parseExplorerQuery,
} from './explorer-query.form.js';

describe('parseExplorerQuery', () => {
  it('returns an empty filter for no parameters', () => {
    const { filter, errors } = parseExplorerQuery({});
    expect(filter).toEqual({ archetypes: [], levels: [], q: '' });
    expect(errors).toEqual([]);
    expect(isFiltered(filter)).toBe(false);
  });

  it('accepts one value as a string and several as an array or comma list, in canonical order', () => {
    expect(parseExplorerQuery({ archetype: 'u' }).filter.archetypes).toEqual(['U']);
    expect(parseExplorerQuery({ archetype: ['U', 'S'] }).filter.archetypes).toEqual(['S', 'U']);
    expect(parseExplorerQuery({ archetype: 'E,c , E' }).filter.archetypes).toEqual(['C', 'E']);
    expect(parseExplorerQuery({ level: ['3', '1'] }).filter.levels).toEqual([1, 3]);
    expect(parseExplorerQuery({ level: '2,4' }).filter.levels).toEqual([2, 4]);
  });

  it('folds whitespace in the search words', () => {
    expect(parseExplorerQuery({ q: '  remote   monitoring ' }).filter.q).toBe('remote monitoring');
  });

  it('drops bad values and says which field and what was wrong', () => {
    const { filter, errors } = parseExplorerQuery({
      archetype: ['S', 'Z'],
      level: ['2', '9', '1.5'],
    });
    expect(filter.archetypes).toEqual(['S']);
    expect(filter.levels).toEqual([2]);
    expect(errors).toEqual([
      { field: 'archetype', text: 'Archetype must be S, D, C, E or U (you gave "Z")' },
      { field: 'level', text: 'Level must be 1, 2, 3 or 4 (you gave "9", "1.5")' },
    ]);
  });

  it('rejects search words over the limit without truncating them silently', () => {
    const { filter, errors, submittedQ } = parseExplorerQuery({
      q: 'a'.repeat(MAX_QUERY_LENGTH + 1),
    });
    expect(filter.q).toBe('');
    expect(submittedQ).toHaveLength(MAX_QUERY_LENGTH + 1);
    expect(errors[0]?.field).toBe('q');
    expect(errors[0]?.text).toContain(`${MAX_QUERY_LENGTH} characters or fewer`);
  });

  it('ignores non-string values smuggled in by a query parser', () => {
    expect(parseExplorerQuery({ archetype: { a: 1 }, level: 3 }).filter).toEqual({
      archetypes: [],
      levels: [],
      q: '',
    });
  });
});

describe('filterQueryString', () => {
  it('round-trips through the parser', () => {
    const filter = {
      archetypes: ['D' as const, 'U' as const],
      levels: [2 as const],
      q: 'bias & fairness',
    };
    const qs = filterQueryString(filter);
    expect(qs).toBe('archetype=D&archetype=U&level=2&q=bias+%26+fairness');
    const params = new URLSearchParams(qs);
    expect(
      parseExplorerQuery({
        archetype: params.getAll('archetype'),
        level: params.getAll('level'),
        q: params.get('q'),
      }).filter,
    ).toEqual(filter);
  });
});
