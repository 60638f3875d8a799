/**
 * The released report as plain tables (pure): the page's tables, the CSV and the XLSX export are
 * all made from these, so a download holds exactly what the page shows, after suppression.
 */
import type { PopulationVerdict, ReleasedCount } from './disclosure.js';
import { releasedShare } from './disclosure.js';
import { BREAKDOWN_LABELS } from './insights-query.form.js';
import type { InsightsPage } from './insights.service.js';

/** A cell: a number, or text ("1-7", "hidden", a share "40%", a label). */
export type FigureCell = string | number;

export interface FigureTable {
  id: string;
  title: string;
  /** What the table is about, in a sentence. */
  description: string;
  columns: string[];
  /** How many leading columns are labels (the rest hold figures). */
  labelColumns?: number;
  rows: FigureCell[][];
  /** Set when the whole table is hidden: why, in plain words. */
  hidden?: string;
}

export const SMALL_TEXT = '1-7';
export const HIDDEN_TEXT = 'hidden';
export const NO_SHARE = '–';

/** "1-7", or "1-9" where the small-count threshold has been raised to 9. */
let smallText = SMALL_TEXT;

export function countCell(c: ReleasedCount | undefined): FigureCell {
  if (!c) return HIDDEN_TEXT;
  if (c.kind === 'count') return c.value;
  return c.kind === 'small' ? smallText : HIDDEN_TEXT;
}

export function shareCell(
  part: ReleasedCount | undefined,
  whole: ReleasedCount | undefined,
): FigureCell {
  const share = part && whole ? releasedShare(part, whole) : null;
  return share === null ? NO_SHARE : `${String(share)}%`;
}

export function verdictText(
  verdict: PopulationVerdict,
  rules: { minPopulation: number; minDifference: number },
): string | undefined {
  if (verdict.released) return undefined;
  if (verdict.reason === 'too-few')
    return `Fewer than ${String(rules.minPopulation)} people; figures are hidden to protect privacy.`;
  if (verdict.reason === 'sum-of-parts')
    return `Hidden because taking the figures of the groups below it or beside it (units, or organisations) away from a larger group shown elsewhere would leave fewer than ${String(rules.minDifference)} people (people directly in a unit above its teams, or in teams or organisations too small to show), and describe them. The units below it may still be shown.`;
  return `Hidden because this group differs from another group shown elsewhere, inside it or around it, by fewer than ${String(rules.minDifference)} people, so comparing the two could describe those few people.`;
}

export function figureTables(page: InsightsPage): FigureTable[] {
  const { report, rules } = page;
  smallText = `1-${String(rules.smallCountMax)}`;
  const hidden = (v: PopulationVerdict) => verdictText(v, rules);
  const tables: FigureTable[] = [];

  const participationHidden = hidden(report.members.verdict);
  tables.push({
    id: 'participation',
    title: 'Participation',
    description:
      'How many people are in scope, have joined, started and submitted a self-assessment.',
    columns: ['Stage', 'People'],
    rows: report.members.figures.map((f) => [f.label, countCell(f.count)]),
    ...(participationHidden ? { hidden: participationHidden } : {}),
  });

  const stopsHidden = hidden(report.stops.verdict);
  tables.push({
    id: 'where-people-stop',
    title: 'Where self-assessments in progress have reached',
    description: 'The area at which each self-assessment still in progress is waiting.',
    columns: ['Area', 'Self-assessments in progress'],
    rows: [
      ...report.stops.rows.map((r) => [r.label, countCell(r.count)]),
      ...(report.stops.total ? [['Total', countCell(report.stops.total)]] : []),
    ],
    ...(stopsHidden ? { hidden: stopsHidden } : {}),
  });

  const capabilityHidden = hidden(report.capability.verdict);
  tables.push({
    id: 'capability',
    title: 'Capability by area',
    description: 'People at each level in each area, from their latest submitted self-assessment.',
    columns: [
      'Area',
      'Below level 1',
      'Level 1',
      'Level 2',
      'Level 3',
      'Level 4',
      'People with a level',
    ],
    rows: report.capability.areas.map((a) => [
      `${a.code} ${a.name}`,
      ...a.levels.map(countCell),
      countCell(a.total),
    ]),
    ...(capabilityHidden ? { hidden: capabilityHidden } : {}),
  });
  tables.push({
    id: 'targets',
    title: 'Targets and validated levels by area',
    description:
      "How many people are at or above their archetype's target in each area, and how many have had their level validated by a line manager or educator.",
    columns: [
      'Area',
      'At or above target',
      'Below target',
      'Share at or above target',
      'Validated',
      'Share validated',
    ],
    rows: report.capability.areas.map((a) => [
      `${a.code} ${a.name}`,
      countCell(a.met),
      countCell(a.below),
      shareCell(a.met, a.withTarget),
      countCell(a.validated),
      shareCell(a.validated, a.total),
    ]),
    ...(capabilityHidden ? { hidden: capabilityHidden } : {}),
  });

  tables.push({
    id: 'priority-areas',
    title: 'Priority areas',
    description: 'Areas ranked by how many people are below their target there.',
    columns: ['Area', 'People below target', 'People with a target'],
    rows: report.priorities.areas.map((a) => [
      `${a.code} ${a.name}`,
      countCell(a.below),
      countCell(a.withTarget),
    ]),
    ...(capabilityHidden ? { hidden: capabilityHidden } : {}),
  });
  tables.push({
    id: 'priority-statements',
    title: 'Statements most often not met',
    description:
      'Capability statements within people’s targets that they said they cannot do yet or are only starting to, in areas where they are below target.',
    columns: ['Statement', 'Area', 'Level', 'People not meeting it'],
    rows: report.priorities.statements.map((s) => [
      s.text,
      s.areaCode,
      s.level,
      countCell(s.notMet),
    ]),
    ...(capabilityHidden ? { hidden: capabilityHidden } : {}),
  });

  if (report.breakdown) {
    const b = report.breakdown;
    const breakdownHidden = hidden(b.verdict);
    tables.push({
      id: 'breakdown',
      title: `By ${b.by.map((d) => BREAKDOWN_LABELS[d].toLowerCase()).join(' and ')}: ${b.area.code} ${b.area.name}`,
      description: `People with results in each group, and how many are at or above, or below, their target in ${b.area.code} ${b.area.name}.`,
      labelColumns: b.by.length,
      columns: [
        ...b.by.map((d) => BREAKDOWN_LABELS[d]),
        'People with results',
        'At or above target',
        'Below target',
        'Share at or above target',
      ],
      rows: [
        ...b.rows.map((r) =>
          r.verdict.released
            ? [
                ...r.labels,
                countCell(r.people),
                countCell(r.met),
                countCell(r.below),
                shareCell(r.met, sumCounts(r.met, r.below)),
              ]
            : [...r.labels, HIDDEN_TEXT, HIDDEN_TEXT, HIDDEN_TEXT, NO_SHARE],
        ),
        ...(b.totals
          ? [
              [
                ...b.by.map((_, i) => (i === 0 ? 'Total' : '')),
                countCell(b.totals.people),
                countCell(b.totals.met),
                countCell(b.totals.below),
                shareCell(b.totals.met, sumCounts(b.totals.met, b.totals.below)),
              ],
            ]
          : []),
      ],
      ...(breakdownHidden ? { hidden: breakdownHidden } : {}),
    });
  }

  if (report.trend) {
    const t = report.trend;
    const trendHidden = hidden(report.capability.verdict);
    tables.push({
      id: 'trend',
      title: `Quarter by quarter: ${t.area.code} ${t.area.name}`,
      description:
        'Each quarter counts each person once, by their latest results submitted by the end of it.',
      columns: [
        'Quarter',
        'People with results',
        'At or above target',
        'People with a target',
        'Share at or above target',
      ],
      rows: t.rows.map((r) =>
        r.verdict.released
          ? [
              r.label,
              countCell(r.people),
              countCell(r.met),
              countCell(r.withTarget),
              shareCell(r.met, r.withTarget),
            ]
          : [r.label, HIDDEN_TEXT, HIDDEN_TEXT, HIDDEN_TEXT, NO_SHARE],
      ),
      ...(trendHidden ? { hidden: trendHidden } : {}),
    });
  }
  return tables;
}

/** met + below as released counts: a number only when both are numbers. */
function sumCounts(
  a: ReleasedCount | undefined,
  b: ReleasedCount | undefined,
): ReleasedCount | undefined {
  if (a?.kind === 'count' && b?.kind === 'count')
    return { kind: 'count', value: a.value + b.value };
  return undefined;
}

/** The disclosure rules in plain language, with the values in force (page, CSV and XLSX). */
export function rulesText(rules: InsightsPage['rules']): string[] {
  return [
    'These figures are about groups of people, never about a person.',
    `No figures are shown for a group of fewer than ${String(rules.minPopulation)} people.`,
    `Counts from 1 to ${String(rules.smallCountMax)} are shown as "1-${String(rules.smallCountMax)}"; other counts are rounded to the nearest ${String(rules.roundTo)}. Shares are worked out from the rounded counts.`,
    `Where a hidden figure could be worked out from a total and the other figures, another figure is hidden too ("${HIDDEN_TEXT}").`,
    `A group that differs from a larger group shown elsewhere (the unit above, the same group without a filter, the quarter before) by fewer than ${String(rules.minDifference)} people is hidden.`,
    `A unit whose figures, less those of the units below it, would describe fewer than ${String(rules.minDifference)} people is hidden too.`,
    'Each person is counted once, by their latest submitted self-assessment.',
  ];
}
