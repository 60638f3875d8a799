/**
 * Builds an insights report from the cube rows loaded for one view (pure): every table the page,
 * its charts and its exports show, each passed through the release function together, so what a
 * person sees, downloads or prints is always the same released figures.
 */
import { at, present } from './at.js';
import { NOW } from './contribution.js';
import { Counts, type CubeSlice, DIMENSIONS, type Dimension, type Filters } from './cube-slice.js';
import {
  type DisclosureRules,
  type Population,
  release,
  type ReleasedCount,
  type ReleasedTable,
  type SizeTree,
  type TableRequest,
} from './disclosure.js';

export type BreakdownDimension = Dimension | 'unit' | 'organisation';
type SizeMetric = 'people' | 'member';
/** The leaf of a unit tree for the people directly in a unit (or in no unit, at the top). */
const restNode = (id: string) => `rest:${id}`;

export interface ReportGroup {
  key: string;
  label: string;
  /** The group's own scope set (a child unit, a member organisation); absent for remainders. */
  scopeIds?: string[];
  /** A remainder (people directly in the unit): the view's counts less the other groups'. */
  remainder?: boolean;
}

export interface ReportStructure {
  /** Populations from the view's own up to the nation, each a set of scopes added together. */
  chain: string[][];
  /** Offered populations inside the view's own (a total's member organisations). */
  parts: string[][];
  /** The organisations that together make up a total, each once (see ViewLayout.partition). */
  partition?: string[][];
  filters: Filters;
  /** Up to two breakdown dimensions. */
  by: BreakdownDimension[];
  /** Groups for a 'unit' or 'organisation' breakdown. */
  scopeGroups: ReportGroup[];
  /** Labels for dimension values. */
  labels: Record<Dimension, ReadonlyMap<string, string>>;
  areas: readonly { code: string; name: string }[];
  statements: ReadonlyMap<string, { text: string; areaCode: string; level: number }>;
  /** The area breakdowns and trends are about (a framework area code). */
  focusArea: string | undefined;
  /** Invitations not yet accepted in the view's scope (not in the read model). */
  openInvitations: number;
  /** Today, for "the last 12 months" and the current quarter. */
  today: Date;
  /** How many quarters the trend shows. */
  quarters: number;
  /**
   * For a view inside one organisation: its whole unit tree and every unit's sizes (the sum-of-parts rule of
   * the release function, sum of parts). `sizes` holds every period at the view's filters,
   * `grouped` today's at each value of the breakdown dimensions (either may be the full cube).
   */
  unitTree?: {
    organisationId: string;
    roots: readonly TreeShape[];
    sizes: CubeSlice;
    grouped: CubeSlice;
  };
}

/** A unit and the units below it. */
export interface TreeShape {
  id: string;
  children: readonly TreeShape[];
}

export interface ReleasedFigure {
  label: string;
  count: ReleasedCount;
}

export interface InsightsReport {
  members: { verdict: ReleasedTable['verdict']; figures: ReleasedFigure[] };
  stops: {
    verdict: ReleasedTable['verdict'];
    rows: ReleasedFigure[];
    total: ReleasedCount | undefined;
  };
  capability: {
    verdict: ReleasedTable['verdict'];
    areas: {
      code: string;
      name: string;
      levels: ReleasedCount[];
      total: ReleasedCount | undefined;
      met: ReleasedCount | undefined;
      below: ReleasedCount | undefined;
      withTarget: ReleasedCount | undefined;
      validated: ReleasedCount | undefined;
    }[];
  };
  priorities: {
    areas: {
      code: string;
      name: string;
      below: ReleasedCount;
      withTarget: ReleasedCount | undefined;
    }[];
    statements: {
      id: string;
      text: string;
      areaCode: string;
      level: number;
      notMet: ReleasedCount;
    }[];
  };
  breakdown:
    | {
        by: BreakdownDimension[];
        area: { code: string; name: string };
        verdict: ReleasedTable['verdict'];
        rows: {
          labels: string[];
          verdict: ReleasedTable['verdict'];
          people: ReleasedCount | undefined;
          met: ReleasedCount | undefined;
          below: ReleasedCount | undefined;
        }[];
        totals: { people: ReleasedCount; met: ReleasedCount; below: ReleasedCount } | undefined;
      }
    | undefined;
  trend:
    | {
        area: { code: string; name: string };
        rows: {
          quarter: string;
          label: string;
          verdict: ReleasedTable['verdict'];
          people: ReleasedCount | undefined;
          met: ReleasedCount | undefined;
          withTarget: ReleasedCount | undefined;
        }[];
      }
    | undefined;
}

const LEVELS = [0, 1, 2, 3, 4];

/** Every subset of the filters (the filter itself included). */
function filterSubsets(filters: Filters): Filters[] {
  const set = DIMENSIONS.flatMap((d) => {
    const value = filters[d];
    return value === undefined ? [] : [[d, value] as const];
  });
  const out: Filters[] = [];
  for (let mask = 0; mask < 1 << set.length; mask++) {
    const f: Filters = {};
    set.forEach(([k, value], i) => {
      if (mask & (1 << i)) f[k] = value;
    });
    out.push(f);
  }
  return out;
}

const sameFilters = (a: Filters, b: Filters) => DIMENSIONS.every((d) => a[d] === b[d]);

/** 'q2026-1' → 'January to March 2026'. */
export function quarterLabel(quarter: string): string {
  const [year, n] = quarter.slice(1).split('-');
  const names = ['January to March', 'April to June', 'July to September', 'October to December'];
  return `${names[Number(n) - 1] ?? ''} ${year ?? ''}`;
}

function quartersUpTo(today: Date, count: number): string[] {
  const out: string[] = [];
  let year = today.getUTCFullYear();
  let q = Math.floor(today.getUTCMonth() / 3) + 1;
  for (let i = 0; i < count; i++) {
    out.unshift(`q${String(year)}-${String(q)}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      year -= 1;
    }
  }
  return out;
}

function lastTwelveMonths(today: Date): string[] {
  const out: string[] = [];
  for (let i = 0; i < 12; i++) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - i, 1));
    out.push(`sub:${String(d.getUTCFullYear())}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

export function buildReport(
  slice: CubeSlice,
  s: ReportStructure,
  rules: DisclosureRules,
): InsightsReport {
  const own = s.chain[0] ?? [];
  const counts = (scopes: readonly string[], filters: Filters, period = NOW) =>
    slice.counts(scopes, period, filters);
  const view = counts(own, s.filters);

  // Trend: each quarter's state is the sum of every quarter's changes up to it.
  const allQuarters = slice.periods(s.chain.flat()).filter((p) => p.startsWith('q'));
  const shown = quartersUpTo(s.today, s.quarters);
  const stateMemo = new Map<string, Counts>();
  const stateAt = (scopes: readonly string[], f: Filters, quarter: string): Counts => {
    const key = `${scopes.join(',')}|${quarter}|${DIMENSIONS.map((d) => f[d] ?? '~').join('|')}`;
    let found = stateMemo.get(key);
    if (!found) {
      const parts = allQuarters.filter((q) => q <= quarter).map((q) => counts(scopes, f, q));
      const values: number[] = [];
      for (const p of parts) p.values.forEach((v, i) => (values[i] = (values[i] ?? 0) + v));
      found = new Counts(values, view.ids);
      stateMemo.set(key, found);
    }
    return found;
  };

  /** Each population's size at the end of every quarter, from the first: running totals. */
  const seriesMemo = new Map<string, number[]>();
  const quarterIndex = new Map(allQuarters.map((q, i) => [q, i]));
  const seriesKeys = new WeakMap<readonly string[], string>();
  /** A population's size (people or members), today or at the end of a quarter. */
  const sizeAt = (
    scopes: readonly string[],
    f: Filters,
    metric: SizeMetric,
    quarter?: string,
  ): number => {
    if (quarter === undefined) return slice.metric(scopes, NOW, f, metric);
    let scopeKey = seriesKeys.get(scopes);
    if (scopeKey === undefined) seriesKeys.set(scopes, (scopeKey = scopes.join(',')));
    const key = `${scopeKey}|${metric}|${DIMENSIONS.map((d) => f[d] ?? '~').join('|')}`;
    let series = seriesMemo.get(key);
    if (!series) {
      let n = 0;
      series = allQuarters.map((q) => (n += slice.metric(scopes, q, f, metric)));
      seriesMemo.set(key, series);
    }
    // A quarter with no changes anywhere is not in the list: the latest one before it counts.
    const i = quarterIndex.get(quarter);
    if (i !== undefined) return series[i] ?? 0;
    let last = 0;
    allQuarters.forEach((q, j) => {
      if (q <= quarter) last = series[j] ?? 0;
    });
    return last;
  };

  // The sum-of-parts rule: the same population's sizes over the organisation's unit tree.
  const treeMemo = new Map<string, SizeTree>();
  /** `quarter` undefined: today; otherwise the state at the end of that quarter. */
  const treeOf = (
    metric: 'people' | 'member',
    f: Filters,
    quarter?: string,
  ): SizeTree | undefined => {
    const u = s.unitTree;
    if (!u) return undefined;
    const key = `${metric}|${quarter ?? NOW}|${DIMENSIONS.map((d) => f[d] ?? '~').join('|')}`;
    let found = treeMemo.get(key);
    if (found) return found;
    const grouped = DIMENSIONS.some((d) => f[d] !== undefined && s.filters[d] === undefined);
    const sizeOf = (id: string) => {
      if (quarter === undefined)
        return (grouped ? u.grouped : u.sizes).metric([id], NOW, f, metric);
      let n = 0;
      for (const q of allQuarters) if (q <= quarter) n += u.sizes.metric([id], q, f, metric);
      return n;
    };
    // Every node also has a leaf for the people directly in it (the "Directly in" rows).
    const withRest = (id: string, size: number, units: SizeTree[]): SizeTree => ({
      id,
      size,
      children: [
        ...units,
        {
          id: restNode(id),
          size: Math.max(0, size - units.reduce((sum, u) => sum + u.size, 0)),
          children: [],
        },
      ],
    });
    const build = (node: TreeShape): SizeTree =>
      withRest(node.id, sizeOf(node.id), node.children.map(build));
    found = withRest(
      u.organisationId,
      sizeAt([u.organisationId], f, metric, quarter),
      u.roots.map(build),
    );
    treeMemo.set(key, found);
    return found;
  };
  /** The tree to check a unit's (or the organisation's) population against, if any. */
  const inTree = (
    node: string | undefined,
    metric: 'people' | 'member',
    f: Filters,
    quarter?: string,
  ): Pick<Population, 'tree'> => {
    const root = treeOf(metric, f, quarter);
    return root && node ? { tree: { root, node } } : {};
  };
  const ownNode = s.unitTree ? own[0] : undefined;

  /** The sizes of every offered population containing (scope sets from `chain`, filters). */
  const containing = (
    chain: readonly (readonly string[])[],
    filters: Filters,
    metric: SizeMetric,
    quarter?: string,
  ): number[] => {
    const out: number[] = [];
    chain.forEach((scopes, i) => {
      for (const f of filterSubsets(filters)) {
        if (i === 0 && sameFilters(f, filters)) continue;
        out.push(sizeAt(scopes, f, metric, quarter));
      }
    });
    return out;
  };
  const people = (c: Counts) => c.get('people');
  const members = (c: Counts) => c.get('member');
  const population = (c: Counts, of: (c: Counts) => number, containedIn: number[]): Population => ({
    size: of(c),
    containedIn,
  });
  /** The sizes of the offered parts of the view's population (a total's organisations). */
  const partsMemo = new Map<string, number[]>();
  const partsOf = (metric: SizeMetric, f: Filters = s.filters, quarter?: string) => {
    const key = `${metric}|${quarter ?? NOW}|${DIMENSIONS.map((d) => f[d] ?? '~').join('|')}`;
    let sizes = partsMemo.get(key);
    if (!sizes) {
      // Sizes add up over scopes: an ICB's total is the sum of its organisations', each read once.
      const each = new Map<string, number>();
      const one = (id: string) => {
        let n = each.get(id);
        if (n === undefined) each.set(id, (n = sizeAt([id], f, metric, quarter)));
        return n;
      };
      sizes = s.parts.map((p) => p.reduce((sum, id) => sum + one(id), 0));
      partsMemo.set(key, sizes);
    }
    return sizes;
  };
  // A national or board total's organisations usually open its list of parts: reuse their sizes.
  const partition = s.partition ?? [];
  const partitionLeadsParts = partition.every((p, i) => s.parts[i] === p);
  const partitionOf = (metric: SizeMetric, f: Filters = s.filters, quarter?: string) =>
    partitionLeadsParts
      ? partsOf(metric, f, quarter).slice(0, partition.length)
      : partition.map((p) => sizeAt(p, f, metric, quarter));

  const tables: TableRequest[] = [];
  const push = (t: TableRequest) => tables.push(t) - 1;

  // Participation.
  const memberPopulation: Population = {
    ...population(view, members, containing(s.chain, s.filters, 'member')),
    contains: partsOf('member'),
    partition: partitionOf('member'),
    ...inTree(ownNode, 'member', s.filters),
  };
  const submitted12 = lastTwelveMonths(s.today).reduce((sum, m) => sum + view.get(m), 0);
  // In scope = invited + joined: a line whose total is shown, so suppression protects it.
  const scopeTable = push({
    population: memberPopulation,
    rows: [{ cells: [s.openInvitations, view.get('member')] }],
    rowTotals: [s.openInvitations + view.get('member')],
  });
  const membersTable = push({
    population: memberPopulation,
    rows: [{ cells: [view.get('started'), submitted12, view.get('inprogress')] }],
  });
  const stopKeys = ['start', ...s.areas.map((a) => a.code)];
  const stopsTable = push({
    population: memberPopulation,
    rows: stopKeys.map((k) => ({ cells: [view.get(`stop:${k}`)] })),
    columnTotals: [view.get('inprogress')],
  });

  // Capability.
  const resultsPopulation: Population = {
    ...population(view, people, containing(s.chain, s.filters, 'people')),
    contains: partsOf('people'),
    partition: partitionOf('people'),
    ...inTree(ownNode, 'people', s.filters),
  };
  const levelTable = push({
    population: resultsPopulation,
    rows: s.areas.map((a) => ({
      cells: LEVELS.map((l) => view.get(`level:${a.code}:${String(l)}`)),
    })),
    rowTotals: s.areas.map((a) =>
      LEVELS.reduce((n, l) => n + view.get(`level:${a.code}:${String(l)}`), 0),
    ),
  });
  const targetTable = push({
    population: resultsPopulation,
    rows: s.areas.map((a) => ({
      cells: [view.get(`met:${a.code}`), view.get(`target:${a.code}`) - view.get(`met:${a.code}`)],
    })),
    rowTotals: s.areas.map((a) => view.get(`target:${a.code}`)),
  });
  const validTable = push({
    population: resultsPopulation,
    rows: s.areas.map((a) => ({ cells: [view.get(`valid:${a.code}`)] })),
  });
  const unmet = [...view.withPrefix('unmet:')].filter(([id]) => s.statements.has(id));
  const unmetTable = push({
    population: resultsPopulation,
    rows: unmet.map(([, n]) => ({ cells: [n] })),
  });

  // Breakdown.
  // Without a chosen area, breakdowns and quarters are about the first priority area: the one
  // with most people below target in the released figures (released on their own here, by the
  // same rules and data, so the choice reveals nothing the page does not show).
  const firstPriority = (): string | undefined => {
    const [alone] = release([at(tables, targetTable)], rules);
    if (!alone?.verdict.released) return undefined;
    let best: { code: string; n: number } | undefined;
    alone.rows.forEach((row, i) => {
      const below = row.cells[1];
      const n = below?.kind === 'count' ? below.value : below?.kind === 'small' ? 4 : 0;
      const code = s.areas[i]?.code;
      if (code && n > 0 && (!best || n > best.n)) best = { code, n };
    });
    return best?.code;
  };
  const focusCode = s.focusArea ?? firstPriority();
  const focus = s.areas.find((a) => a.code === focusCode) ?? s.areas[0];
  let breakdownIndex: number | undefined;
  let breakdownRows: { labels: string[] }[] = [];
  if (s.by.length > 0 && focus) {
    const cells = (c: Counts) => [
      c.get('people'),
      c.get(`met:${focus.code}`),
      c.get(`target:${focus.code}`) - c.get(`met:${focus.code}`),
    ];
    const dims = s.by.filter((d): d is Dimension => (DIMENSIONS as readonly string[]).includes(d));
    const scopeDim = s.by.find((d) => d === 'unit' || d === 'organisation');
    const rows: TableRequest['rows'][number][] = [];
    const labelOf = (d: Dimension, v: string) =>
      v === '' ? 'Not recorded' : (s.labels[d].get(v) ?? v);
    const addDimensionRows = (
      scopes: readonly string[],
      chain: readonly (readonly string[])[],
      prefix: string[],
      /** The rows are the view's own population split up: checked as the filtered page is. */
      own = false,
      /** The unit these rows are about (sum of parts), when in an organisation's tree. */
      node?: string,
    ) => {
      if (dims.length === 0) return;
      const groups = slice.groups(scopes, NOW, s.filters, dims);
      const sorted = [...groups].sort(([a], [b]) => a.localeCompare(b));
      for (const [key, c] of sorted) {
        const values = key.split('|');
        const f: Filters = { ...s.filters };
        dims.forEach((d, i) => (f[d] = at(values, i)));
        breakdownRows.push({
          labels: [...prefix, ...dims.map((d, i) => labelOf(d, at(values, i)))],
        });
        rows.push({
          cells: cells(c),
          population: {
            ...population(c, people, containing(chain, f, 'people')),
            ...(own ? { contains: partsOf('people', f), partition: partitionOf('people', f) } : {}),
            ...inTree(node, 'people', f),
          },
        });
      }
    };
    if (scopeDim) {
      const groups = s.scopeGroups.filter((g) => !g.remainder);
      for (const g of groups) {
        const c = counts(g.scopeIds ?? [], s.filters);
        const chain = [g.scopeIds ?? [], ...s.chain];
        if (dims.length === 0) {
          breakdownRows.push({ labels: [g.label] });
          rows.push({
            cells: cells(c),
            population: {
              ...population(c, people, containing(chain, s.filters, 'people')),
              ...inTree(s.unitTree ? g.scopeIds?.[0] : undefined, 'people', s.filters),
            },
          });
        } else {
          addDimensionRows(
            g.scopeIds ?? [],
            chain,
            [g.label],
            false,
            s.unitTree ? g.scopeIds?.[0] : undefined,
          );
        }
      }
      // The people directly in the unit (or in no unit): the view less its groups, as a row of
      // its own (within each value of a second breakdown), checked against the view and against
      // the same remainder under every filter it could be seen with.
      const rest = s.scopeGroups.find((g) => g.remainder);
      const remainderOf = (f: Filters): Counts => {
        const values = [...counts(own, f).values];
        for (const g of groups)
          counts(g.scopeIds ?? [], f).values.forEach((v, i) => (values[i] = (values[i] ?? 0) - v));
        return new Counts(values, view.ids);
      };
      const keys =
        dims.length === 0
          ? [{ f: s.filters, labels: [] as string[] }]
          : [...slice.groups(own, NOW, s.filters, dims).keys()].sort().map((key) => {
              const values = key.split('|');
              const f: Filters = { ...s.filters };
              dims.forEach((d, i) => (f[d] = at(values, i)));
              return { f, labels: dims.map((d, i) => labelOf(d, at(values, i))) };
            });
      for (const { f, labels } of keys) {
        const r = remainderOf(f);
        if (!rest || r.get('people') <= 0) continue;
        breakdownRows.push({ labels: [rest.label, ...labels] });
        rows.push({
          cells: cells(r),
          population: {
            size: r.get('people'),
            containedIn: [
              ...filterSubsets(f).map((sub) => counts(own, sub).get('people')),
              ...containing(s.chain, f, 'people'),
              ...filterSubsets(f)
                .filter((sub) => !sameFilters(sub, f))
                .map((sub) => remainderOf(sub).get('people')),
            ],
            // The people directly in the unit are a leaf of the unit tree of their own.
            ...inTree(ownNode === undefined ? undefined : restNode(ownNode), 'people', f),
          },
        });
      }
    } else {
      addDimensionRows(own, s.chain, [], true, ownNode);
    }
    breakdownIndex = push({ population: resultsPopulation, rows, columnTotals: cells(view) });
  } else {
    breakdownRows = [];
  }

  let trendIndex: number | undefined;
  if (focus) {
    trendIndex = push({
      population: resultsPopulation,
      rows: shown.map((q) => {
        const c = stateAt(own, s.filters, q);
        return {
          cells: [c.get('people'), c.get(`met:${focus.code}`), c.get(`target:${focus.code}`)],
          population: {
            size: c.get('people'),
            containedIn: containing(s.chain, s.filters, 'people', q),
            contains: partsOf('people', s.filters, q),
            partition: partitionOf('people', s.filters, q),
            changed: counts(own, s.filters, q).get('flow'),
            ...inTree(ownNode, 'people', s.filters, q),
          },
        };
      }),
    });
  }

  const released = release(tables, rules);
  const t = (i: number) => at(released, i);

  const m = t(membersTable);
  const sc = t(scopeTable);
  const [invited, joined] = sc.rows[0]?.cells ?? [];
  const [started, submitted, inProgress] = m.rows[0]?.cells ?? [];
  const figures: ReleasedFigure[] = m.verdict.released
    ? [
        {
          label: 'People in scope (joined or invited)',
          count: present(at(sc.rows, 0).total, 'the in-scope total'),
        },
        { label: 'Invited but not yet joined', count: present(invited, 'the invited count') },
        { label: 'Joined', count: present(joined, 'the joined count') },
        { label: 'Started a self-assessment', count: present(started, 'the started count') },
        {
          label: 'Submitted in the last 12 months',
          count: present(submitted, 'the submitted count'),
        },
        {
          label: 'Self-assessment in progress',
          count: present(inProgress, 'the in-progress count'),
        },
      ]
    : [];

  const st = t(stopsTable);
  const areaName = new Map(s.areas.map((a) => [a.code, a.name]));
  const stops = {
    verdict: st.verdict,
    rows: st.rows.map((r, i) => {
      const key = at(stopKeys, i);
      return {
        label: key === 'start' ? 'Not yet answered an area' : `${key} ${areaName.get(key) ?? ''}`,
        count: at(r.cells, 0),
      };
    }),
    total: st.columnTotals?.[0],
  };

  const lv = t(levelTable);
  const tg = t(targetTable);
  const vd = t(validTable);
  const capability = {
    verdict: lv.verdict,
    areas: lv.verdict.released
      ? s.areas.map((a, i) => ({
          code: a.code,
          name: a.name,
          levels: at(lv.rows, i).cells,
          total: at(lv.rows, i).total,
          met: tg.rows[i]?.cells[0],
          below: tg.rows[i]?.cells[1],
          withTarget: tg.rows[i]?.total,
          validated: vd.rows[i]?.cells[0],
        }))
      : [],
  };

  const rank = (c: ReleasedCount | undefined) =>
    c?.kind === 'count' ? c.value : c?.kind === 'small' ? 4 : -1;
  const priorities = {
    areas: capability.areas
      .flatMap(({ code, name, below, withTarget }) =>
        below && rank(below) > 0 ? [{ code, name, below, withTarget }] : [],
      )
      .sort((a, b) => rank(b.below) - rank(a.below)),
    statements: t(unmetTable)
      .rows.map((r, i) => {
        const [id] = at(unmet, i);
        const st = present(s.statements.get(id), `statement ${id}`);
        return {
          id,
          text: st.text,
          areaCode: st.areaCode,
          level: st.level,
          notMet: at(r.cells, 0),
        };
      })
      .filter((x) => rank(x.notMet) > 0)
      .sort((a, b) => rank(b.notMet) - rank(a.notMet) || a.id.localeCompare(b.id))
      .slice(0, 10),
  };

  let breakdown: InsightsReport['breakdown'];
  if (breakdownIndex !== undefined && focus) {
    const b = t(breakdownIndex);
    breakdown = {
      by: s.by,
      area: focus,
      verdict: b.verdict,
      rows: b.verdict.released
        ? breakdownRows.map((r, i) => ({
            labels: r.labels,
            verdict: at(b.rows, i).verdict,
            people: at(b.rows, i).cells[0],
            met: at(b.rows, i).cells[1],
            below: at(b.rows, i).cells[2],
          }))
        : [],
      totals:
        b.verdict.released && b.columnTotals
          ? {
              people: at(b.columnTotals, 0),
              met: at(b.columnTotals, 1),
              below: at(b.columnTotals, 2),
            }
          : undefined,
    };
  }

  let trend: InsightsReport['trend'];
  if (trendIndex !== undefined && focus) {
    const tr = t(trendIndex);
    trend = {
      area: focus,
      rows: tr.verdict.released
        ? shown.map((q, i) => ({
            quarter: q,
            label: quarterLabel(q),
            verdict: at(tr.rows, i).verdict,
            people: at(tr.rows, i).cells[0],
            met: at(tr.rows, i).cells[1],
            withTarget: at(tr.rows, i).cells[2],
          }))
        : [],
    };
  }

  return {
    members: { verdict: m.verdict, figures },
    stops,
    capability,
    priorities,
    breakdown,
    trend,
  };
}
