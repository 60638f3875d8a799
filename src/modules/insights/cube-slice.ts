/**
 * Sums over cube rows already loaded for a view (pure). Organisation and national scopes have
 * roll-up rows ('*' for a dimension summed over), so their figures are read from one row per
 * group; unit scopes have only full rows, which are added up. Either way the caller asks the
 * same question: "the counts for this scope, period and filter, grouped by these dimensions".
 */
import { ALL } from './contribution.js';
import type { CubeRow } from './insights.repository.js';

export const DIMENSIONS = ['profession', 'setting', 'archetype'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Filters = Partial<Record<Dimension, string>>;

export class Counts {
  constructor(
    readonly values: number[],
    readonly ids: ReadonlyMap<string, number>,
  ) {}

  get(metric: string): number {
    const id = this.ids.get(metric);
    return id === undefined ? 0 : (this.values[id - 1] ?? 0);
  }

  /** Every metric whose name starts with `prefix`, without the prefix, and its count (non-zero). */
  withPrefix(prefix: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const [name, id] of this.ids) {
      if (!name.startsWith(prefix)) continue;
      const n = this.values[id - 1] ?? 0;
      if (n !== 0) out.set(name.slice(prefix.length), n);
    }
    return out;
  }
}

function addInto(target: number[], source: readonly number[]) {
  for (let i = 0; i < source.length; i++) target[i] = (target[i] ?? 0) + (source[i] ?? 0);
}

export class CubeSlice {
  /** Rows by scope, then by period. */
  private readonly byScope = new Map<string, Map<string, CubeRow[]>>();
  private readonly memo = new Map<string, Counts>();

  constructor(
    rows: readonly CubeRow[],
    private readonly ids: ReadonlyMap<string, number>,
    /** Scopes that hold roll-up rows (the nation, organisations). */
    private readonly rollupScopes: ReadonlySet<string>,
  ) {
    for (const row of rows) {
      let periods = this.byScope.get(row.scopeId);
      if (!periods) this.byScope.set(row.scopeId, (periods = new Map<string, CubeRow[]>()));
      let list = periods.get(row.period);
      if (!list) periods.set(row.period, (list = []));
      list.push(row);
    }
  }

  private matching(
    scopeId: string,
    period: string,
    filters: Filters,
    groupBy: readonly Dimension[],
  ) {
    const rollup = this.rollupScopes.has(scopeId);
    return (this.byScope.get(scopeId)?.get(period) ?? []).filter((row) => {
      for (const d of DIMENSIONS) {
        const wanted = filters[d];
        if (wanted !== undefined) {
          if (row[d] !== wanted) return false;
        } else if (groupBy.includes(d)) {
          if (row[d] === ALL) return false;
        } else if (rollup && row[d] !== ALL) return false;
      }
      return true;
    });
  }

  /** The counts of one or more scopes (added together) for a period and filter. */
  counts(scopeIds: readonly string[], period: string, filters: Filters = {}): Counts {
    // A report asks for the same population many times (each table's differencing checks).
    const key = `${scopeIds.join(',')}|${period}|${DIMENSIONS.map((d) => filters[d] ?? '\u0000').join('|')}`;
    const known = this.memo.get(key);
    if (known) return known;
    const values: number[] = [];
    for (const scopeId of scopeIds)
      for (const row of this.matching(scopeId, period, filters, [])) addInto(values, row.counts);
    const counts = new Counts(values, this.ids);
    this.memo.set(key, counts);
    return counts;
  }

  /**
   * One metric of one or more scopes (added together): `counts(…).get(metric)` without adding up
   * the rest. Called for every part of a national total under every filter, so it reads the
   * scope's rows for the period directly instead of building a key to remember the answer.
   */
  metric(scopeIds: readonly string[], period: string, filters: Filters, metric: string): number {
    const id = this.ids.get(metric);
    if (id === undefined) return 0;
    const { profession, setting, archetype } = filters;
    let n = 0;
    for (const scopeId of scopeIds) {
      const rows = this.byScope.get(scopeId)?.get(period);
      if (!rows) continue;
      const rollup = this.rollupScopes.has(scopeId);
      for (const row of rows) {
        if (
          profession !== undefined
            ? row.profession !== profession
            : rollup && row.profession !== ALL
        )
          continue;
        if (setting !== undefined ? row.setting !== setting : rollup && row.setting !== ALL)
          continue;
        if (archetype !== undefined ? row.archetype !== archetype : rollup && row.archetype !== ALL)
          continue;
        n += row.counts[id - 1] ?? 0;
      }
    }
    return n;
  }

  /** The counts grouped by dimension values (key: values joined by '|', in `groupBy` order). */
  groups(
    scopeIds: readonly string[],
    period: string,
    filters: Filters,
    groupBy: readonly Dimension[],
  ): Map<string, Counts> {
    const sums = new Map<string, number[]>();
    for (const scopeId of scopeIds) {
      for (const row of this.matching(scopeId, period, filters, groupBy)) {
        const key = groupBy.map((d) => row[d]).join('|');
        let values = sums.get(key);
        if (!values) sums.set(key, (values = []));
        addInto(values, row.counts);
      }
    }
    // A group whose every count has gone back to 0 (its people left or were erased) is not one.
    return new Map(
      [...sums]
        .filter(([, v]) => v.some((n) => n !== 0))
        .map(([k, v]) => [k, new Counts(v, this.ids)]),
    );
  }

  /** Periods present for these scopes (quarters for trends). */
  periods(scopeIds: readonly string[]): string[] {
    const set = new Set<string>();
    for (const id of scopeIds)
      for (const period of this.byScope.get(id)?.keys() ?? []) set.add(period);
    return [...set].sort();
  }
}
