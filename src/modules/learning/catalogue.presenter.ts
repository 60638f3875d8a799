/**
 * View models for the catalogue pages: browse with filters, one resource, the add and edit form,
 * and the CSV import. Pure. HTML strings only from escaped parts.
 */
import {
  characterLimit,
  errorMessageFor,
  escapeHtml,
  type FieldError,
  selectItems,
} from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import { csvFileInputArgs } from '../../platform/csv-upload.js';
import { addResourceHref } from './plans.presenter.js';
import {
  BUNDLED_COLUMNS,
  CATALOGUE_MAX_ROWS,
  type CatalogueProblem,
  describeProblem,
  EXTRA_COLUMNS,
} from './catalogue.csv.js';
import {
  type CatalogueQuery,
  catalogueQueryString,
  type ResourceFormValues,
} from './catalogue.forms.js';
import {
  COST_LABELS,
  durationText,
  FORMAT_LABELS,
  MAX_SUMMARY,
  RESOURCE_COSTS,
  RESOURCE_FORMATS,
  type Resource,
} from './catalogue.model.js';
import type {
  BrowseResult,
  CatalogueTerms,
  ImportSummary,
  ResourceView,
  ScopeView,
} from './catalogue.service.js';

export const CATALOGUE_PATH = '/learning/resources';
export const resourceHref = (id: string, suffix = '') =>
  `${CATALOGUE_PATH}/${encodeURIComponent(id)}${suffix}`;

const catalogueCrumbs = [{ text: 'Learning resources', href: CATALOGUE_PATH }];

/** Choices for "How long do you have?" (minutes). */
export const DURATION_CHOICES = [
  { minutes: 15, text: 'Up to 15 minutes' },
  { minutes: 30, text: 'Up to 30 minutes' },
  { minutes: 60, text: 'Up to 1 hour' },
  { minutes: 120, text: 'Up to 2 hours' },
  { minutes: 240, text: 'Up to half a day (4 hours)' },
  { minutes: 480, text: 'Up to a day (8 hours)' },
];

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "2027-03-31" → "31 March 2027". */
export function reviewDateText(iso: string | null): string {
  if (!iso) return 'Not set';
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** The host name shown beside an external link ("www.england.nhs.uk"). */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

const listText = (items: readonly string[]) =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;

export function levelsText(levels: readonly number[]): string {
  return levels.length === 0 ? 'Not stated' : `Level ${listText(levels.map(String))}`;
}

function areasHtml(resource: Resource, terms: CatalogueTerms): string {
  const items = resource.areaCodes.map(
    (code) => `<li>${escapeHtml(code)} ${escapeHtml(terms.areaNames.get(code) ?? '')}</li>`,
  );
  return `<ul class="nhsuk-list nhsuk-u-margin-bottom-0">${items.join('')}</ul>`;
}

function archetypesText(resource: Resource, terms: CatalogueTerms): string {
  return listText(resource.archetypeCodes.map((c) => terms.archetypeNames.get(c) ?? c));
}

/** Who may see it, in words. */
function audienceText(resource: Resource, organisationName: string | undefined): string {
  return resource.organisationId === null
    ? 'Everyone'
    : `Only people in ${organisationName ?? 'one organisation'}`;
}

/** Summary-list rows describing a resource (provider, format, time, cost, levels…). */
function detailRows(
  resource: Resource,
  terms: CatalogueTerms,
  organisationName: string | undefined,
  options: { full: boolean },
) {
  const row = (key: string, value: { text: string } | { html: string }) => ({
    key: { text: key },
    value,
  });
  const rows = [
    row('Provider', { text: resource.provider }),
    row('Format', { text: FORMAT_LABELS[resource.format] }),
    row('Time it takes', { text: durationText(resource.durationMinutes) }),
    row('Cost', { text: COST_LABELS[resource.cost] }),
    row('Levels', { text: levelsText(resource.levels) }),
    row(resource.areaCodes.length === 1 ? 'Area' : 'Areas', { html: areasHtml(resource, terms) }),
    row('Suits', { text: archetypesText(resource, terms) }),
  ];
  if (options.full && resource.statementIds.length > 0)
    rows.push(
      row('Statements', {
        html: `<ul class="nhsuk-list nhsuk-u-margin-bottom-0">${resource.statementIds
          .map((id) => `<li>${escapeHtml(id)}</li>`)
          .join('')}</ul>`,
      }),
    );
  if (options.full || resource.organisationId !== null)
    rows.push(row('Who can see it', { text: audienceText(resource, organisationName) }));
  rows.push(
    row('Review date', { text: reviewDateText(resource.reviewDate) }),
    row('Curated by', { text: resource.curatedBy }),
  );
  return rows;
}

function paginationArgs(page: number, pageCount: number, href: (n: number) => string) {
  if (pageCount <= 1) return undefined;
  return {
    previous:
      page > 1
        ? { href: href(page - 1), labelText: `Page ${String(page - 1)} of ${String(pageCount)}` }
        : undefined,
    next:
      page < pageCount
        ? { href: href(page + 1), labelText: `Page ${String(page + 1)} of ${String(pageCount)}` }
        : undefined,
  };
}

function appliedText(query: CatalogueQuery, terms: CatalogueTerms): string[] {
  const f = query.filter;
  const parts: string[] = [];
  if (f.q) parts.push(`matching “${f.q}”`);
  if (f.areaCodes.length > 0)
    parts.push(`in ${listText(f.areaCodes.map((c) => terms.areaNames.get(c) ?? c))}`);
  if (f.levels.length > 0) parts.push(`at level ${f.levels.join(' or ')}`);
  if (f.archetypeCodes.length > 0)
    parts.push(`for ${f.archetypeCodes.map((c) => terms.archetypeNames.get(c) ?? c).join(' or ')}`);
  if (f.formats.length > 0)
    parts.push(`as ${f.formats.map((x) => FORMAT_LABELS[x].toLowerCase()).join(' or ')}`);
  if (f.freeOnly) parts.push('free');
  if (f.maxDurationMinutes !== undefined)
    parts.push(`taking at most ${durationText(f.maxDurationMinutes)}`);
  return parts;
}

const isFiltered = (query: CatalogueQuery) => {
  const f = query.filter;
  return (
    !!f.q ||
    f.areaCodes.length + f.levels.length + f.archetypeCodes.length + f.formats.length > 0 ||
    f.freeOnly ||
    f.maxDurationMinutes !== undefined ||
    query.includeRetired
  );
};

/** Links for people who manage a catalogue: add, import, and export each one. */
function manageLinks(scopes: readonly ScopeView[]) {
  if (scopes.length === 0) return undefined;
  return {
    addHref: `${CATALOGUE_PATH}/new`,
    importHref: `${CATALOGUE_PATH}/import`,
    exports: scopes.map((s) => ({
      text: `Download ${s.scope.kind === 'shared' ? 'the shared catalogue' : `${s.name}’s resources`} (CSV)`,
      href: `${CATALOGUE_PATH}/export.csv?organisation=${encodeURIComponent(s.key)}`,
    })),
  };
}

export function browsePage(
  result: BrowseResult,
  query: CatalogueQuery,
  terms: CatalogueTerms,
  options: { notice?: string | undefined } = {},
) {
  const f = query.filter;
  const errors = query.errors;
  const filtered = isFiltered(query);
  const canManage = result.managedScopes.length > 0;
  const applied = appliedText(query, terms);
  const count = `${String(result.total)} ${result.total === 1 ? 'resource' : 'resources'}`;
  const durationChoices = [...DURATION_CHOICES];
  if (
    f.maxDurationMinutes !== undefined &&
    !durationChoices.some((c) => c.minutes === f.maxDurationMinutes)
  )
    durationChoices.push({
      minutes: f.maxDurationMinutes,
      text: `Up to ${durationText(f.maxDurationMinutes)}`,
    });
  const pageHref = (n: number) => {
    const qs = catalogueQueryString(f, { includeRetired: query.includeRetired, page: n });
    return qs ? `${CATALOGUE_PATH}?${qs}` : CATALOGUE_PATH;
  };
  const checkboxArgs = (
    name: string,
    legend: string,
    items: { value: string; text: string; checked: boolean; hint?: { text: string } }[],
    hint?: string,
  ) => ({
    idPrefix: name,
    name,
    classes: 'nhsuk-checkboxes--small',
    fieldset: { legend: { text: legend, classes: 'nhsuk-fieldset__legend--s' } },
    hint: hint ? { text: hint } : undefined,
    errorMessage: errorMessageFor(errors, name),
    items,
  });
  return {
    pageTitle: 'Learning resources',
    errorSummaryArgs: errorSummaryArgs(errors),
    notice: options.notice,
    introText:
      'Learning that matches the capability framework: guidance, courses, reports and more from NHS England, professional bodies, universities and others. Each resource is mapped to the areas, levels and archetypes it suits.',
    filterForm: {
      action: CATALOGUE_PATH,
      searchArgs: {
        id: 'q',
        name: 'q',
        type: 'search',
        label: { text: 'Search', classes: 'nhsuk-label--s' },
        hint: { text: 'Words in the title, provider or summary' },
        value: query.submittedQ,
        spellcheck: true,
        errorMessage: errorMessageFor(errors, 'q'),
      },
      areaArgs: checkboxArgs(
        'area',
        'Area',
        terms.areas.map((a) => ({
          value: a.code,
          text: `${a.code} ${a.name}`,
          checked: f.areaCodes.includes(a.code),
        })),
      ),
      levelArgs: checkboxArgs(
        'level',
        'Level',
        terms.levels.map((l) => ({
          value: String(l.level),
          text: `Level ${String(l.level)}: ${l.name}`,
          checked: f.levels.includes(l.level),
        })),
      ),
      archetypeArgs: checkboxArgs(
        'archetype',
        'Archetype',
        terms.archetypes.map((a) => ({
          value: a.code,
          text: `${a.name} (${a.code})`,
          checked: f.archetypeCodes.includes(a.code),
        })),
      ),
      formatArgs: checkboxArgs(
        'format',
        'Format',
        RESOURCE_FORMATS.map((x) => ({
          value: x,
          text: FORMAT_LABELS[x],
          checked: f.formats.includes(x),
        })),
      ),
      costArgs: checkboxArgs('cost', 'Cost', [
        { value: 'free', text: 'Free only', checked: f.freeOnly },
      ]),
      durationArgs: {
        id: 'duration',
        name: 'duration',
        label: { text: 'How long do you have?', classes: 'nhsuk-label--s' },
        hint: {
          text: 'Most resources do not say how long they take: choosing a time shows only those that do',
        },
        errorMessage: errorMessageFor(errors, 'duration'),
        items: selectItems(
          'Any length',
          f.maxDurationMinutes === undefined ? undefined : String(f.maxDurationMinutes),
          durationChoices.map((c) => ({ value: String(c.minutes), text: c.text })),
        ),
      },
      retiredArgs: canManage
        ? checkboxArgs('retired', 'Retired resources', [
            {
              value: 'include',
              text: 'Show retired resources you manage',
              checked: query.includeRetired,
            },
          ])
        : undefined,
      isFiltered: filtered,
      clearHref: CATALOGUE_PATH,
    },
    countText:
      filtered && applied.length > 0
        ? `${count} ${applied.join(', ')}`
        : `${count}${filtered ? '' : ' in the catalogue'}`,
    pageText:
      result.pageCount > 1 ? `Page ${String(result.page)} of ${String(result.pageCount)}` : '',
    results: result.resources.map((r) => {
      const organisationName = r.organisationId
        ? result.organisationNames.get(r.organisationId)
        : undefined;
      return {
        title: r.title,
        url: r.url,
        host: hostOf(r.url),
        summary: r.summary,
        detailsHref: resourceHref(r.id),
        retired: r.retiredAt !== null,
        ownOrganisation: organisationName,
        detailsArgs: {
          classes: 'nhsuk-summary-list--no-border app-resource__details',
          rows: detailRows(r, terms, organisationName, { full: false }),
        },
      };
    }),
    paginationArgs: paginationArgs(result.page, result.pageCount, pageHref),
    manage: manageLinks(result.managedScopes),
    apiHref: '/api/v1/resources',
  };
}

export function resourcePage(
  view: ResourceView,
  terms: CatalogueTerms,
  options: { notice?: string | undefined; signedIn?: boolean } = {},
) {
  const { resource } = view;
  return {
    pageTitle: resource.title,
    notice: options.notice,
    /** Signed-in people add a resource still in the catalogue to one of their plan's goals. */
    addToPlanHref:
      options.signedIn && resource.retiredAt === null ? addResourceHref(resource.id) : undefined,
    title: resource.title,
    provider: resource.provider,
    summary: resource.summary,
    url: resource.url,
    host: hostOf(resource.url),
    retired: resource.retiredAt !== null,
    detailsArgs: { rows: detailRows(resource, terms, view.organisationName, { full: true }) },
    manage: view.canManage
      ? {
          editHref: resourceHref(resource.id, '/edit'),
          retireAction: resourceHref(resource.id, resource.retiredAt ? '/unretire' : '/retire'),
          retireText: resource.retiredAt ? 'Bring back into the catalogue' : 'Retire this resource',
          retireHint: resource.retiredAt
            ? 'It will be shown and recommended again.'
            : 'Retired resources are no longer shown or recommended. People who already have it in a plan keep it. You can bring it back at any time.',
          idText: `Catalogue id: ${resource.slug}${resource.source === 'bundled' ? ' (from the starter catalogue)' : ''}`,
        }
      : undefined,
    breadcrumbArgs: catalogueCrumbs,
  };
}

/** The add and edit form. `scopes` are the catalogues the person may add to (add only). */
export function resourceFormPage(options: {
  mode: 'add' | 'edit';
  values: ResourceFormValues;
  errors?: FieldError[];
  terms: CatalogueTerms;
  scopes: readonly ScopeView[];
  /** Edit: the resource being changed. */
  resource?: Resource;
  /** Edit: the organisation it belongs to. */
  organisationName?: string | undefined;
}) {
  const { mode, values: v, terms } = options;
  const errors = options.errors ?? [];
  const error = (field: string) => errorMessageFor(errors, field);
  const heading = mode === 'add' ? 'Add a learning resource' : 'Change a learning resource';
  const scopeText = (s: ScopeView) =>
    s.scope.kind === 'shared'
      ? 'The shared catalogue: everyone can see it'
      : `${s.name}: only its people can see it`;
  const onlyScope = options.scopes.length === 1 ? options.scopes[0] : undefined;
  const resource = options.resource;
  const checkbox = (
    name: 'levels' | 'areaCodes' | 'archetypeCodes',
    legend: string,
    items: { value: string; text: string }[],
    hint?: string,
  ) => ({
    idPrefix: name,
    name,
    fieldset: { legend: { text: legend, classes: 'nhsuk-fieldset__legend--s' } },
    hint: hint ? { text: hint } : undefined,
    errorMessage: error(name),
    items: items.map((i) => ({ ...i, checked: v[name].includes(i.value) })),
  });
  const input = (
    name: keyof ResourceFormValues,
    label: string,
    extra: Record<string, unknown> = {},
  ) => ({
    id: name,
    name,
    label: { text: label, classes: 'nhsuk-label--s' },
    value: v[name],
    errorMessage: error(name),
    ...extra,
  });
  return {
    pageTitle: heading,
    heading,
    caption: resource ? resource.title : undefined,
    errorSummaryArgs: errorSummaryArgs(errors),
    action: resource ? resourceHref(resource.id, '/edit') : `${CATALOGUE_PATH}/new`,
    cancelHref: resource ? resourceHref(resource.id) : CATALOGUE_PATH,
    scopeText: resource
      ? resource.organisationId === null
        ? 'This resource is in the shared catalogue: everyone can see it.'
        : `This resource belongs to ${options.organisationName ?? 'an organisation'}: only its people can see it.`
      : onlyScope
        ? `You are adding to ${onlyScope.scope.kind === 'shared' ? 'the shared catalogue: everyone will be able to see it' : `${onlyScope.name}’s resources: only its people will be able to see it`}.`
        : undefined,
    onlyScopeKey: !resource && onlyScope ? onlyScope.key : undefined,
    organisationArgs:
      !resource && options.scopes.length > 1
        ? {
            idPrefix: 'organisation',
            name: 'organisation',
            fieldset: {
              legend: { text: 'Who is it for?', classes: 'nhsuk-fieldset__legend--s' },
            },
            errorMessage: error('organisation'),
            items: options.scopes.map((s) => ({
              value: s.key,
              text: scopeText(s),
              checked: v.organisation === s.key,
            })),
          }
        : undefined,
    idText: resource ? resource.slug : undefined,
    slugArgs: resource
      ? undefined
      : input('slug', 'Catalogue id (optional)', {
          hint: {
            text: 'A short name used in CSV files, like nhs-ai-ethics: lower-case letters, numbers and dashes. Leave blank to make one from the title.',
          },
          classes: 'nhsuk-u-width-two-thirds',
          spellcheck: false,
        }),
    titleArgs: input('title', 'Title', { hint: { text: 'As the provider publishes it' } }),
    providerArgs: input('provider', 'Provider', {
      hint: { text: 'Who publishes or runs it, like NHS England or a university' },
    }),
    urlArgs: input('url', 'Web address', {
      hint: { text: 'The full address of the resource, starting with https://' },
      type: 'url',
      spellcheck: false,
      autocomplete: 'url',
    }),
    formatArgs: {
      id: 'format',
      name: 'format',
      label: { text: 'Format', classes: 'nhsuk-label--s' },
      errorMessage: error('format'),
      items: selectItems(
        'Select a format',
        v.format,
        RESOURCE_FORMATS.map((x) => ({ value: x, text: FORMAT_LABELS[x] })),
      ),
    },
    durationArgs: input('durationMinutes', 'Time it takes, in minutes (optional)', {
      hint: { text: 'Only if the provider says, like 45. Leave blank if not stated.' },
      inputmode: 'numeric',
      classes: 'nhsuk-input--width-5',
      suffix: 'minutes',
    }),
    costArgs: {
      idPrefix: 'cost',
      name: 'cost',
      classes: 'nhsuk-radios--inline',
      fieldset: { legend: { text: 'Cost', classes: 'nhsuk-fieldset__legend--s' } },
      errorMessage: error('cost'),
      items: RESOURCE_COSTS.map((c) => ({ value: c, text: COST_LABELS[c], checked: v.cost === c })),
    },
    levelsArgs: checkbox(
      'levels',
      'Levels it suits',
      terms.levels.map((l) => ({
        value: String(l.level),
        text: `Level ${String(l.level)}: ${l.name}`,
      })),
    ),
    areasArgs: checkbox(
      'areaCodes',
      'Areas of the framework it covers',
      terms.areas.map((a) => ({ value: a.code, text: `${a.code} ${a.name}` })),
    ),
    archetypesArgs: checkbox(
      'archetypeCodes',
      'Archetypes it suits',
      terms.archetypes.map((a) => ({ value: a.code, text: `${a.name} (${a.code})` })),
    ),
    summaryArgs: {
      id: 'summary',
      name: 'summary',
      ...characterLimit(MAX_SUMMARY),
      label: { text: 'Summary', classes: 'nhsuk-label--s' },
      hint: {
        text: 'One or two sentences in your own words: what it covers and who it is for. Do not copy the provider’s text.',
      },
      value: v.summary,
      errorMessage: error('summary'),
    },
    statementIdsArgs: input('statementIds', 'Specific statements (optional)', {
      hint: {
        text: 'Statement ids from the framework it addresses, like 6.3-2-01, separated by commas',
      },
      spellcheck: false,
    }),
    reviewDateArgs: {
      id: 'reviewDate',
      namePrefix: 'reviewDate',
      fieldset: {
        legend: { text: 'Review date (optional)', classes: 'nhsuk-fieldset__legend--s' },
      },
      hint: { text: 'When the link and details should next be checked, for example 31 3 2027' },
      errorMessage: error('reviewDate-day'),
      items: [
        {
          name: 'day',
          value: v.reviewDate.day,
          classes: error('reviewDate-day') ? 'nhsuk-input--error' : undefined,
        },
        {
          name: 'month',
          value: v.reviewDate.month,
          classes: error('reviewDate-day') ? 'nhsuk-input--error' : undefined,
        },
        {
          name: 'year',
          value: v.reviewDate.year,
          classes: error('reviewDate-day') ? 'nhsuk-input--error' : undefined,
        },
      ],
    },
    curatedByArgs: input('curatedBy', 'Curated by', {
      hint: {
        text: 'Shown to learners beside the resource. Leave blank to show the organisation’s name (or, in the shared catalogue, digicap platform administrators).',
      },
    }),
    submitText: mode === 'add' ? 'Add resource' : 'Save changes',
    breadcrumbArgs: catalogueCrumbs,
  };
}

function importNotice(s: ImportSummary, scopeName: string): string {
  const n = (k: number) => `${String(k)} ${k === 1 ? 'resource' : 'resources'}`;
  return `Imported into ${scopeName}: ${n(s.added)} added, ${n(s.updated)} updated, ${n(s.unchanged)} unchanged.`;
}

const MAX_PROBLEMS_SHOWN = 50;

export function importPage(options: {
  scopes: readonly ScopeView[];
  /** The framework's area codes, for the columns table. */
  areaCodes: readonly string[];
  selected?: string;
  fileError?: string | undefined;
  scopeError?: string | undefined;
  problems?: readonly CatalogueProblem[];
  imported?: { summary: ImportSummary; scope: ScopeView } | undefined;
}) {
  const problems = options.problems ?? [];
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
  const errors: FieldError[] = [
    ...(options.scopeError ? [{ field: 'organisation', text: options.scopeError }] : []),
    ...(options.fileError
      ? [{ field: 'file', text: options.fileError }]
      : shown.map((p) => ({ field: 'file', text: describeProblem(p) }))),
  ];
  const more = problems.length - shown.length;
  const description =
    problems.length > 0
      ? `The file has ${String(problems.length)} problem${problems.length === 1 ? '' : 's'}. Nothing has been imported. Fix ${problems.length === 1 ? 'it' : 'them'} and upload the file again.${more > 0 ? ` The first ${String(shown.length)} are listed.` : ''}`
      : undefined;
  const onlyScope = options.scopes.length === 1 ? options.scopes[0] : undefined;
  const column = (name: string, required: string, what: string) => [
    { header: 'Column', text: name },
    { header: 'Required', text: required },
    { header: 'What to write', text: what },
  ];
  return {
    pageTitle: 'Import learning resources',
    errorSummaryArgs: errorSummaryArgs(errors, description),
    notice: options.imported
      ? importNotice(options.imported.summary, options.imported.scope.name)
      : undefined,
    action: `${CATALOGUE_PATH}/import`,
    onlyScopeKey: onlyScope?.key,
    onlyScopeText: onlyScope
      ? `The file will be imported into ${onlyScope.scope.kind === 'shared' ? 'the shared catalogue, which everyone can see' : `${onlyScope.name}’s resources, which only its people can see`}.`
      : undefined,
    organisationArgs:
      options.scopes.length > 1
        ? {
            idPrefix: 'organisation',
            name: 'organisation',
            fieldset: {
              legend: { text: 'Which catalogue?', classes: 'nhsuk-fieldset__legend--s' },
            },
            errorMessage: errorMessageFor(errors, 'organisation'),
            items: options.scopes.map((s) => ({
              value: s.key,
              text: s.name,
              checked: options.selected === s.key,
            })),
          }
        : undefined,
    fileArgs: csvFileInputArgs({
      label: 'Catalogue file (CSV)',
      hint: `A CSV file with a header row, up to ${CATALOGUE_MAX_ROWS.toLocaleString('en-GB')} resources and 2 MB.`,
      fileError: options.fileError,
      problemCount: problems.length,
    }),
    exports: manageLinks(options.scopes)?.exports ?? [],
    columnsTableArgs: {
      caption: 'Columns of a catalogue file',
      captionSize: 's',
      responsive: true,
      head: [{ text: 'Column' }, { text: 'Required' }, { text: 'What to write' }],
      rows: [
        column(
          'id',
          'Yes',
          'A short id, unique in the catalogue: lower-case letters, numbers and dashes, like nhs-ai-ethics. A row with an id already in the catalogue updates that resource.',
        ),
        column('title', 'Yes', 'The title as the provider publishes it.'),
        column('provider', 'Yes', 'Who publishes or runs it.'),
        column('url', 'Yes', 'Its full web address, starting with https:// or http://.'),
        column('format', 'Yes', RESOURCE_FORMATS.join(', ')),
        column('duration_minutes', 'No', 'Whole minutes, only where stated; otherwise blank.'),
        column('cost', 'Yes', 'free, paid or unknown.'),
        column('levels', 'Yes', 'Levels 1 to 4 it suits, separated by |, like 1|2.'),
        column(
          'areas',
          'Yes',
          `Framework area codes separated by |, like 5.1.3|6.2. The areas are ${options.areaCodes.join(', ')}.`,
        ),
        column('archetypes', 'Yes', 'S, D, C, E or U, separated by |, like S|U.'),
        column(
          'summary',
          'Yes',
          `One or two sentences, at most ${String(MAX_SUMMARY)} characters.`,
        ),
        column('source_seen', 'No', 'Where the resource was found. Not stored.'),
        column('review_date', 'No', 'When to check it next, written YYYY-MM-DD, like 2027-03-31.'),
        column(
          'statement_ids',
          'No',
          'Framework statement ids it addresses, separated by |, like 6.3-2-01|6.3-2-02.',
        ),
        column('curated_by', 'No', 'Who curated it, as learners see it.'),
        column('retired', 'No', 'yes to retire it; no or blank to keep it in the catalogue.'),
      ],
    },
    columnsText: `The first line names the columns: ${[...BUNDLED_COLUMNS, ...EXTRA_COLUMNS].join(', ')}. Columns may be in any order; the optional ones may be left out, and then that part of existing resources stays as it is.`,
    breadcrumbArgs: catalogueCrumbs,
  };
}
