/**
 * The portfolio page's view model: the person's evidence grouped by area in framework order, a
 * filter by area (a GET form, so it works without JavaScript and can be bookmarked), and the
 * exports. Pure.
 */
import { escapeHtml } from '../../platform/forms.js';
import {
  areaText,
  evidenceHref,
  fileDetailsText,
  formatDate,
  kindLabel,
  NEW_EVIDENCE_HREF,
  statementText,
} from './evidence.presenter.js';
import type { DescribedEvidence } from './evidence.service.js';
import type { AreaGroup } from './portfolio.export.js';

const NOTICES = { deleted: 'The evidence has been deleted.' } as const;
export type PortfolioNotice = keyof typeof NOTICES;

/** The area filter from the query string: an area code, or '' for all. */
export function parsePortfolioQuery(query: unknown): { area: string } {
  const q = query && typeof query === 'object' ? (query as Record<string, unknown>) : {};
  const area = typeof q.area === 'string' ? q.area.trim() : '';
  return { area: /^[0-9]+(\.[0-9]+)*$/.test(area) ? area : '' };
}

function evidenceCellHtml(item: DescribedEvidence): string {
  const lines = [`<a href="${escapeHtml(evidenceHref(item.id))}">${escapeHtml(item.title)}</a>`];
  const extra: string[] = [];
  if (item.statement) extra.push(`Statement: ${statementText(item.statement)}`);
  if (item.kind === 'reflection')
    extra.push(
      item.resource
        ? `On: ${item.resource.title} (${item.resource.provider})`
        : 'On: a resource no longer in the catalogue',
    );
  if (item.kind === 'file')
    extra.push(`${item.fileName ?? 'File'} (${fileDetailsText(item.fileType, item.fileSize)})`);
  if (item.kind === 'link' && item.url) extra.push(item.url);
  for (const e of extra) lines.push(`<span class="nhsuk-body-s">${escapeHtml(e)}</span>`);
  return lines.join('<br>');
}

export function portfolioPage(
  portfolio: { ownerName: string; groups: readonly AreaGroup[]; items: readonly unknown[] },
  options: { area?: string; notice?: PortfolioNotice } = {},
) {
  const area = options.area ?? '';
  const selected = area ? portfolio.groups.filter((g) => g.areaCode === area) : portfolio.groups;
  const total = portfolio.items.length;
  const areaOptions = portfolio.groups.map((g) => ({
    value: g.areaCode,
    text: `${areaText(g.areaCode, g.areaName)} (${String(g.items.length)})`,
    selected: g.areaCode === area,
  }));
  return {
    pageTitle: 'Your portfolio',
    breadcrumbArgs: [{ text: 'Your home', href: '/home' }],
    notice: options.notice ? NOTICES[options.notice] : undefined,
    total,
    summaryText:
      total === 0
        ? ''
        : `You have ${String(total)} ${total === 1 ? 'piece' : 'pieces'} of evidence in ${String(portfolio.groups.length)} ${portfolio.groups.length === 1 ? 'area' : 'areas'}.`,
    addHref: NEW_EVIDENCE_HREF,
    pdfHref: '/portfolio/export.pdf',
    jsonHref: '/portfolio/export.json',
    filtered: area !== '',
    filterSelectArgs: {
      id: 'area',
      name: 'area',
      label: { text: 'Show evidence for', size: 's' },
      items: [{ value: '', text: 'All areas', selected: area === '' }, ...areaOptions],
    },
    allHref: '/portfolio',
    noneInArea: area !== '' && selected.length === 0,
    groups: selected.map((g) => ({
      id: `area-${g.areaCode.replace(/\./g, '-')}`,
      heading: areaText(g.areaCode, g.areaName),
      addHref: `${NEW_EVIDENCE_HREF}?${new URLSearchParams({ area: g.areaCode }).toString()}`,
      addText: `Add evidence in ${areaText(g.areaCode, g.areaName)}`,
      tableArgs: {
        responsive: true,
        head: [{ text: 'Evidence' }, { text: 'Kind' }, { text: 'Added' }],
        rows: g.items.map((item) => [
          { header: 'Evidence', html: evidenceCellHtml(item) },
          { header: 'Kind', text: kindLabel(item.kind) },
          { header: 'Added', text: formatDate(item.createdAt) },
        ]),
      },
    })),
  };
}
