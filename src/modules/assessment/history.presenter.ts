/**
 * View models for "My progress": the list of a person's submitted assessments (each an
 * immutable, dated snapshot of one framework version) and the comparison of any two. Pure.
 *
 * An area the person answered entirely "not relevant to my role" is shown as that, never as the
 * level 0 the snapshot recorded for it: it is not a gap, and a comparison neither counts it as a
 * rise or fall nor draws it as one (results.chart.ts: comparedLevel, levelChange).
 *
 * Levels validated by a line manager or educator (results.validated.ts) are the person's latest
 * ones now, not as they were at either assessment: the comparison shows them in a column of
 * their own after the change, and never counts them in the levels compared, the change, the
 * chart or the summary.
 */
import { errorMessageFor, escapeHtml, type FieldError } from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import type { AreaResult, AssessmentResults } from './assessment.model.js';
import {
  areaLabel,
  type ChangeRow,
  type ComparedLevel,
  changeText,
  comparedLevel,
  comparisonChartSvg,
  levelChange,
  NOT_RELEVANT,
} from './results.chart.js';
import {
  areaLinkHtml,
  assessmentHref,
  byDomain,
  currentAreaHref,
  formatDateTime,
  levelText,
  notRelevantText,
  prioritisedGaps,
} from './results.presenter.js';
import {
  type ResultsValidatedLevel,
  validatedByArea,
  validatedCellText,
} from './results.validated.js';

export interface HistoryEntry {
  id: string;
  submittedAt: Date;
  results: AssessmentResults;
}

export interface CompareValues {
  from: string;
  to: string;
}

const frameworkText = (r: AssessmentResults) =>
  `${r.frameworkTitle}, version ${String(r.frameworkVersion)}`;

/** One option per assessment, newest first, labelled by date and time. */
function assessmentSelectArgs(
  field: 'from' | 'to',
  label: string,
  entries: readonly HistoryEntry[],
  selected: string,
  errors: FieldError[],
) {
  return {
    id: field,
    name: field,
    label: { text: label },
    errorMessage: errorMessageFor(errors, field),
    items: [
      { value: '', text: 'Select an assessment', selected: selected === '' },
      ...entries.map((e) => ({
        value: e.id,
        text: `${formatDateTime(e.submittedAt)} (version ${String(e.results.frameworkVersion)})`,
        selected: e.id === selected,
      })),
    ],
  };
}

/**
 * The progress page. The comparison form preselects the two newest assessments (older first)
 * unless the person chose others.
 */
export function progressPage(
  entries: readonly HistoryEntry[],
  options: { values?: CompareValues | undefined; errors?: FieldError[] } = {},
) {
  const errors = options.errors ?? [];
  const values = options.values ?? { from: entries[1]?.id ?? '', to: entries[0]?.id ?? '' };
  return {
    pageTitle: 'My progress',
    heading: 'My progress',
    errorSummaryArgs: errorSummaryArgs(errors),
    count: entries.length,
    tableArgs: {
      caption: 'Your submitted assessments, newest first',
      captionSize: 's',
      responsive: true,
      head: [
        { text: 'Submitted' },
        { text: 'Framework' },
        { text: 'Areas below target', format: 'numeric' },
        { text: 'Results' },
      ],
      rows: entries.map((e) => [
        {
          header: 'Submitted',
          html: `<time datetime="${escapeHtml(e.submittedAt.toISOString())}">${escapeHtml(formatDateTime(e.submittedAt))}</time>`,
        },
        { header: 'Framework', text: frameworkText(e.results) },
        {
          header: 'Areas below target',
          text: String(prioritisedGaps(e.results).length),
          format: 'numeric',
        },
        {
          header: 'Results',
          html: `<a class="nhsuk-link" href="${escapeHtml(assessmentHref(e.id, '/results'))}">View results<span class="nhsuk-u-visually-hidden"> from ${escapeHtml(formatDateTime(e.submittedAt))}</span></a>`,
        },
      ]),
    },
    canCompare: entries.length >= 2,
    fromSelectArgs: assessmentSelectArgs('from', 'Compare', entries, values.from, errors),
    toSelectArgs: assessmentSelectArgs('to', 'With', entries, values.to, errors),
  };
}

export interface ComparisonRow extends ChangeRow {
  domainCode: string;
  domainName: string;
  /**
   * The change in level, or null when the area is in only one snapshot or was "not relevant" in
   * exactly one of them (levelChange).
   */
  change: number | null;
}

/**
 * Per-area changes from one snapshot to another, matched by area code: the later snapshot's
 * areas in its order, then any only the earlier one had (a framework version may add or drop
 * areas).
 */
export function compareSnapshots(from: AssessmentResults, to: AssessmentResults): ComparisonRow[] {
  const before = new Map(from.areas.map((a) => [a.areaCode, a]));
  const after = new Set(to.areas.map((a) => a.areaCode));
  const row = (a: AreaResult, levels: Pick<ChangeRow, 'from' | 'to'>): ComparisonRow => ({
    areaCode: a.areaCode,
    areaName: a.areaName,
    domainCode: a.domainCode,
    domainName: a.domainName,
    ...levels,
    change: levelChange(levels),
  });
  const rows: ComparisonRow[] = to.areas.map((a) => {
    const earlier = before.get(a.areaCode);
    return row(a, { from: earlier ? comparedLevel(earlier) : null, to: comparedLevel(a) });
  });
  for (const a of from.areas) {
    if (after.has(a.areaCode)) continue;
    rows.push(row(a, { from: comparedLevel(a), to: null }));
  }
  return rows;
}

/** A link to an assessment's results, labelled with its date and framework version. */
const entryLink = (e: HistoryEntry) =>
  `<a class="nhsuk-link" href="${escapeHtml(assessmentHref(e.id, '/results'))}">${escapeHtml(
    `${formatDateTime(e.submittedAt)} (${frameworkText(e.results)})`,
  )}</a>`;

/** The heading of the comparison's validated-level column: the level as it is now. */
export const VALIDATED_NOW_HEADING = 'Validated level now (by a line manager or educator)';

/**
 * The comparison page: chart, then the same data as a table, and a summary of the changes.
 * Areas link to the framework explorer only where its current version has them
 * (`currentAreaCodes`, see currentAreaHref). With `validated` levels for any area compared, the
 * tables get a column of their own for them, and the compared levels are labelled self-assessed.
 */
export function comparePage(
  from: HistoryEntry,
  to: HistoryEntry,
  options: {
    currentAreaCodes: ReadonlySet<string>;
    /** The person's validated levels now (results.validated.ts), if the app keeps them. */
    validated?: readonly ResultsValidatedLevel[] | undefined;
  },
) {
  const rows = compareSnapshots(from.results, to.results);
  const validated = validatedByArea(
    options.validated,
    rows.map((r) => r.areaCode),
  );
  const withValidated = validated.size > 0;
  // Beside a validated level, the compared levels are labelled as what they are: self-assessed.
  const selfAssessed = (label: string) => (withValidated ? `${label} (self-assessed)` : label);
  const fromLabel = formatDateTime(from.submittedAt);
  const toLabel = formatDateTime(to.submittedAt);
  const fromHeading = selfAssessed(fromLabel);
  const toHeading = selfAssessed(toLabel);
  const up = rows.filter((r) => (r.change ?? 0) > 0).length;
  const down = rows.filter((r) => (r.change ?? 0) < 0).length;
  const same = rows.filter((r) => r.change === 0).length;
  const onlyOne = rows.filter((r) => r.from === null || r.to === null).length;
  // In both, but "not relevant" in only one: neither a rise nor a fall.
  const notCompared = rows.filter(
    (r) => r.from !== null && r.to !== null && r.change === null,
  ).length;
  const versionsDiffer = from.results.frameworkVersion !== to.results.frameworkVersion;
  const levelOrMissing = (level: ComparedLevel) => {
    if (level === null) return 'Not assessed';
    if (level === NOT_RELEVANT) return notRelevantText();
    return levelText(level);
  };
  return {
    pageTitle: 'Compare your assessments',
    heading: 'Compare your assessments',
    caption: 'My progress',
    summary: { up, down, same, onlyOne, notCompared },
    summaryListArgs: {
      rows: [
        { key: { text: 'Earlier' }, value: { html: entryLink(from) } },
        { key: { text: 'Later' }, value: { html: entryLink(to) } },
        { key: { text: 'Areas that went up' }, value: { text: String(up) } },
        { key: { text: 'Areas that went down' }, value: { text: String(down) } },
        { key: { text: 'Areas with no change' }, value: { text: String(same) } },
        { key: { text: 'Areas in only one of them' }, value: { text: String(onlyOne) } },
        // Rare (an area answered entirely "not relevant" in one and not the other): said when so.
        ...(notCompared > 0
          ? [
              {
                key: { text: 'Areas not relevant to your role in one of them' },
                value: { text: String(notCompared) },
              },
            ]
          : []),
      ],
    },
    versionsDiffer,
    validatedNote: withValidated
      ? 'The levels compared and the change come from your self-assessments alone. A validated level is the latest one a line manager or educator has confirmed, as it is now: it is shown beside them, never counted in the comparison.'
      : undefined,
    chartSvg: comparisonChartSvg(rows, { from: fromLabel, to: toLabel }),
    domains: byDomain(rows).map((group) => ({
      name: group.name,
      tableArgs: {
        caption: `${group.code} ${group.name}`,
        captionSize: 's',
        responsive: true,
        head: [
          { text: 'Area' },
          { text: fromHeading },
          { text: toHeading },
          { text: 'Change' },
          ...(withValidated ? [{ text: VALIDATED_NOW_HEADING }] : []),
        ],
        rows: group.items.map((r) => [
          {
            header: 'Area',
            html: areaLinkHtml(
              currentAreaHref(to.results.frameworkSlug, r.areaCode, options.currentAreaCodes),
              areaLabel(r),
            ),
          },
          { header: fromHeading, text: levelOrMissing(r.from) },
          { header: toHeading, text: levelOrMissing(r.to) },
          { header: 'Change', text: changeText(r) },
          ...(withValidated
            ? [
                {
                  header: VALIDATED_NOW_HEADING,
                  text: validatedCellText(validated.get(r.areaCode)),
                },
              ]
            : []),
        ]),
      },
    })),
    breadcrumbArgs: [{ text: 'My progress', href: '/progress' }],
  };
}
