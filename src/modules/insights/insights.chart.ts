/**
 * Server-rendered SVG charts for the insights pages (pure). Each chart is followed on the page
 * by a table of the same released figures, so nothing is only in the picture. Scales come from
 * d3-scale; every piece of text is escaped.
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { escapeHtml as esc } from '../../platform/forms.js';

export interface Bar {
  label: string;
  /** A share 0-100, or null when the figure is hidden (no bar is drawn). */
  value: number | null;
  /** What is written at the end of the bar ("40%", "hidden"). */
  text: string;
}

const COLOURS = { bar: '#005eb8', axis: '#4c6272', text: '#212b32', muted: '#4c6272' };
const FONT = 'Frutiger W01, Arial, sans-serif';
const n = (x: number) => String(Math.round(x * 10) / 10);

/** Horizontal bars of shares, one per label, on a 0-100% axis. */
export function horizontalBarChart(input: {
  id: string;
  title: string;
  description: string;
  bars: readonly Bar[];
}): string {
  const labelWidth = 250;
  const plotWidth = 360;
  const rowHeight = 26;
  const top = 24;
  const width = labelWidth + plotWidth + 60;
  const height = top + rowHeight * input.bars.length + 8;
  const x = scaleLinear()
    .domain([0, 100])
    .range([labelWidth, labelWidth + plotWidth]);
  const y = scaleBand<number>()
    .domain(input.bars.map((_, i) => i))
    .range([top, top + rowHeight * input.bars.length])
    .paddingInner(0.25);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 ${n(width)} ${n(height)}" width="100%" role="img" aria-labelledby="${esc(input.id)}-title ${esc(input.id)}-desc" focusable="false" font-family="${FONT}" font-size="13" fill="${COLOURS.text}">`,
    `<title id="${esc(input.id)}-title">${esc(input.title)}</title>`,
    `<desc id="${esc(input.id)}-desc">${esc(input.description)}</desc>`,
  ];
  for (const tick of [0, 25, 50, 75, 100]) {
    parts.push(
      `<line x1="${n(x(tick))}" x2="${n(x(tick))}" y1="${n(top - 4)}" y2="${n(height - 8)}" stroke="${COLOURS.axis}" stroke-width="${tick === 0 ? 1.5 : 0.5}" stroke-dasharray="${tick === 0 ? '' : '2 3'}"/>`,
      `<text x="${n(x(tick))}" y="${n(top - 8)}" text-anchor="middle" fill="${COLOURS.muted}">${String(tick)}%</text>`,
    );
  }
  input.bars.forEach((bar, i) => {
    const y0 = y(i) ?? top;
    const h = y.bandwidth();
    const label = bar.label.length > 38 ? `${bar.label.slice(0, 37)}…` : bar.label;
    parts.push(
      `<text x="${n(labelWidth - 8)}" y="${n(y0 + h / 2 + 4)}" text-anchor="end">${esc(label)}</text>`,
    );
    if (bar.value !== null) {
      const w = Math.max(0, x(bar.value) - x(0));
      parts.push(
        `<rect x="${n(x(0))}" y="${n(y0)}" width="${n(w)}" height="${n(h)}" fill="${COLOURS.bar}"/>`,
      );
    }
    const end = bar.value === null ? x(0) : x(bar.value);
    parts.push(
      `<text x="${n(end + 6)}" y="${n(y0 + h / 2 + 4)}" fill="${bar.value === null ? COLOURS.muted : COLOURS.text}">${esc(bar.text)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
