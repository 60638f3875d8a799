/** The unit tree: ordering, depth, subtrees, paths, and parsing written paths. */
import { describe, expect, it } from 'vitest';
import { parseUnitPath, UnitTree } from './unit-tree.js';

const rows = [
  { id: 'w5', parentId: 'card', name: 'Ward 5' },
  { id: 'surg', parentId: null, name: 'Surgery' },
  { id: 'med', parentId: null, name: 'Medicine' },
  { id: 'card', parentId: 'med', name: 'Cardiology' },
  { id: 'resp', parentId: 'med', name: 'Respiratory' },
  { id: 'w5a', parentId: 'w5', name: 'Bay A' },
];

describe('UnitTree', () => {
  const tree = new UnitTree(rows);

  it('flattens depth first with siblings in name order', () => {
    expect(tree.flatten().map((n) => [n.name, n.depth])).toEqual([
      ['Medicine', 0],
      ['Cardiology', 1],
      ['Ward 5', 2],
      ['Bay A', 3],
      ['Respiratory', 1],
      ['Surgery', 0],
    ]);
  });

  it('gives a unit and everything below it', () => {
    expect([...tree.subtreeIds('card')].sort()).toEqual(['card', 'w5', 'w5a']);
    expect([...tree.subtreeIds('med')].sort()).toEqual(['card', 'med', 'resp', 'w5', 'w5a']);
    expect([...tree.subtreeIds('w5a')]).toEqual(['w5a']);
    expect(tree.subtreeIds('unknown').size).toBe(0);
  });

  it('writes paths and finds units by them, ignoring case', () => {
    expect(tree.pathText('w5a')).toBe('Medicine > Cardiology > Ward 5 > Bay A');
    expect(tree.pathText('unknown')).toBe('');
    expect(tree.findByPath(['medicine', ' CARDIOLOGY ', 'ward 5'])?.id).toBe('w5');
    expect(tree.findByPath(['Cardiology'])).toBeUndefined();
    expect(tree.findByPath(['Medicine', 'Oncology'])).toBeUndefined();
    expect(tree.get('resp')?.pathNames).toEqual(['Medicine', 'Respiratory']);
  });

  it('treats a unit whose parent is missing as a root, and an empty list as no units', () => {
    const orphan = new UnitTree([{ id: 'a', parentId: 'gone', name: 'Orphan' }]);
    expect(orphan.roots.map((r) => r.id)).toEqual(['a']);
    expect(new UnitTree([]).flatten()).toEqual([]);
  });
});

describe('parseUnitPath', () => {
  it('splits on > or /, trimming and folding spaces', () => {
    expect(parseUnitPath('Medicine > Cardiology >  Ward   5')).toEqual([
      'Medicine',
      'Cardiology',
      'Ward 5',
    ]);
    expect(parseUnitPath('Medicine/Cardiology')).toEqual(['Medicine', 'Cardiology']);
    expect(parseUnitPath('Surgery')).toEqual(['Surgery']);
  });

  it('refuses empty parts', () => {
    expect(parseUnitPath('')).toBeUndefined();
    expect(parseUnitPath('Medicine > > Ward')).toBeUndefined();
    expect(parseUnitPath('Medicine >')).toBeUndefined();
  });
});
