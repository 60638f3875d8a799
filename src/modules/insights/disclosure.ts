/**
 * The release function: the one place where an aggregate figure becomes something a person may
 * see. Every count on every insights page, chart and export (and, later, cohort needs) passes
 * through `release`. Pure: no I/O, no clock, no randomness, so the same figures always give
 * the same output and a property test can drive it. The rules, in plain language for an
 * information governance lead, are in docs/insights-disclosure.md.
 *
 * 1. A population (the people a table is about) under `minPopulation` (10) shows nothing.
 * 2. A population that differs from any other population the views offer that contains it by
 *    1 to `minDifference − 1` (7) people shows nothing either (differencing): comparing the two
 *    would describe those few people. The larger population is kept, the smaller hidden.
 * 3. A count of 1 to `smallCountMax` (7) is shown as "1-7"; every other count is rounded to the
 *    nearest `roundTo` (5); 0 stays 0. Shares are worked out from the rounded counts.
 * 4. Complementary suppression: where a row or column adds up to a total that is shown, and
 *    exactly one of its cells is hidden (whatever it holds, 0 included), the next smallest
 *    non-zero cell is hidden too, or the total when there is none, until no hidden cell can be
 *    recovered by subtraction.
 * 5. No mean or median from fewer than `minForAverage` (8) people.
 * 6. Sum of parts (rule 5 in docs/insights-disclosure.md), in an organisation's unit tree: a unit's figures less those of the units
 *    below it that are shown describe the people left over (those directly in the unit, and in
 *    units too small to show). Where 1 to `minDifference − 1` (7) people are left over, the unit
 *    is hidden, and the people left over join its parent's. The organisation itself is always
 *    kept: when a few people are left over there (people in no unit, say), the smallest unit
 *    below it whose own left-over group is large enough is hidden instead (`withheldInTree`).
 */
import { at } from './at.js';

export interface DisclosureRules {
  /** No figures at all for fewer people than this. */
  minPopulation: number;
  /** Counts from 1 to this are shown as "1-7". */
  smallCountMax: number;
  /** Other counts are rounded to the nearest multiple of this. */
  roundTo: number;
  /** No mean or median from fewer people than this. */
  minForAverage: number;
  /** Two offered populations, one inside the other, must differ by 0 or at least this. */
  minDifference: number;
}

/** The floor: configuration may raise any of these, never lower them. */
export const BASE_RULES: Readonly<DisclosureRules> = Object.freeze({
  minPopulation: 10,
  smallCountMax: 7,
  roundTo: 5,
  minForAverage: 8,
  minDifference: 8,
});

/** Rules with some values raised; a value below the floor is refused (throws). */
export function disclosureRules(raised: Partial<DisclosureRules> = {}): DisclosureRules {
  const rules = { ...BASE_RULES, ...raised };
  for (const key of Object.keys(BASE_RULES) as (keyof DisclosureRules)[]) {
    const value = rules[key];
    if (!Number.isInteger(value) || value < BASE_RULES[key])
      throw new Error(
        `Disclosure rule ${key} must be a whole number of at least ${String(BASE_RULES[key])} (got ${String(value)}): thresholds can be raised, never lowered`,
      );
  }
  // Small counts must stay below the differencing and population thresholds, or "1-7" could leak.
  if (rules.minDifference <= rules.smallCountMax) rules.minDifference = rules.smallCountMax + 1;
  return rules;
}

/** A figure as released: a rounded count, "1-7", or hidden to protect another hidden figure. */
export type ReleasedCount =
  { kind: 'count'; value: number } | { kind: 'small' } | { kind: 'hidden' };

export type PopulationVerdict =
  { released: true } | { released: false; reason: 'too-few' | 'differencing' | 'sum-of-parts' };

/** A population: how many people it has, and the sizes of offered populations containing it. */
export interface Population {
  size: number;
  /** Every other population the views offer that contains this one (parent unit, no filter…). */
  containedIn: readonly number[];
  /**
   * The sizes of offered populations inside this one (the organisations in an ICB's total or in
   * the nation): a total within 1-7 people of one of its parts is hidden, not the part.
   */
  contains?: readonly number[];
  /**
   * The sizes of the disjoint parts that together make up this population (the organisations in
   * an ICB's total or the nation): the population is hidden when it is within 1-7 people of the
   * sum of the parts that are large enough to show, since it minus them describes the rest.
   */
  partition?: readonly number[];
  /**
   * For rows in time order (quarters, the last being the present): how many people's figures
   * changed during this row's period. Walking back from the present, a row is released only
   * when the people changed between it and the next released row (later) are 0 or at least
   * `minDifference`, so no quarter minus another, or minus today's figures, describes a few
   * people. (People changing in two of those quarters count twice.)
   */
  changed?: number;
  /**
   * For a unit or an organisation: the same population's sizes over the organisation's whole
   * unit tree, and which node this population is (sum of parts: rule 6 here, rule 5 in the docs).
   */
  tree?: { root: SizeTree; node: string };
}

/** One population's sizes over an organisation's unit tree: a node, its size, the units below. */
export interface SizeTree {
  id: string;
  size: number;
  children: readonly SizeTree[];
}

const withheldMemo = new WeakMap<SizeTree, Map<DisclosureRules, ReadonlySet<string>>>();
const sizesMemo = new WeakMap<SizeTree, ReadonlyMap<string, number>>();

/** Every node's size, by id (memoised per tree). */
function sizesInTree(root: SizeTree): ReadonlyMap<string, number> {
  let sizes = sizesMemo.get(root);
  if (!sizes) {
    const out = new Map<string, number>();
    const walk = (n: SizeTree) => {
      out.set(n.id, n.size);
      n.children.forEach(walk);
    };
    walk(root);
    sizesMemo.set(root, (sizes = out));
  }
  return sizes;
}

/**
 * Rule 6 (the docs' rule 5): the nodes of an organisation's tree (`root` is the organisation) whose figures are
 * hidden because they less the shown units below them would describe 1-7 people. Bottom-up, a
 * unit with enough people is shown unless its left-over group (its size less the sizes of the
 * nearest shown units below it) is 1-7 people; a hidden unit's left-over people join its
 * parent's. The root is always shown: if 1-7 people are left over there, the smallest of the
 * nearest shown nodes below it whose own left-over group is `minDifference` or more is hidden,
 * which adds that group to the root's (failing one, the smallest of them, whose place is then
 * taken by the shown nodes below it, until enough are left over). Pure and memoised per tree.
 */
export function withheldInTree(root: SizeTree, rules: DisclosureRules): ReadonlySet<string> {
  const memo = withheldMemo.get(root)?.get(rules);
  if (memo) return memo;
  const withheld = new Set<string>();
  const residual = new Map<SizeTree, number>();
  const frontier = new Map<SizeTree, SizeTree[]>();
  const few = (n: number) => n > 0 && n < rules.minDifference;
  /** The nearest shown nodes at or below `node`. */
  const visit = (node: SizeTree): SizeTree[] => {
    const below = node.children.flatMap(visit);
    frontier.set(node, below);
    const left = node.size - below.reduce((sum, n) => sum + n.size, 0);
    residual.set(node, left);
    if (node === root) return [node];
    if (node.size < rules.minPopulation) return below;
    if (few(left)) {
      withheld.add(node.id);
      return below;
    }
    return [node];
  };
  visit(root);
  let left = residual.get(root) ?? 0;
  let shownBelow = frontier.get(root) ?? [];
  const bySize = (a: SizeTree, b: SizeTree) => a.size - b.size || a.id.localeCompare(b.id);
  while (root.size >= rules.minPopulation && few(left) && shownBelow.length > 0) {
    // Hiding a node adds its own left-over group to the root's: prefer one with 8 or more.
    const pick =
      shownBelow.filter((n) => (residual.get(n) ?? 0) >= rules.minDifference).sort(bySize)[0] ??
      [...shownBelow].sort(bySize)[0];
    if (!pick) break;
    withheld.add(pick.id);
    left += residual.get(pick) ?? 0;
    shownBelow = [...shownBelow.filter((n) => n !== pick), ...(frontier.get(pick) ?? [])];
  }
  let byRules = withheldMemo.get(root);
  if (!byRules) withheldMemo.set(root, (byRules = new Map<DisclosureRules, ReadonlySet<string>>()));
  byRules.set(rules, withheld);
  return withheld;
}

export interface TableRequest {
  /** Whom the whole table is about. */
  population: Population;
  /**
   * One line per row: its cells (true counts) and, for a row that is a population of its own
   * (a breakdown group), that population; its verdict hides the row.
   */
  rows: readonly { cells: readonly number[]; population?: Population }[];
  /**
   * When each row's cells add up to a total shown beside them (a distribution: levels 0-4),
   * give the totals; complementary suppression then works along rows.
   */
  rowTotals?: readonly number[];
  /** Likewise for columns: a totals row that is shown (each column's sum over the rows). */
  columnTotals?: readonly number[];
}

export interface ReleasedRow {
  verdict: PopulationVerdict;
  /** Empty when the row is not released. */
  cells: ReleasedCount[];
  total?: ReleasedCount;
}

export interface ReleasedTable {
  verdict: PopulationVerdict;
  /** Empty when the table is not released. */
  rows: ReleasedRow[];
  columnTotals?: ReleasedCount[];
}

export function checkPopulation(p: Population, rules: DisclosureRules): PopulationVerdict {
  if (p.size < rules.minPopulation) return { released: false, reason: 'too-few' };
  for (const size of p.containedIn) {
    const difference = size - p.size;
    if (difference > 0 && difference < rules.minDifference)
      return { released: false, reason: 'differencing' };
  }
  for (const size of p.contains ?? []) {
    const difference = p.size - size;
    if (difference > 0 && difference < rules.minDifference)
      return { released: false, reason: 'differencing' };
  }
  if (p.partition && p.partition.length > 0) {
    const shown = p.partition
      .filter((size) => size >= rules.minPopulation)
      .reduce((a, b) => a + b, 0);
    const rest = p.size - shown;
    if (rest > 0 && rest < rules.minDifference) return { released: false, reason: 'sum-of-parts' };
  }
  // Fail closed: a tree that does not hold this population at its own size hides it.
  if (
    p.tree &&
    (withheldInTree(p.tree.root, rules).has(p.tree.node) ||
      sizesInTree(p.tree.root).get(p.tree.node) !== p.size)
  )
    return { released: false, reason: 'sum-of-parts' };
  return { released: true };
}

/** One count on its own: 0, "1-7", or rounded to the nearest 5 (halves round up). */
export function releaseCount(n: number, rules: DisclosureRules): ReleasedCount {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`a count must be a whole number (got ${String(n)})`);
  if (n === 0) return { kind: 'count', value: 0 };
  if (n <= rules.smallCountMax) return { kind: 'small' };
  // Never to 0: with a raised rounding base (say 20), 8 people must not read as nobody.
  return {
    kind: 'count',
    value: Math.max(rules.roundTo, Math.round(n / rules.roundTo) * rules.roundTo),
  };
}

/** A share (0-100, whole per cent) from two released counts; null unless both are numbers. */
export function releasedShare(part: ReleasedCount, whole: ReleasedCount): number | null {
  if (part.kind !== 'count' || whole.kind !== 'count' || whole.value === 0) return null;
  return Math.min(100, Math.round((part.value / whole.value) * 100));
}

/** A mean of the values, or null from fewer than `minForAverage` people. */
export function releaseMean(values: readonly number[], rules: DisclosureRules): number | null {
  if (values.length < rules.minForAverage) return null;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

const isSuppressed = (c: ReleasedCount) => c.kind !== 'count';

/** The cell at [row, column] of a grid whose lines were built from the same rows. */
const cellAt = <T>(grid: readonly (readonly T[])[], [r, c]: readonly [number, number]): T =>
  at(at(grid, r), c);

interface Line {
  cells: [number, number][];
  totalShown: boolean;
  /** Hides the line's total (when there is no cell left to hide beside a lone hidden one). */
  hideTotal(): void;
}

/**
 * Hides further figures along each line (row or column) whose total is shown and which has
 * exactly one hidden cell: the smallest non-zero visible cell, or a visible 0, or, when there is
 * none, the line's total. A hidden cell counts whatever it holds, 0 included: its reader does not know it is 0,
 * and recovering "nobody in this small group" would describe each of them. Repeats until nothing
 * changes. `truth` holds the true counts; `out` the released ones (changed in place).
 */
function complementarySuppression(
  truth: readonly (readonly number[])[],
  out: ReleasedCount[][],
  lines: Line[],
): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      if (!line.totalShown) continue;
      const hidden = line.cells.filter((rc) => isSuppressed(cellAt(out, rc)));
      if (hidden.length !== 1) continue;
      const candidates = line.cells
        .filter((rc) => !isSuppressed(cellAt(out, rc)) && cellAt(truth, rc) > 0)
        .sort((a, b) => cellAt(truth, a) - cellAt(truth, b));
      // Failing a cell with people, a shown 0 (its reader then cannot tell it was 0), and only
      // then the total, which other tables may show anyway.
      const next = candidates[0] ?? line.cells.find((rc) => !isSuppressed(cellAt(out, rc)));
      if (next) at(out, next[0])[next[1]] = { kind: 'hidden' };
      else {
        line.hideTotal();
        line.totalShown = false;
      }
      changed = true;
    }
  }
}

/** Applies every rule to a batch of tables: the only way figures leave the insights module. */
export function release(tables: readonly TableRequest[], rules: DisclosureRules): ReleasedTable[] {
  return tables.map((table) => releaseTable(table, rules));
}

function releaseTable(table: TableRequest, rules: DisclosureRules): ReleasedTable {
  const verdict = checkPopulation(table.population, rules);
  if (!verdict.released) return { verdict, rows: [] };
  const rowVerdicts: PopulationVerdict[] = table.rows.map((row) =>
    row.population ? checkPopulation(row.population, rules) : { released: true },
  );
  // Rows in time order, the last being the present: walk back from it, counting the people
  // changed since the next released row.
  let changedSince = 0;
  let anchored = false;
  for (let r = table.rows.length - 1; r >= 0; r--) {
    const changed = table.rows[r]?.population?.changed;
    if (changed === undefined) continue;
    if (anchored && at(rowVerdicts, r).released) {
      if (changedSince > 0 && changedSince < rules.minDifference) {
        rowVerdicts[r] = { released: false, reason: 'differencing' };
        changedSince += changed;
        continue;
      }
    }
    if (at(rowVerdicts, r).released) {
      anchored = true;
      changedSince = changed;
    } else if (anchored) changedSince += changed;
  }
  // Hidden rows count as wholly hidden cells for the column lines.
  const truth = table.rows.map((row) => row.cells);
  const out: ReleasedCount[][] = table.rows.map((row, r) =>
    at(rowVerdicts, r).released
      ? row.cells.map((n) => releaseCount(n, rules))
      : row.cells.map(() => ({ kind: 'hidden' }) as const),
  );
  const width = Math.max(0, ...table.rows.map((r) => r.cells.length));
  const lines: Line[] = [];
  const rowTotals = table.rowTotals?.map((n) => releaseCount(n, rules));
  const columnTotals = table.columnTotals?.map((n) => releaseCount(n, rules));
  if (rowTotals) {
    table.rows.forEach((row, r) => {
      lines.push({
        cells: row.cells.map((_, c) => [r, c] as [number, number]),
        totalShown: at(rowVerdicts, r).released && rowTotals[r]?.kind === 'count',
        hideTotal: () => {
          rowTotals[r] = { kind: 'hidden' };
        },
      });
    });
  }
  if (columnTotals) {
    for (let c = 0; c < width; c++) {
      lines.push({
        cells: table.rows
          .map((_, r) => [r, c] as [number, number])
          .filter(([r]) => c < at(truth, r).length),
        totalShown: columnTotals[c]?.kind === 'count',
        hideTotal: () => {
          columnTotals[c] = { kind: 'hidden' };
        },
      });
    }
  }
  // A row hidden by its population verdict, in a table whose rows add up to a shown total
  // column-wise, is itself a hidden line element: the loop above treats its cells as hidden.
  complementarySuppression(truth, out, lines);
  return {
    verdict,
    rows: table.rows.map((_, r) => {
      const released = at(rowVerdicts, r);
      const row: ReleasedRow = { verdict: released, cells: released.released ? at(out, r) : [] };
      if (rowTotals && released.released) row.total = rowTotals[r];
      return row;
    }),
    ...(columnTotals ? { columnTotals } : {}),
  };
}
