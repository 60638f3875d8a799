import { describe, expect, it } from 'vitest';
import type { Statement } from './framework.model.js';
import { filterStatements, matchesFilter } from './statement-filter.js';

const s = (id: string, level: 1 | 2 | 3 | 4, archetypes: Statement['archetypes']): Statement => ({
  id,
  areaCode: '1',
  level,
  archetypes,
  text: `I can do ${id}.`,
});
const statements = [
  s('a', 1, ['S', 'D', 'C', 'E', 'U']),
  s('b', 2, ['U']),
  s('c', 3, ['C', 'E']),
  s('d', 4, ['S', 'D']),
];

describe('filterStatements', () => {
  it('keeps everything with no filter', () => {
    expect(filterStatements(statements, { archetypes: [], levels: [] }).map((x) => x.id)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('keeps statements badged for any chosen archetype', () => {
    expect(
      filterStatements(statements, { archetypes: ['U', 'C'], levels: [] }).map((x) => x.id),
    ).toEqual(['a', 'b', 'c']);
  });

  it('keeps statements at any chosen level', () => {
    expect(
      filterStatements(statements, { archetypes: [], levels: [2, 4] }).map((x) => x.id),
    ).toEqual(['b', 'd']);
  });

  it('combines archetype and level with AND', () => {
    expect(
      filterStatements(statements, { archetypes: ['D'], levels: [1, 2] }).map((x) => x.id),
    ).toEqual(['a']);
    expect(matchesFilter(s('b', 2, ['U']), { archetypes: ['S'], levels: [2] })).toBe(false);
  });

  it('narrows to search hits when a search ran', () => {
    const hits = new Map([
      ['c', 'x'],
      ['d', 'y'],
    ]);
    expect(
      filterStatements(statements, { archetypes: ['E'], levels: [] }, hits).map((x) => x.id),
    ).toEqual(['c']);
    expect(filterStatements(statements, { archetypes: [], levels: [] }, new Map())).toEqual([]);
  });
});
