/**
 * Presenters for the framework explorer: framework data → view models holding the exact
 * arguments for each NHS.UK macro. Pure; templates only lay these out.
 */
import {
  errorMessageFor,
  errorSummaryItems,
  escapeHtml,
  type FieldError,
} from '../../platform/forms.js';
import { type ExplorerFilter, filterQueryString, isFiltered } from './explorer-query.form.js';
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  type Archetype,
  type FrameworkModel,
  type FrameworkNode,
  type Statement,
} from './framework.model.js';
import { filterStatements } from './statement-filter.js';

export interface Crumb {
  text: string;
  href: string;
}

export interface BadgeView {
  code: string;
  name: string;
  colour: string;
}

export interface StatementView {
  id: string;
  href: string;
  /** Escaped text with search matches wrapped in <mark>. */
  textHtml: string;
  badges: BadgeView[];
}

export interface LevelGroupView {
  level: number;
  heading: string;
  statements: StatementView[];
}

export interface AreaGroupView {
  code: string;
  name: string;
  href: string;
  /** The sub-domain heading the area sits under (e.g. 5.1 …), when it is not the domain. */
  subDomain: string | undefined;
  description: string;
  headingId: string;
  count: number;
  levels: LevelGroupView[];
}

const badgeColours: Record<string, string> = {
  S: 'purple',
  D: 'blue',
  C: 'aqua-green',
  E: 'orange',
  U: 'green',
};

export const frameworkPath = (slug: string) => `/frameworks/${slug}`;
export const nodePath = (
  slug: string,
  node: Pick<FrameworkNode, 'code' | 'isArea' | 'parentCode'>,
) =>
  node.isArea && node.parentCode !== null
    ? `${frameworkPath(slug)}/areas/${node.code}`
    : node.parentCode === null
      ? `${frameworkPath(slug)}/domains/${node.code}`
      : `${frameworkPath(slug)}/domains/${node.code.split('.')[0] ?? node.code}`;
export const statementPath = (slug: string, id: string) =>
  `${frameworkPath(slug)}/statements/${id}`;

const withQuery = (href: string, query: string) => {
  if (!query) return href;
  const [base, hash] = href.split('#');
  return `${base ?? ''}?${query}${hash ? `#${hash}` : ''}`;
};

/** 2023-02-21 → 21 February 2023 (GOV.UK and NHS.UK date style). */
export function formatDate(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

export function nodeLabel(node: Pick<FrameworkNode, 'code' | 'name'>): string {
  return `${node.code} ${node.name}`;
}

/** Escape a statement's text and turn the search markers into <mark> elements. */
export function highlightHtml(text: string): string {
  return escapeHtml(text)
    .split(HIGHLIGHT_START)
    .join('<mark class="app-highlight">')
    .split(HIGHLIGHT_END)
    .join('</mark>');
}

export function badgesFor(model: FrameworkModel, statement: Statement): BadgeView[] {
  return statement.archetypes.map((code) => ({
    code,
    name: model.archetype(code)?.name ?? code,
    colour: badgeColours[code] ?? 'grey',
  }));
}

function statementView(
  model: FrameworkModel,
  s: Statement,
  hits?: ReadonlyMap<string, string>,
): StatementView {
  return {
    id: s.id,
    href: statementPath(model.slug, s.id),
    textHtml: highlightHtml(hits?.get(s.id) ?? s.text),
    badges: badgesFor(model, s),
  };
}

/** Statements of the given areas that pass the filter, grouped by area then level. */
export function areaGroups(
  model: FrameworkModel,
  areas: readonly FrameworkNode[],
  filter: ExplorerFilter,
  hits?: ReadonlyMap<string, string>,
): AreaGroupView[] {
  return areas.map((area) => {
    const kept = filterStatements(model.statementsInArea(area.code), filter, hits);
    const levels: LevelGroupView[] = model.data.levels
      .map((l) => ({
        level: l.level,
        heading: `Level ${l.level}: ${l.name}`,
        statements: kept
          .filter((s) => s.level === l.level)
          .map((s) => statementView(model, s, hits)),
      }))
      .filter((g) => g.statements.length > 0);
    const parent = area.parentCode === null ? undefined : model.nodesByCode.get(area.parentCode);
    return {
      code: area.code,
      name: area.name,
      href: nodePath(model.slug, area),
      subDomain: parent && parent.parentCode !== null ? nodeLabel(parent) : undefined,
      description: area.description,
      headingId: `area-${area.code}`,
      count: kept.length,
      levels,
    };
  });
}

/**
 * Breadcrumbs from Home down to, but not including, the current page: `trail` ends with the
 * current page, which NHS.UK breadcrumbs do not link (the last crumb becomes the mobile back link).
 */
function crumbsFor(model: FrameworkModel, trail: Crumb[] = []) {
  return {
    items: [
      { text: 'Home', href: '/' },
      { text: 'Frameworks', href: '/frameworks' },
      { text: model.data.title, href: frameworkPath(model.slug) },
      ...trail,
    ].slice(0, -1),
  };
}

/** Arguments for the filter form's macros (checkboxes, input) and the summary of what is applied. */
export function filterFormView(
  model: FrameworkModel,
  filter: ExplorerFilter,
  errors: FieldError[],
  action: string,
  submittedQ?: string,
) {
  return {
    action,
    archetypeArgs: {
      idPrefix: 'archetype',
      name: 'archetype',
      classes: 'nhsuk-checkboxes--small',
      fieldset: { legend: { text: 'Archetype', classes: 'nhsuk-fieldset__legend--s' } },
      hint: { text: 'Statements badged for any archetype you choose' },
      errorMessage: errorMessageFor(errors, 'archetype'),
      items: model.data.archetypes.map((a) => ({
        value: a.code,
        text: `${a.name} (${a.code})`,
        checked: filter.archetypes.includes(a.code),
      })),
    },
    levelArgs: {
      idPrefix: 'level',
      name: 'level',
      classes: 'nhsuk-checkboxes--small',
      fieldset: { legend: { text: 'Level', classes: 'nhsuk-fieldset__legend--s' } },
      errorMessage: errorMessageFor(errors, 'level'),
      items: model.data.levels.map((l) => ({
        value: String(l.level),
        text: `Level ${l.level}: ${l.name}`,
        checked: filter.levels.includes(l.level),
      })),
    },
    searchArgs: {
      id: 'q',
      name: 'q',
      type: 'search',
      label: { text: 'Search statements', classes: 'nhsuk-label--s' },
      hint: { text: 'For example: remote monitoring, bias, dashboard' },
      value: submittedQ ?? filter.q,
      spellcheck: true,
      errorMessage: errorMessageFor(errors, 'q'),
    },
    isFiltered: isFiltered(filter),
    clearHref: action,
    applied: appliedFilterText(model, filter),
  };
}

export function appliedFilterText(model: FrameworkModel, filter: ExplorerFilter): string[] {
  const parts: string[] = [];
  if (filter.q) parts.push(`matching “${filter.q}”`);
  if (filter.archetypes.length > 0) {
    parts.push(`for ${filter.archetypes.map((c) => model.archetype(c)?.name ?? c).join(' or ')}`);
  }
  if (filter.levels.length > 0) parts.push(`at level ${filter.levels.join(' or ')}`);
  return parts;
}

function errorSummaryArgs(errors: FieldError[]) {
  return errors.length > 0
    ? { titleText: 'There is a problem', errorList: errorSummaryItems(errors) }
    : undefined;
}

function archetypeLegend(model: FrameworkModel) {
  return model.data.archetypes.map((a) => ({
    code: a.code,
    name: a.name,
    colour: badgeColours[a.code] ?? 'grey',
  }));
}

export interface ExplorerContext {
  filter: ExplorerFilter;
  errors: FieldError[];
  /** The search words as typed, shown back in the form even when they were rejected. */
  submittedQ?: string | undefined;
  hits?: ReadonlyMap<string, string> | undefined;
  /** True when the search words had no searchable terms (e.g. only "the"). */
  emptySearch?: boolean;
}

function resultsSummary(
  model: FrameworkModel,
  shown: number,
  total: number,
  ctx: ExplorerContext,
): string {
  if (!isFiltered(ctx.filter)) return `${shown} ${shown === 1 ? 'statement' : 'statements'}`;
  return `${shown} of ${total} statements ${appliedFilterText(model, ctx.filter).join(', ')}`;
}

export function frameworkPage(model: FrameworkModel, ctx: ExplorerContext) {
  const query = filterQueryString(ctx.filter);
  const counts = new Map(
    areaGroups(model, model.areas, ctx.filter, ctx.hits).map((g) => [g.code, g.count]),
  );
  const countUnder = (code: string) =>
    model.areasUnder(code).reduce((n, a) => n + (counts.get(a.code) ?? 0), 0);
  // Domains, sub-domains and areas in framework order; depth gives the indent.
  const rows = model.data.nodes.map((n) => ({
    code: n.code,
    name: n.name,
    depth: n.depth,
    isDomain: n.parentCode === null,
    count: countUnder(n.code),
    href: n.isArea || n.parentCode === null ? withQuery(nodePath(model.slug, n), query) : undefined,
  }));
  const shown = model.domains.reduce((n, d) => n + countUnder(d.code), 0);
  return {
    pageTitle: model.data.title,
    title: model.data.title,
    summary: model.data.summary,
    basedOn: { ...model.data.basedOn, publishedText: formatDate(model.data.basedOn.published) },
    version: model.version,
    breadcrumbArgs: crumbsFor(model).items,
    errorSummaryArgs: errorSummaryArgs(ctx.errors),
    filterForm: filterFormView(
      model,
      ctx.filter,
      ctx.errors,
      frameworkPath(model.slug),
      ctx.submittedQ,
    ),
    resultsSummary: resultsSummary(model, shown, model.data.statements.length, ctx),
    emptySearch: ctx.emptySearch ?? false,
    statementsHref: withQuery(`${frameworkPath(model.slug)}/statements`, query),
    rows,
    counts: {
      domains: model.domains.length,
      subDomains: model.data.nodes.filter((n) => n.depth === 1).length,
      areas: model.areas.length,
      statements: model.data.statements.length,
      levels: model.data.levels.length,
      archetypes: model.data.archetypes.length,
    },
    links: {
      levels: `${frameworkPath(model.slug)}/levels`,
      archetypes: `${frameworkPath(model.slug)}/archetypes`,
      versions: `${frameworkPath(model.slug)}/versions`,
      api: `/api/v1/frameworks/${model.slug}`,
    },
  };
}

/** A page listing statements for some areas: a domain, one area, or the whole framework. */
function statementListPage(
  model: FrameworkModel,
  ctx: ExplorerContext,
  opts: {
    title: string;
    caption?: string;
    description?: string;
    action: string;
    areas: readonly FrameworkNode[];
    trail: Crumb[];
    showAreaHeadings: boolean;
  },
) {
  const query = filterQueryString(ctx.filter);
  const groups = areaGroups(model, opts.areas, ctx.filter, ctx.hits)
    .filter((g) => g.count > 0)
    .map((g) => ({ ...g, linkHref: withQuery(g.href, query) }));
  const shown = groups.reduce((n, g) => n + g.count, 0);
  const total = opts.areas.reduce((n, a) => n + model.statementsInArea(a.code).length, 0);
  return {
    pageTitle: ctx.filter.q ? `${opts.title}: search results` : opts.title,
    title: opts.title,
    caption: opts.caption,
    description: opts.description,
    breadcrumbArgs: crumbsFor(model, opts.trail).items,
    errorSummaryArgs: errorSummaryArgs(ctx.errors),
    filterForm: filterFormView(model, ctx.filter, ctx.errors, opts.action, ctx.submittedQ),
    resultsSummary: resultsSummary(model, shown, total, ctx),
    emptySearch: ctx.emptySearch ?? false,
    shown,
    groups,
    showAreaHeadings: opts.showAreaHeadings,
    contents: opts.showAreaHeadings
      ? groups.map((g) => ({ text: `${g.code} ${g.name} (${g.count})`, href: `#${g.headingId}` }))
      : [],
    legend: archetypeLegend(model),
    levelsHref: `${frameworkPath(model.slug)}/levels`,
  };
}

export function domainPage(model: FrameworkModel, domain: FrameworkNode, ctx: ExplorerContext) {
  const path = nodePath(model.slug, domain);
  return statementListPage(model, ctx, {
    title: domain.name,
    caption: `Domain ${domain.code}`,
    description: domain.description,
    action: path,
    areas: model.areasUnder(domain.code),
    trail: [{ text: `${domain.code} ${domain.name}`, href: path }],
    showAreaHeadings: !domain.isArea,
  });
}

export function areaPage(model: FrameworkModel, area: FrameworkNode, ctx: ExplorerContext) {
  const path = nodePath(model.slug, area);
  const trail = model
    .ancestorsOf(area.code)
    .filter((n) => n.parentCode === null)
    .map((n) => ({ text: nodeLabel(n), href: nodePath(model.slug, n) }));
  const parents = model.ancestorsOf(area.code).map(nodeLabel);
  return statementListPage(model, ctx, {
    title: area.name,
    caption: `Area ${area.code}${parents.length > 0 ? ` in ${parents.join(', ')}` : ''}`,
    description: area.description,
    action: path,
    areas: [area],
    trail: [...trail, { text: nodeLabel(area), href: path }],
    showAreaHeadings: false,
  });
}

export function statementsPage(model: FrameworkModel, ctx: ExplorerContext) {
  const path = `${frameworkPath(model.slug)}/statements`;
  return statementListPage(model, ctx, {
    title: 'Search and filter statements',
    action: path,
    areas: model.areas,
    trail: [{ text: 'Statements', href: path }],
    showAreaHeadings: true,
  });
}

export function statementPage(model: FrameworkModel, statement: Statement) {
  const area = model.nodesByCode.get(statement.areaCode);
  const level = model.level(statement.level);
  const domain = model.domainOf(statement.areaCode);
  const siblings = model
    .statementsInArea(statement.areaCode)
    .filter((s) => s.level === statement.level && s.id !== statement.id)
    .map((s) => statementView(model, s));
  const rows = [
    { key: { text: 'Reference' }, value: { text: statement.id } },
    ...(domain && domain !== area
      ? [
          {
            key: { text: 'Domain' },
            value: {
              html: `<a href="${escapeHtml(nodePath(model.slug, domain))}">${escapeHtml(nodeLabel(domain))}</a>`,
            },
          },
        ]
      : []),
    ...(area
      ? [
          {
            key: { text: 'Area' },
            value: {
              html: `<a href="${escapeHtml(nodePath(model.slug, area))}">${escapeHtml(nodeLabel(area))}</a>`,
            },
          },
        ]
      : []),
    {
      key: { text: 'Level' },
      value: {
        html: `<a href="${frameworkPath(model.slug)}/levels#level-${statement.level}">Level ${statement.level}: ${escapeHtml(level?.name ?? '')}</a>`,
      },
    },
    {
      key: { text: 'Archetypes' },
      value: { text: statement.archetypes.map((c) => model.archetype(c)?.name ?? c).join(', ') },
    },
  ];
  return {
    pageTitle: `Statement ${statement.id}`,
    caption: area ? nodeLabel(area) : '',
    id: statement.id,
    text: statement.text,
    badges: badgesFor(model, statement),
    summaryListArgs: { rows },
    breadcrumbArgs: crumbsFor(model, [
      ...(area ? [{ text: nodeLabel(area), href: nodePath(model.slug, area) }] : []),
      { text: statement.id, href: statementPath(model.slug, statement.id) },
    ]).items,
    siblingsHeading: `Other level ${statement.level} statements in this area`,
    siblings,
    version: model.version,
    apiHref: `/api/v1/frameworks/${model.slug}`,
  };
}

export function levelsPage(model: FrameworkModel) {
  const path = `${frameworkPath(model.slug)}/levels`;
  return {
    pageTitle: 'Capability levels',
    breadcrumbArgs: crumbsFor(model, [{ text: 'Levels', href: path }]).items,
    levels: model.data.levels.map((l) => ({
      ...l,
      id: `level-${l.level}`,
      count: model.data.statements.filter((s) => s.level === l.level).length,
      href: `${frameworkPath(model.slug)}/statements?level=${l.level}`,
    })),
  };
}

function targetTableArgs(model: FrameworkModel, archetypes: readonly Archetype[]) {
  return {
    caption:
      archetypes.length === 1
        ? `Target levels for ${archetypes[0]?.name ?? ''}`
        : 'Target level by area and archetype',
    captionSize: 's',
    firstCellIsHeader: true,
    head: [
      { text: 'Area' },
      ...archetypes.map((a) => ({
        text: archetypes.length === 1 ? 'Target level' : a.name,
        format: 'numeric',
      })),
    ],
    rows: model.areas.map((area) => [
      {
        html: `<a href="${escapeHtml(nodePath(model.slug, area))}">${escapeHtml(nodeLabel(area))}</a>`,
      },
      ...archetypes.map((a) => {
        const target = model.data.targets[a.code][area.code] ?? 0;
        return { text: target === 0 ? 'Not expected' : String(target), format: 'numeric' };
      }),
    ]),
  };
}

export function archetypesPage(model: FrameworkModel) {
  const path = `${frameworkPath(model.slug)}/archetypes`;
  return {
    pageTitle: 'Workforce archetypes',
    breadcrumbArgs: crumbsFor(model, [{ text: 'Archetypes', href: path }]).items,
    guide: {
      intro: model.data.archetypeGuide.intro,
      questions: model.data.archetypeGuide.questions.map((q) => ({
        ...q,
        archetypeName: model.archetype(q.archetype)?.name ?? q.archetype,
        href: `${path}/${q.archetype}`,
      })),
    },
    archetypes: model.data.archetypes.map((a) => ({
      ...a,
      colour: badgeColours[a.code] ?? 'grey',
      href: `${path}/${a.code}`,
      count: model.data.statements.filter((s) => s.archetypes.includes(a.code)).length,
    })),
    targetTableArgs: targetTableArgs(model, model.data.archetypes),
  };
}

export function archetypePage(model: FrameworkModel, archetype: Archetype) {
  const path = `${frameworkPath(model.slug)}/archetypes`;
  return {
    pageTitle: archetype.name,
    archetype,
    colour: badgeColours[archetype.code] ?? 'grey',
    breadcrumbArgs: crumbsFor(model, [
      { text: 'Archetypes', href: path },
      { text: archetype.name, href: `${path}/${archetype.code}` },
    ]).items,
    count: model.data.statements.filter((s) => s.archetypes.includes(archetype.code)).length,
    statementsHref: `${frameworkPath(model.slug)}/statements?archetype=${archetype.code}`,
    targetTableArgs: targetTableArgs(model, [archetype]),
  };
}

export function versionsPage(
  model: FrameworkModel,
  versions: { version: number; contentHash: string; createdAt: Date }[],
) {
  const path = `${frameworkPath(model.slug)}/versions`;
  return {
    pageTitle: 'Versions of this framework',
    breadcrumbArgs: crumbsFor(model, [{ text: 'Versions', href: path }]).items,
    tableArgs: {
      caption: `${model.data.title}: versions`,
      captionSize: 's',
      firstCellIsHeader: true,
      head: [
        { text: 'Version' },
        { text: 'Loaded' },
        { text: 'Content fingerprint' },
        { text: 'Data' },
      ],
      rows: versions.map((v) => [
        { text: `Version ${v.version}${v.version === model.version ? ' (current)' : ''}` },
        { text: v.createdAt.toISOString().slice(0, 10) },
        { html: `<code>${escapeHtml(v.contentHash.slice(0, 12))}</code>` },
        {
          html: `<a href="/api/v1/frameworks/${escapeHtml(model.slug)}?version=${v.version}">JSON<span class="nhsuk-u-visually-hidden"> for version ${v.version}</span></a>`,
        },
      ]),
    },
  };
}
