/**
 * The release function's rules, as properties over arbitrary tables (fast-check): no released
 * figure ever comes from 1 to 7 people, rounding is to the nearest 5, complementary suppression
 * leaves no line with a single recoverable hidden cell, populations under the threshold or
 * within 7 of a containing population show nothing, and thresholds can only be raised.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BASE_RULES,
  checkPopulation,
  disclosureRules,
  release,
  releaseCount,
  releasedShare,
  releaseMean,
  type SizeTree,
  type TableRequest,
  withheldInTree,
} from './disclosure.js';

const rules = disclosureRules();

const tableArb = fc
  .record({
    rows: fc.array(fc.array(fc.nat({ max: 60 }), { minLength: 5, maxLength: 5 }), {
      minLength: 1,
      maxLength: 8,
    }),
    withRowTotals: fc.boolean(),
    withColumnTotals: fc.boolean(),
    extra: fc.nat({ max: 200 }),
    containedIn: fc.array(fc.nat({ max: 400 }), { maxLength: 4 }),
    rowPopulations: fc.boolean(),
  })
  .map(({ rows, withRowTotals, withColumnTotals, extra, containedIn, rowPopulations }) => {
    const rowTotals = rows.map((r) => r.reduce((a, b) => a + b, 0));
    const size = rowTotals.reduce((a, b) => a + b, 0) + extra;
    const table: TableRequest = {
      population: { size, containedIn: containedIn.map((c) => size + c) },
      rows: rows.map((cells, i) => ({
        cells,
        ...(rowPopulations ? { population: { size: rowTotals[i] ?? 0, containedIn: [size] } } : {}),
      })),
      ...(withRowTotals ? { rowTotals } : {}),
      ...(withColumnTotals
        ? { columnTotals: [0, 1, 2, 3, 4].map((c) => rows.reduce((a, r) => a + (r[c] ?? 0), 0)) }
        : {}),
    };
    return table;
  });

describe('releaseCount', () => {
  it('shows 0 as 0, 1-7 as "1-7" and rounds every other count to the nearest 5', () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), (n) => {
        const c = releaseCount(n, rules);
        if (n === 0) return c.kind === 'count' && c.value === 0;
        if (n <= 7) return c.kind === 'small';
        return c.kind === 'count' && c.value % 5 === 0 && Math.abs(c.value - n) <= 2.5;
      }),
    );
    expect(releaseCount(8, rules)).toEqual({ kind: 'count', value: 10 });
    expect(releaseCount(12, rules)).toEqual({ kind: 'count', value: 10 });
    expect(releaseCount(13, rules)).toEqual({ kind: 'count', value: 15 });
  });

  it('works out shares from the rounded counts only', () => {
    expect(releasedShare({ kind: 'count', value: 10 }, { kind: 'count', value: 40 })).toBe(25);
    expect(releasedShare({ kind: 'small' }, { kind: 'count', value: 40 })).toBeNull();
    expect(releasedShare({ kind: 'count', value: 10 }, { kind: 'hidden' })).toBeNull();
  });

  it('gives no mean from fewer than 8 people', () => {
    expect(releaseMean([1, 2, 3, 4, 5, 6, 7], rules)).toBeNull();
    expect(releaseMean([1, 2, 3, 4, 5, 6, 7, 8], rules)).toBe(4.5);
  });
});

describe('release', () => {
  it('never releases a number that comes from 1 to 7 people', () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        const [out] = release([table], rules);
        if (!out?.verdict.released) return true;
        return table.rows.every((row, r) =>
          (out.rows[r]?.cells ?? []).every((cell, c) => {
            const truth = row.cells[c] ?? 0;
            if (cell.kind !== 'count') return true;
            return truth === 0
              ? cell.value === 0
              : truth >= 8 && Math.abs(cell.value - truth) <= 2.5;
          }),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no line whose shown total would give away its one hidden cell', () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        const [out] = release([table], rules);
        if (!out?.verdict.released) return true;
        const hidden = (cells: { kind: string }[]) =>
          cells.filter((c) => c.kind !== 'count').length;
        if (table.rowTotals) {
          for (const [r, row] of table.rows.entries()) {
            const released = out.rows[r];
            if (!released?.verdict.released || released.total?.kind !== 'count') continue;
            const cells = row.cells.map((_, c) => ({ kind: released.cells[c]?.kind ?? 'hidden' }));
            if (hidden(cells) === 1) return false;
          }
        }
        if (table.columnTotals && out.columnTotals) {
          for (let c = 0; c < 5; c++) {
            if (out.columnTotals[c]?.kind !== 'count') continue;
            const cells = table.rows.map((_, r) => ({
              kind: out.rows[r]?.verdict.released
                ? (out.rows[r].cells[c]?.kind ?? 'hidden')
                : 'hidden',
            }));
            // A single hidden figure beside a shown total, even a 0, could be worked out.
            if (hidden(cells) === 1) return false;
          }
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('hides a 0 rather than let a total give away a hidden group beside it', () => {
    // Group A (9 people, too few) all at target; group B (20) none: the column total of 9 would
    // show as 10 and describe A. B's 0 is hidden too, so A + B is all anyone can read.
    const [out] = release(
      [
        {
          population: { size: 29, containedIn: [] },
          rows: [
            { cells: [9], population: { size: 9, containedIn: [29] } },
            { cells: [0], population: { size: 20, containedIn: [29] } },
          ],
          columnTotals: [9],
        },
      ],
      rules,
    );
    expect(out?.rows.map((r) => r.verdict.released)).toEqual([false, true]);
    expect(out?.rows[1]?.cells).toEqual([{ kind: 'hidden' }]);
    expect(out?.columnTotals).toEqual([{ kind: 'count', value: 10 }]);
    // With nothing at all beside it, the total goes.
    const [alone] = release(
      [
        {
          population: { size: 29, containedIn: [] },
          rows: [{ cells: [9], population: { size: 9, containedIn: [29] } }],
          columnTotals: [9],
        },
      ],
      rules,
    );
    expect(alone?.columnTotals).toEqual([{ kind: 'hidden' }]);
  });

  describe('sum of parts in a unit tree (rule 6)', () => {
    /** A tree whose sizes add up: each node is its direct people plus its children. */
    const treeArb: fc.Arbitrary<SizeTree> = fc
      .array(fc.tuple(fc.nat({ max: 12 }), fc.nat({ max: 30 })), { minLength: 1, maxLength: 25 })
      .map((spec) => {
        // spec[i] = [parent index choice, direct people]; node 0 is the organisation.
        const nodes = spec.map(([, direct], i) => ({
          id: `n${String(i)}`,
          direct,
          kids: [] as number[],
        }));
        spec.forEach(([parentChoice], i) => {
          if (i > 0) nodes[parentChoice % i]?.kids.push(i);
        });
        const build = (i: number): SizeTree => {
          const node = nodes[i];
          if (!node) throw new Error('no node');
          const children = node.kids.map(build);
          return {
            id: node.id,
            size: node.direct + children.reduce((sum, c) => sum + c.size, 0),
            children,
          };
        };
        return build(0);
      });

    /** What an attacker can subtract: for each shown node, its size less the shown below it. */
    const leftOvers = (root: SizeTree, withheld: ReadonlySet<string>) => {
      const out: { id: string; left: number }[] = [];
      const shown = (n: SizeTree) =>
        n === root || (n.size >= rules.minPopulation && !withheld.has(n.id));
      const nearest = (n: SizeTree): SizeTree[] =>
        n.children.flatMap((c) => (shown(c) ? [c] : nearest(c)));
      const walk = (n: SizeTree) => {
        if (shown(n))
          out.push({ id: n.id, left: n.size - nearest(n).reduce((sum, c) => sum + c.size, 0) });
        n.children.forEach(walk);
      };
      walk(root);
      return out;
    };

    it('leaves no shown unit, nor the organisation, that less the shown units below it is 1-7 people', () => {
      fc.assert(
        fc.property(treeArb, (root) => {
          const withheld = withheldInTree(root, rules);
          if (withheld.has(root.id)) return false;
          if (root.size < rules.minPopulation) return true;
          return leftOvers(root, withheld).every((x) => x.left === 0 || x.left >= 8);
        }),
        { numRuns: 1000 },
      );
    });

    it('hides a department with a manager directly in it, or a ward when the few are in no unit', () => {
      const ward = (id: string, size: number): SizeTree => ({ id, size, children: [] });
      // Department: 2 people directly in it above wards of 12 and 20.
      const department: SizeTree = {
        id: 'dept',
        size: 34,
        children: [ward('w1', 12), ward('w2', 20)],
      };
      const trust: SizeTree = {
        id: 'trust',
        size: 34 + 40,
        children: [department, ward('w3', 40)],
      };
      // The department's 2 join the trust's left-over: 2, so the smallest shown unit with a
      // left-over group of its own is hidden too: ward 1 (12).
      expect([...withheldInTree(trust, rules)].sort()).toEqual(['dept', 'w1']);
      // Nobody directly in the department, 3 people in no unit: the trust stays; of the units
      // just below it, ward 3 has a left-over group of its own (the department has none).
      const tidy: SizeTree = {
        id: 'trust',
        size: 32 + 40 + 3,
        children: [{ ...department, size: 32 }, ward('w3', 40)],
      };
      expect([...withheldInTree(tidy, rules)]).toEqual(['w3']);
      // A chain with nothing left over below: the root's one extra person is protected by
      // hiding the unit under it and then the one under that, until 8 or more are left over.
      // The people directly in a unit are a leaf of their own ("rest:"): when 12 sit directly in
      // U, its "Directly in U" row is shown, so U less its units and that row leaves A's 3.
      const leaf = (id: string, size: number): SizeTree => ({ id, size, children: [] });
      const u: SizeTree = {
        id: 'u',
        size: 58,
        children: [
          { id: 'a', size: 15, children: [leaf('a1', 12), leaf('rest:a', 3)] },
          leaf('b', 20),
          leaf('c', 11),
          leaf('rest:u', 12),
        ],
      };
      const org: SizeTree = { id: 'org', size: 58, children: [u, leaf('rest:org', 0)] };
      // U goes; the organisation (the same 58) less what is shown below would still leave the
      // 3, so the smallest unit below with a left-over group of its own (C) goes too.
      expect([...withheldInTree(org, rules)].sort()).toEqual(['a', 'c', 'u']);
      const chain: SizeTree = {
        id: 'trust',
        size: 11,
        children: [{ id: 'u1', size: 10, children: [ward('u2', 10)] }],
      };
      expect([...withheldInTree(chain, rules)].sort()).toEqual(['u1', 'u2']);
      // 8 or more left over anywhere: nothing is hidden.
      const roomy: SizeTree = {
        id: 'trust',
        size: 40 + 46 + 8,
        children: [{ ...department, size: 40 }, ward('w3', 46)],
      };
      expect([...withheldInTree(roomy, rules)]).toEqual([]);
    });
  });

  it('never rounds people to 0, even with a raised rounding base', () => {
    const raised = disclosureRules({ roundTo: 20 });
    expect(releaseCount(8, raised)).toEqual({ kind: 'count', value: 20 });
    expect(releaseCount(0, raised)).toEqual({ kind: 'count', value: 0 });
    expect(releaseCount(31, raised)).toEqual({ kind: 'count', value: 40 });
  });

  it('shows nothing for fewer than 10 people, or within 7 of a containing population', () => {
    fc.assert(
      fc.property(fc.nat({ max: 200 }), fc.nat({ max: 20 }), (size, difference) => {
        const verdict = checkPopulation({ size, containedIn: [size + difference] }, rules);
        const expected = size >= 10 && (difference === 0 || difference >= 8);
        return verdict.released === expected;
      }),
    );
    const [small] = release(
      [{ population: { size: 9, containedIn: [] }, rows: [{ cells: [9] }] }],
      rules,
    );
    expect(small).toEqual({ verdict: { released: false, reason: 'too-few' }, rows: [] });
  });

  it('walking back from the present, hides a quarter fewer than 8 people away from the next one shown', () => {
    const row = (changed: number) => ({
      cells: [40],
      population: { size: 40, containedIn: [], changed },
    });
    const [out] = release(
      [
        {
          population: { size: 40, containedIn: [] },
          rows: [row(40), row(3), row(4), row(0), row(9)],
        },
      ],
      rules,
    );
    // The present is shown; 9 changed since the quarter before: shown; 0 more: shown; then 4,
    // and 4 + 3 = 7, since the last one shown: hidden.
    expect(out?.rows.map((r) => r.verdict.released)).toEqual([false, false, true, true, true]);
  });

  it('hides a total within 7 people of one of its parts, not the part', () => {
    expect(checkPopulation({ size: 105, containedIn: [], contains: [100, 20] }, rules)).toEqual({
      released: false,
      reason: 'differencing',
    });
    expect(checkPopulation({ size: 130, containedIn: [], contains: [100, 20] }, rules)).toEqual({
      released: true,
    });
  });

  it('hides a total made of organisations when those too small to show add up to 1-7 people', () => {
    // A board of a trust (100), a practice (25) and a practice of 5: the total less the two
    // that are shown would describe the 5.
    expect(checkPopulation({ size: 130, containedIn: [], partition: [100, 25, 5] }, rules)).toEqual(
      { released: false, reason: 'sum-of-parts' },
    );
    // Two small ones of 6 and 4: 10 people left over, a group large enough to show anyway.
    expect(
      checkPopulation({ size: 130, containedIn: [], partition: [100, 20, 6, 4] }, rules),
    ).toEqual({ released: true });
  });
});

describe('disclosureRules', () => {
  it('can raise thresholds but never lower them', () => {
    expect(disclosureRules({ minPopulation: 20 }).minPopulation).toBe(20);
    for (const key of Object.keys(BASE_RULES) as (keyof typeof BASE_RULES)[]) {
      expect(() => disclosureRules({ [key]: BASE_RULES[key] - 1 })).toThrow(/never lowered/);
    }
  });

  it('keeps the differencing threshold above the small-count range when that is raised', () => {
    expect(disclosureRules({ smallCountMax: 10 }).minDifference).toBe(11);
  });
});
