/**
 * View models for the insights pages (pure): the released report → headings, the filter form,
 * drill-down links, charts and NHS.UK table arguments. Figures come only from figureTables,
 * the same tables the exports hold.
 */
import { escapeHtml, type FieldError, errorMessageFor, selectItems } from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import { type Actor, organisationChrome } from '../organisations/index.js';
import { releasedShare } from './disclosure.js';
import { horizontalBarChart } from './insights.chart.js';
import {
  BREAKDOWN_LABELS,
  type InsightsQueryValues,
  NOT_RECORDED,
  queryString,
} from './insights-query.form.js';
import { type FigureCell, figureTables, rulesText } from './insights-tables.js';
import type { InsightsPage } from './insights.service.js';

const formatCell = (c: FigureCell) => (typeof c === 'number' ? c.toLocaleString('en-GB') : c);

function tableArgs(columns: string[], rows: FigureCell[][], caption: string, labelColumns = 1) {
  return {
    caption,
    captionSize: 's',
    responsive: true,
    firstCellIsHeader: true,
    head: columns.map((text, i) => ({ text, ...(i >= labelColumns ? { format: 'numeric' } : {}) })),
    rows: rows.map((row) =>
      row.map((cell, i) => ({
        header: columns[i] ?? '',
        text: formatCell(cell),
        ...(i >= labelColumns && typeof cell === 'number' ? { format: 'numeric' } : {}),
      })),
    ),
  };
}

export function baseHref(page: InsightsPage): string {
  const t = page.scope.target;
  if (t.kind === 'national') return '/insights';
  const org = `/organisations/${encodeURIComponent(t.organisationId)}/insights`;
  return t.kind === 'system' ? `${org}/shared` : org;
}

export function insightsPageView(
  actor: Actor,
  page: InsightsPage,
  values: InsightsQueryValues,
  errors: FieldError[] = [],
) {
  const { scope, report, framework } = page;
  const base = baseHref(page);
  const tables = figureTables(page);
  const heading =
    scope.target.kind === 'national'
      ? 'National insights'
      : scope.target.kind === 'system'
        ? 'Shared insights'
        : 'Insights';
  const chrome =
    scope.organisation && scope.target.kind !== 'national'
      ? organisationChrome(
          actor,
          { ...scope.organisation, type: scope.target.kind === 'system' ? 'icb' : undefined },
          scope.target.kind === 'system' ? 'shared-insights' : 'insights',
          heading,
        )
      : {
          pageTitle: heading,
          heading,
          caption: 'Every organisation',
          isDemo: false,
          organisationNav: undefined,
          breadcrumbArgs: [{ text: 'Home', href: '/home' }],
        };

  const scopeText = scope.unit
    ? `${scope.unit.path}, and every unit below it`
    : scope.member
      ? scope.member.name
      : scope.target.kind === 'system'
        ? `All ${String(scope.members.length)} organisations sharing their insights with ${scope.organisation?.name ?? ''}`
        : scope.target.kind === 'national'
          ? 'Every organisation using digicap'
          : 'The whole organisation';

  // The filter form (GET): unit or organisation, profession, setting, archetype, breakdowns, area.
  const l = framework.data;
  const selects = [
    ...(scope.units.length > 0
      ? [
          {
            id: 'unit',
            name: 'unit',
            label: { text: 'Unit' },
            items: scope.wholeOrganisation
              ? selectItems(
                  'The whole organisation',
                  values.unit || scope.unit?.id,
                  scope.units.map((u) => ({ value: u.id, text: u.path })),
                )
              : scope.units.map((u) => ({
                  value: u.id,
                  text: u.path,
                  selected: u.id === scope.unit?.id,
                })),
          },
        ]
      : []),
    ...(scope.members.length > 0
      ? [
          {
            id: 'organisation',
            name: 'organisation',
            label: { text: 'Organisation' },
            items: selectItems(
              scope.target.kind === 'system' ? 'All sharing organisations' : 'Every organisation',
              values.organisation,
              scope.members.map((m) => ({ value: m.id, text: m.name })),
            ),
          },
        ]
      : []),
    {
      id: 'profession',
      name: 'profession',
      label: { text: 'Profession' },
      items: selectItems('Every profession', values.profession, [
        ...l.professions.map((p) => ({ value: p.code, text: p.name })),
        { value: NOT_RECORDED, text: 'Not recorded' },
      ]),
    },
    {
      id: 'setting',
      name: 'setting',
      label: { text: 'Work setting' },
      items: selectItems('Every work setting', values.setting, [
        ...l.workSettings.map((w) => ({ value: w.code, text: w.name })),
        { value: NOT_RECORDED, text: 'Not recorded' },
      ]),
    },
    {
      id: 'archetype',
      name: 'archetype',
      label: { text: 'Archetype' },
      hint: { text: "A person's first archetype in the framework's order" },
      items: selectItems('Every archetype', values.archetype, [
        ...l.archetypes.map((a) => ({ value: a.code, text: a.name })),
        { value: NOT_RECORDED, text: 'Not recorded' },
      ]),
    },
    {
      id: 'by',
      name: 'by',
      label: { text: 'Break down by' },
      items: selectItems(
        'No breakdown',
        values.by,
        scope.breakdowns.map((b) => ({ value: b, text: BREAKDOWN_LABELS[b] })),
      ),
    },
    {
      id: 'then',
      name: 'then',
      label: { text: 'Then by' },
      hint: { text: 'A second breakdown within the first, for example profession within unit' },
      items: selectItems(
        'Nothing more',
        values.then,
        scope.breakdowns.map((b) => ({ value: b, text: BREAKDOWN_LABELS[b] })),
      ),
    },
    {
      id: 'area',
      name: 'area',
      label: { text: 'Area for the breakdown and the quarters' },
      items: selectItems(
        'The first priority area',
        values.area,
        framework.areas.map((a) => ({ value: a.code, text: `${a.code} ${a.name}` })),
      ),
    },
  ].map((s) => ({ ...s, errorMessage: errorMessageFor(errors, s.id) }));

  // Drill-down: child units (organisation views) or member organisations.
  const keep = { ...values, unit: '', organisation: '' };
  const drillDown = scope.children.map((u) => ({
    text: u.name,
    href: `${base}${queryString({ ...keep, unit: u.id })}`,
  }));
  const up =
    scope.unit && scope.target.kind === 'organisation'
      ? scope.unit.parentId && scope.units.some((u) => u.id === scope.unit?.parentId)
        ? {
            text: 'Up one level',
            href: `${base}${queryString({ ...keep, unit: scope.unit.parentId })}`,
          }
        : scope.wholeOrganisation
          ? { text: 'The whole organisation', href: `${base}${queryString(keep)}` }
          : undefined
      : scope.member
        ? {
            text:
              scope.target.kind === 'system' ? 'All sharing organisations' : 'Every organisation',
            href: `${base}${queryString(keep)}`,
          }
        : undefined;

  // Charts beside their tables.
  const capability = report.capability;
  const charts: Record<string, string> = {};
  if (capability.verdict.released) {
    charts.capability = horizontalBarChart({
      id: 'chart-capability',
      title: 'Share of people at or above their target, by area',
      description:
        'The same figures are in the table "Targets and validated levels by area" below the chart.',
      bars: capability.areas.map((a) => {
        const share = a.met && a.withTarget ? releasedShare(a.met, a.withTarget) : null;
        return {
          label: `${a.code} ${a.name}`,
          value: share,
          text: share === null ? 'hidden' : `${String(share)}%`,
        };
      }),
    });
  }
  if (report.trend?.rows.length) {
    charts.trend = horizontalBarChart({
      id: 'chart-trend',
      title: `Share at or above target in ${report.trend.area.code} ${report.trend.area.name}, quarter by quarter`,
      description: 'The same figures are in the table below the chart.',
      bars: report.trend.rows.map((r) => {
        const share =
          r.verdict.released && r.met && r.withTarget ? releasedShare(r.met, r.withTarget) : null;
        return {
          label: r.label,
          value: share,
          text: share === null ? 'hidden' : `${String(share)}%`,
        };
      }),
    });
  }
  if (report.members.verdict.released) {
    const total = report.members.figures[0]?.count;
    charts.participation = horizontalBarChart({
      id: 'chart-participation',
      title: 'Participation, as a share of the people in scope',
      description:
        'The counts these shares are worked out from are in the table "Participation" below the chart.',
      bars: report.members.figures.slice(1).map((f) => {
        const share = total ? releasedShare(f.count, total) : null;
        return {
          label: f.label,
          value: share,
          text:
            share === null
              ? f.count.kind === 'small'
                ? `1-${String(page.rules.smallCountMax)} people`
                : 'hidden'
              : `${String(share)}%`,
        };
      }),
    });
  }

  const sections = tables.map((t) => ({
    id: t.id,
    title: t.title,
    description: t.description,
    hidden: t.hidden,
    empty: !t.hidden && t.rows.length === 0,
    chartSvg: charts[t.id === 'targets' ? 'capability' : t.id === 'capability' ? '' : t.id],
    tableArgs:
      t.hidden || t.rows.length === 0
        ? undefined
        : tableArgs(t.columns, t.rows, t.title, t.labelColumns),
  }));

  // When every table is hidden for the same reason, one message says so instead of six.
  const reasons = new Set(sections.map((x) => x.hidden));
  const allHidden = reasons.size === 1 ? [...reasons][0] : undefined;
  const qs = queryString(values);
  const londonDate = (d: Date) =>
    d.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    });
  const asOf = page.figuresAsOf
    ? `Figures as of ${page.figuresAsOf.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })}${londonDate(page.figuresAsOf) === londonDate(page.generatedAt) ? '' : ` on ${londonDate(page.figuresAsOf)}`}: newer changes are still on their way.`
    : undefined;

  return {
    ...chrome,
    errorSummaryArgs: errorSummaryArgs(errors),
    scopeText,
    asOfText: asOf,
    formAction: base,
    selects,
    drillDown,
    up,
    sections,
    allHidden,
    csvHref: `${base}/export.csv${qs}`,
    xlsxHref: `${base}/export.xlsx${qs}`,
    rules: rulesText(page.rules),
    rulesHtml: rulesText(page.rules).map((r) => escapeHtml(r)),
    sharedWithMeHref: '/shared-with-me',
  };
}
