/**
 * Server-rendered SVG charts of a results snapshot: each area's level with its target marked,
 * and the change in each area between two snapshots. Pure: data in, SVG text out, built only
 * from escaped parts. Accessible as one image (role="img" with a title and a description that
 * says where the same data is as a table); colour never carries meaning alone: bars are
 * labelled in the legend and the table that follows every chart has every number.
 *
 * Presentation attributes (fill, stroke) rather than style attributes, so the strict CSP (no
 * inline styles) holds; classes let the print stylesheet adjust them.
 */
import { escapeHtml } from '../../platform/forms.js';
import type { AreaResult } from './assessment.model.js';

/** NHS identity colours with enough contrast against white (WCAG 1.4.11, 3:1 for graphics). */
export const CHART_COLOURS = {
  /** NHS Blue #005eb8: 5.1:1 on white. */
  level: '#005eb8',
  /** NHS Mid Grey #768692: 3.6:1 on white. */
  earlier: '#768692',
  /** NHS Black #212b32: the target mark (with a white halo, so it shows on a bar too). */
  target: '#212b32',
  text: '#212b32',
  grid: '#aeb7bd',
} as const;

const FONT = 'Frutiger W01, Arial, sans-serif';
const LABEL_RIGHT = 345;
const PLOT_X = 355;
const PER_LEVEL = 90;
const PLOT_RIGHT = PLOT_X + 4 * PER_LEVEL;
const TOP = 44;

const esc = escapeHtml;
const n = (value: number) => String(Math.round(value * 10) / 10);

/** A bar's length; level 0 gets a short stub, so "below level 1" differs from "not assessed". */
const barWidth = (level: number) => (level === 0 ? 3 : level * PER_LEVEL);

/** An area's label in charts: "6.3 Evaluating AI systems". */
export const areaLabel = (a: { areaCode: string; areaName: string }) =>
  `${a.areaCode} ${a.areaName}`;

const levelWords = (level: number) => (level === 0 ? 'below level 1' : `level ${String(level)}`);

/** One side of a comparison in words, for the chart's tooltips. */
function comparedWords(level: ComparedLevel, which: 'earlier' | 'later'): string {
  if (level === null) return `not in the ${which} assessment`;
  if (level === NOT_RELEVANT) return 'not relevant to your role';
  return levelWords(level);
}

/**
 * Who is reading: the person who took the assessment ("your level"), or someone it is shared
 * with, for whom the words name the person ("Priya Sharma’s level", "their target").
 */
export type Audience = { kind: 'owner' } | { kind: 'viewer'; ownerName: string };

export const OWNER: Audience = { kind: 'owner' };

/** "Priya Sharma’s", for headings and labels that name the person. */
export const possessive = (name: string) => `${name}’s`;

/** The words that change with the audience. */
export function audienceWords(audience: Audience) {
  if (audience.kind === 'owner')
    return {
      theirLevel: 'Your level',
      theirLevelInText: 'your level',
      their: 'your',
      legend: 'Your level',
    };
  const theirLevel = `${possessive(audience.ownerName)} level`;
  // The legend has a fixed width: the title above it already names the person.
  return { theirLevel, theirLevelInText: theirLevel, their: 'their', legend: 'Their level' };
}

/**
 * An area the person answered entirely "not relevant to my role": the engine records level 0,
 * but it is not a gap and is not shown as one.
 */
export const isNotRelevant = (a: Pick<AreaResult, 'answered' | 'notRelevant'>) =>
  a.answered === 0 && a.notRelevant > 0;

/** Areas below their target that count as gaps (not those marked not relevant). */
export const countsAsGap = (a: AreaResult) => a.shortfall > 0 && !isNotRelevant(a);

function openSvg(id: string, width: number, height: number, title: string, desc: string) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 ${n(width)} ${n(height)}" width="100%" role="img" aria-labelledby="${esc(id)}-title ${esc(id)}-desc" focusable="false" font-family="${FONT}" font-size="13" fill="${CHART_COLOURS.text}">`,
    `<title id="${esc(id)}-title">${esc(title)}</title>`,
    `<desc id="${esc(id)}-desc">${esc(desc)}</desc>`,
  ];
}

/** Vertical grid lines at levels 0–4 with their numbers above, and the axis name. */
function levelAxis(bottom: number): string[] {
  const out = [
    `<text class="app-chart__axis-title" x="${n(LABEL_RIGHT)}" y="${n(TOP - 22)}" text-anchor="end" font-weight="bold">Level</text>`,
  ];
  for (let level = 0; level <= 4; level += 1) {
    const x = PLOT_X + level * PER_LEVEL;
    out.push(
      `<line class="app-chart__grid" x1="${n(x)}" x2="${n(x)}" y1="${n(TOP - 12)}" y2="${n(bottom)}" stroke="${CHART_COLOURS.grid}" stroke-width="1"/>`,
      `<text class="app-chart__tick" x="${n(x)}" y="${n(TOP - 22)}" text-anchor="middle">${String(level)}</text>`,
    );
  }
  return out;
}

/** The target mark: a dark bar across the row with a white halo, visible on white and on blue. */
function targetMark(x: number, y1: number, y2: number): string[] {
  return [
    `<line class="app-chart__target-halo" x1="${n(x)}" x2="${n(x)}" y1="${n(y1)}" y2="${n(y2)}" stroke="#ffffff" stroke-width="7"/>`,
    `<line class="app-chart__target" x1="${n(x)}" x2="${n(x)}" y1="${n(y1)}" y2="${n(y2)}" stroke="${CHART_COLOURS.target}" stroke-width="3"/>`,
  ];
}

function legend(
  y: number,
  items: readonly { kind: 'bar' | 'target'; colour?: string; text: string }[],
): string[] {
  const out = [`<g class="app-chart__legend">`];
  let x = PLOT_X;
  for (const item of items) {
    if (item.kind === 'bar')
      out.push(
        `<rect x="${n(x)}" y="${n(y - 11)}" width="24" height="14" fill="${item.colour ?? CHART_COLOURS.level}"/>`,
      );
    else out.push(...targetMark(x + 12, y - 14, y + 6));
    out.push(`<text x="${n(x + 32)}" y="${n(y)}">${esc(item.text)}</text>`);
    x += 40 + item.text.length * 7;
  }
  // The legend starts under the plot; a long one moves left to stay inside the picture.
  out.push('</g>');
  return out;
}

/**
 * A horizontal bar chart: one row per area (in the order given), the bar the person's level
 * (0–4), a mark at the target level where the area has one.
 */
export function levelChartSvg(
  areas: readonly AreaResult[],
  options: { id?: string; title?: string; audience?: Audience } = {},
): string {
  const id = options.id ?? 'level-chart';
  const words = audienceWords(options.audience ?? OWNER);
  const row = 30;
  const bar = 16;
  const plotBottom = TOP + areas.length * row;
  const height = plotBottom + 44;
  const below = areas.filter(countsAsGap).length;
  const notRelevant = areas.filter(isNotRelevant).length;
  const title =
    options.title ?? `${words.theirLevel} in each area, with ${words.their} target level marked`;
  const desc =
    `Bar chart of ${String(areas.length)} areas. Each bar is ${words.theirLevelInText}, from 0 (below level 1) ` +
    `to 4; a vertical mark shows the target level for ${words.their} archetypes where the area has one. ` +
    `${String(below)} ${below === 1 ? 'area is' : 'areas are'} below target. ` +
    (notRelevant > 0
      ? `${String(notRelevant)} ${notRelevant === 1 ? 'area was' : 'areas were'} marked not relevant to ${words.their} role and ${notRelevant === 1 ? 'has' : 'have'} no bar. `
      : '') +
    'The table that follows has the same information.';
  const out = openSvg(id, PLOT_RIGHT + 30, height, title, desc);
  out.push(...levelAxis(plotBottom));
  areas.forEach((a, i) => {
    const y = TOP + i * row;
    const barY = y + (row - bar) / 2;
    const target =
      a.targetLevel > 0 ? `, target ${levelWords(a.targetLevel)}` : ', no target for this area';
    const label = `<text class="app-chart__label" x="${n(LABEL_RIGHT)}" y="${n(y + row / 2 + 4)}" text-anchor="end">${esc(areaLabel(a))}</text>`;
    if (isNotRelevant(a)) {
      // No bar and no target mark: a level-0 stub beside a target would read as a gap.
      const text = `Not relevant to ${words.their} role`;
      out.push(
        `<g class="app-chart__row app-chart__row--not-relevant" data-area="${esc(a.areaCode)}">`,
        `<title>${esc(`${areaLabel(a)}: ${text.toLowerCase()}`)}</title>`,
        label,
        `<text class="app-chart__not-relevant" x="${n(PLOT_X + 4)}" y="${n(y + row / 2 + 4)}" font-size="12">${esc(text)}</text>`,
        '</g>',
      );
      return;
    }
    out.push(
      `<g class="app-chart__row" data-area="${esc(a.areaCode)}">`,
      `<title>${esc(`${areaLabel(a)}: ${levelWords(a.level)}${target}`)}</title>`,
      label,
      `<rect class="app-chart__bar" data-level="${String(a.level)}" x="${n(PLOT_X)}" y="${n(barY)}" width="${n(barWidth(a.level))}" height="${n(bar)}" fill="${CHART_COLOURS.level}"/>`,
    );
    if (a.targetLevel > 0) {
      out.push(
        `<g class="app-chart__target-mark" data-target="${String(a.targetLevel)}">`,
        ...targetMark(PLOT_X + a.targetLevel * PER_LEVEL, y + 2, y + row - 2),
        '</g>',
      );
    }
    out.push('</g>');
  });
  out.push(
    ...legend(plotBottom + 30, [
      { kind: 'bar', text: words.legend },
      { kind: 'target', text: 'Target level' },
    ]),
    '</svg>',
  );
  return out.join('');
}

/** What a comparison shows for an area answered entirely "not relevant to my role". */
export const NOT_RELEVANT = 'not-relevant';

/**
 * An area's level in one snapshot as a comparison shows it: the level, NOT_RELEVANT for an area
 * the person answered entirely "not relevant to my role" (the engine's level 0 is no level), or
 * null when the snapshot does not have the area.
 */
export type ComparedLevel = number | typeof NOT_RELEVANT | null;

/** An area's level, or NOT_RELEVANT (see isNotRelevant). */
export const comparedLevel = (a: AreaResult): Exclude<ComparedLevel, null> =>
  isNotRelevant(a) ? NOT_RELEVANT : a.level;

export interface ChangeRow {
  areaCode: string;
  areaName: string;
  /** The level in the earlier snapshot, NOT_RELEVANT, or null when the area was not in it. */
  from: ComparedLevel;
  /** The level in the later snapshot, NOT_RELEVANT, or null when the area is not in it. */
  to: ComparedLevel;
}

/**
 * The change in level, or null when there is none to speak of: the area is in only one
 * snapshot, or was "not relevant" in exactly one (neither a rise nor a fall). "Not relevant" in
 * both is no change.
 */
export function levelChange(row: Pick<ChangeRow, 'from' | 'to'>): number | null {
  const { from, to } = row;
  if (from === null || to === null) return null;
  if (from === NOT_RELEVANT || to === NOT_RELEVANT) return from === to ? 0 : null;
  return to - from;
}

/** "+1", "−2", "No change", or why there is no number. */
export function changeText(row: Pick<ChangeRow, 'from' | 'to'>): string {
  if (row.from === null) return 'New area';
  if (row.to === null) return 'Not assessed';
  const d = levelChange(row);
  if (d === null) return 'Not compared';
  if (d === 0) return 'No change';
  return d > 0 ? `+${String(d)}` : `−${String(-d)}`;
}

/**
 * Paired bars per area: the earlier level (grey) above the later one (blue), and the change as
 * text at the end of the row. An area missing from one snapshot has one bar and says so.
 */
export function comparisonChartSvg(
  rows: readonly ChangeRow[],
  labels: { from: string; to: string },
  options: { id?: string } = {},
): string {
  const id = options.id ?? 'comparison-chart';
  const row = 40;
  const bar = 12;
  const plotBottom = TOP + rows.length * row;
  const width = PLOT_RIGHT + 110;
  const height = plotBottom + 44;
  const up = rows.filter((r) => (levelChange(r) ?? 0) > 0).length;
  const down = rows.filter((r) => (levelChange(r) ?? 0) < 0).length;
  const title = `Your level in each area: ${labels.from} compared with ${labels.to}`;
  const desc =
    `Bar chart of ${String(rows.length)} areas. For each area the upper bar is your level on ` +
    `${labels.from} and the lower bar your level on ${labels.to}, from 0 to 4; the change is ` +
    `written at the end of the row. ${String(up)} went up and ${String(down)} went down. ` +
    (rows.some((r) => r.from === NOT_RELEVANT || r.to === NOT_RELEVANT)
      ? 'An area marked not relevant to your role has no bar there and is not counted as a change. '
      : '') +
    'The table that follows has the same information.';
  const out = openSvg(id, width, height, title, desc);
  out.push(...levelAxis(plotBottom));
  out.push(
    `<text class="app-chart__axis-title" x="${n(width - 8)}" y="${n(TOP - 22)}" text-anchor="end" font-weight="bold">Change</text>`,
  );
  rows.forEach((r, i) => {
    const y = TOP + i * row;
    const change = changeText(r);
    out.push(
      `<g class="app-chart__row" data-area="${esc(r.areaCode)}">`,
      `<title>${esc(`${areaLabel(r)}: ${comparedWords(r.from, 'earlier')} then ${comparedWords(r.to, 'later')}`)}</title>`,
      `<text class="app-chart__label" x="${n(LABEL_RIGHT)}" y="${n(y + row / 2 + 4)}" text-anchor="end">${esc(areaLabel(r))}</text>`,
    );
    const pair: [ComparedLevel, string, string, number][] = [
      [r.from, CHART_COLOURS.earlier, 'from', y + row / 2 - bar - 1],
      [r.to, CHART_COLOURS.level, 'to', y + row / 2 + 1],
    ];
    for (const [level, colour, which, barY] of pair) {
      if (level === null)
        out.push(
          `<text class="app-chart__missing" x="${n(PLOT_X + 4)}" y="${n(barY + bar - 2)}" font-size="11">Not assessed</text>`,
        );
      else if (level === NOT_RELEVANT)
        out.push(
          `<text class="app-chart__not-relevant" x="${n(PLOT_X + 4)}" y="${n(barY + bar - 2)}" font-size="11">Not relevant</text>`,
        );
      else
        out.push(
          `<rect class="app-chart__bar app-chart__bar--${which}" data-level="${String(level)}" x="${n(PLOT_X)}" y="${n(barY)}" width="${n(barWidth(level))}" height="${n(bar)}" fill="${colour}"/>`,
        );
    }
    out.push(
      `<text class="app-chart__change" x="${n(width - 8)}" y="${n(y + row / 2 + 4)}" text-anchor="end" font-weight="bold">${esc(change)}</text>`,
      '</g>',
    );
  });
  out.push(
    ...legend(plotBottom + 30, [
      { kind: 'bar', colour: CHART_COLOURS.earlier, text: labels.from },
      { kind: 'bar', colour: CHART_COLOURS.level, text: labels.to },
    ]),
    '</svg>',
  );
  return out.join('');
}
