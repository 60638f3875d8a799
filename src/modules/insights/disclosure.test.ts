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
  type TableRequest,
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
        const hiddenWithPeople = (cells: { truth: number; kind: string }[]) =>
          cells.filter((c) => c.kind !== 'count' && c.truth > 0).length;
        if (table.rowTotals) {
          for (const [r, row] of table.rows.entries()) {
            const released = out.rows[r];
            if (!released?.verdict.released || released.total?.kind !== 'count') continue;
            const cells = row.cells.map((truth, c) => ({
              truth,
              kind: released.cells[c]?.kind ?? 'hidden',
            }));
            if (hiddenWithPeople(cells) === 1) return false;
          }
        }
        if (table.columnTotals && out.columnTotals) {
          for (let c = 0; c < 5; c++) {
            if (out.columnTotals[c]?.kind !== 'count') continue;
            const cells = table.rows.map((row, r) => ({
              truth: row.cells[c] ?? 0,
              kind: out.rows[r]?.verdict.released
                ? (out.rows[r].cells[c]?.kind ?? 'hidden')
                : 'hidden',
            }));
            const visibleWithPeople = cells.filter((x) => x.kind === 'count' && x.truth > 0).length;
            // One hidden cell with people is allowed only when nothing is left to hide beside it.
            if (hiddenWithPeople(cells) === 1 && visibleWithPeople > 0) return false;
          }
        }
        return true;
      }),
      { numRuns: 500 },
    );
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
