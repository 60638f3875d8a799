/**
 * View models for the organisation pages: domain data → exactly what each template and NHS.UK
 * macro needs. No HTML strings here except from escaped parts.
 */
import type { AuditEntry, AuditPage } from '../../platform/audit/audit-log.js';
import { errorMessageFor, escapeHtml, type FieldError, selectItems } from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import type {
  MemberFormValues,
  OrganisationFormValues,
  UnitFormValues,
} from './organisations.forms.js';
import { type Actor, organisationsPolicy } from './organisations.policy.js';
import type { MemberRow, OrganisationRow } from './organisations.repository.js';
import type { MyOrganisation, OrganisationView } from './organisations.service.js';
import {
  isOrganisationType,
  ORGANISATION_TYPE_LABELS,
  ORGANISATION_TYPES,
  type Role,
  ROLE_LABELS,
  ROLES,
} from './roles.js';
import type { UnitNode, UnitTree } from './unit-tree.js';

/** Which organisation page is showing, for the sub-navigation's "current" item. */
export type OrganisationPage =
  | 'overview'
  | 'units'
  | 'people'
  | 'insights'
  | 'shared-insights'
  | 'insights-sharing'
  | 'invitations'
  | 'roster'
  | 'audit';

/**
 * Arguments for the NHS.UK contents-list macro used as the sub-navigation of every organisation
 * page (views/partials/org-nav.njk): only the pages the actor's roles allow.
 */
export function organisationNavArgs(
  actor: Actor,
  organisation: { id: string; name: string; type?: string },
  current: OrganisationPage,
) {
  const base = `/organisations/${encodeURIComponent(organisation.id)}`;
  const isAdmin = organisationsPolicy.canAdministerOrganisation(actor, organisation.id);
  const seesPeople = organisationsPolicy.peopleScope(actor, organisation.id).kind !== 'none';
  const seesInsights = organisationsPolicy.canSeeInsights(actor, organisation.id);
  const pages: { page: OrganisationPage; text: string; href: string; show: boolean }[] = [
    { page: 'overview', text: 'Overview', href: base, show: true },
    { page: 'units', text: 'Units', href: `${base}/units`, show: true },
    { page: 'people', text: 'People', href: `${base}/people`, show: seesPeople },
    { page: 'insights', text: 'Insights', href: `${base}/insights`, show: seesInsights },
    {
      page: 'shared-insights',
      text: 'Shared insights',
      href: `${base}/insights/shared`,
      show: organisationsPolicy.canSeeSharedInsights(actor, organisation.id, organisation.type),
    },
    {
      page: 'insights-sharing',
      text: 'Sharing insights',
      href: `${base}/insights/sharing`,
      show: isAdmin,
    },
    { page: 'invitations', text: 'Invitations', href: `${base}/invitations`, show: isAdmin },
    { page: 'roster', text: 'Upload a roster', href: `${base}/roster`, show: isAdmin },
    {
      page: 'audit',
      text: 'Audit log',
      href: `${base}/audit`,
      show: organisationsPolicy.canReadOrganisationAudit(actor, organisation.id),
    },
  ];
  return {
    ariaLabel: `${organisation.name} pages`,
    visuallyHiddenText: `Pages for ${organisation.name}`,
    items: pages
      .filter((p) => p.show)
      .map((p) => ({ text: p.text, href: p.href, current: p.page === current })),
  };
}

const ROLE_HINTS: Record<Role, string> = {
  member: 'Assesses themselves and plans their learning',
  line_manager: 'Sees the people in their unit and every unit below it',
  educator: 'Maps courses and programmes to the framework',
  insights_viewer:
    "Sees the organisation's workforce insights (figures about groups, never about a person)",
  admin: 'Manages units, people, invitations and the audit log',
};

const typeLabel = (type: string) =>
  isOrganisationType(type) ? ORGANISATION_TYPE_LABELS[type] : type;

export const rolesText = (roles: readonly Role[]) =>
  roles.map((r) => ROLE_LABELS[r]).join(', ') || 'None';

export const organisationHref = (id: string, rest = '') =>
  `/organisations/${encodeURIComponent(id)}${rest}`;

const link = (href: string, text: string) =>
  `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

export interface UnitTreeItem {
  id: string;
  name: string;
  children: UnitTreeItem[];
}

function unitTreeItems(nodes: readonly UnitNode[]): UnitTreeItem[] {
  return nodes.map((n) => ({ id: n.id, name: n.name, children: unitTreeItems(n.children) }));
}

/** Select items: every unit by its full path, after a first "none" item. */
export function unitSelectItems(
  units: UnitTree,
  selected: string | null | undefined,
  noneText: string,
) {
  return selectItems(
    noneText,
    selected,
    units.flatten().map((n) => ({ value: n.id, text: units.pathText(n.id) })),
  );
}

/** Arguments for the NHS.UK checkboxes macro: one box per role, with what each role may do. */
export function rolesCheckboxesArgs(errors: FieldError[], checked: readonly string[]) {
  return {
    idPrefix: 'roles',
    name: 'roles',
    fieldset: { legend: { text: 'Roles', size: 's' } },
    hint: { text: 'Select all that apply.' },
    errorMessage: errorMessageFor(errors, 'roles'),
    items: ROLES.map((r) => ({
      value: r,
      text: ROLE_LABELS[r],
      hint: { text: ROLE_HINTS[r] },
      checked: checked.includes(r),
    })),
  };
}

/**
 * Caption, heading and sub-navigation shared by every page of one organisation. The breadcrumbs
 * start at "Your organisations", followed by `trail`.
 */
export function organisationChrome(
  actor: Actor,
  organisation: { id: string; name: string; isDemo: boolean; type?: string },
  current: OrganisationPage,
  heading: string,
  trail: readonly { text: string; href: string }[] = [],
) {
  return {
    pageTitle: current === 'overview' ? organisation.name : `${heading} – ${organisation.name}`,
    heading,
    caption: current === 'overview' ? undefined : organisation.name,
    isDemo: organisation.isDemo,
    organisationNav: organisationNavArgs(actor, organisation, current),
    breadcrumbArgs: [{ text: 'Your organisations', href: '/organisations' }, ...trail],
  };
}

export function myOrganisationsPage(
  mine: readonly MyOrganisation[],
  currentId: string | undefined,
  options: { isPlatformAdmin: boolean; errors?: FieldError[] },
) {
  const errors = options.errors ?? [];
  return {
    pageTitle: 'Your organisations',
    errorSummaryArgs: errorSummaryArgs(errors),
    isPlatformAdmin: options.isPlatformAdmin,
    count: mine.length,
    tableArgs: {
      caption: 'Organisations you belong to',
      captionSize: 's',
      responsive: true,
      head: [{ text: 'Organisation' }, { text: 'Type' }, { text: 'Your roles' }],
      rows: mine.map((o) => [
        {
          header: 'Organisation',
          html:
            link(organisationHref(o.id), o.name) +
            (o.id === currentId
              ? ' <strong class="nhsuk-tag nhsuk-tag--blue">Current</strong>'
              : '') +
            (o.isDemo ? ' <strong class="nhsuk-tag nhsuk-tag--orange">Demo</strong>' : ''),
        },
        { header: 'Type', text: typeLabel(o.type) },
        { header: 'Your roles', text: rolesText(o.roles) },
      ]),
    },
    switchArgs:
      mine.length > 1
        ? {
            idPrefix: 'organisationId',
            name: 'organisationId',
            fieldset: {
              legend: { text: 'Which organisation are you working in now?', size: 'm' },
            },
            hint: { text: 'Pages about your work, team and results use this organisation.' },
            errorMessage: errorMessageFor(errors, 'organisationId'),
            items: mine.map((o) => ({
              value: o.id,
              text: o.name,
              checked: o.id === currentId,
            })),
          }
        : undefined,
  };
}

export function overviewPage(actor: Actor, view: OrganisationView) {
  const { organisation, units, membership } = view;
  const roles = membership?.roles ?? [];
  const yourRoles = membership
    ? rolesText(roles)
    : actor.isPlatformAdmin
      ? 'Platform admin (you are not a member of this organisation)'
      : 'None';
  const rows = [
    { key: { text: 'Type' }, value: { text: typeLabel(organisation.type) } },
    { key: { text: 'ODS code' }, value: { text: organisation.odsCode ?? 'Not given' } },
    { key: { text: 'Your roles' }, value: { text: yourRoles } },
  ];
  if (membership?.unitId)
    rows.push({ key: { text: 'Your unit' }, value: { text: units.pathText(membership.unitId) } });
  return {
    ...organisationChrome(actor, organisation, 'overview', organisation.name),
    summaryListArgs: { rows },
    unitTree: unitTreeItems(units.roots),
    unitsHref: organisationHref(organisation.id, '/units'),
    isAdmin: organisationsPolicy.canAdministerOrganisation(actor, organisation.id),
    invitationsHref: organisationHref(organisation.id, '/invitations'),
  };
}

export function unitsPage(
  actor: Actor,
  view: OrganisationView,
  form: { values?: UnitFormValues; errors?: FieldError[]; added?: string } = {},
) {
  const { organisation, units } = view;
  const errors = form.errors ?? [];
  const canAdd = organisationsPolicy.canAdministerOrganisation(actor, organisation.id);
  return {
    ...organisationChrome(actor, organisation, 'units', 'Units'),
    errorSummaryArgs: errorSummaryArgs(errors),
    notice: form.added ? `Unit added: ${form.added}` : undefined,
    unitTree: unitTreeItems(units.roots),
    unitCount: units.flatten().length,
    action: organisationHref(organisation.id, '/units'),
    addForm: canAdd
      ? {
          nameArgs: {
            id: 'name',
            name: 'name',
            label: { text: 'Unit name', size: 's' },
            hint: { text: 'For example, Cardiology or Ward 5. Do not use > or /.' },
            spellcheck: false,
            value: form.values?.name,
            errorMessage: errorMessageFor(errors, 'name'),
          },
          parentArgs: {
            id: 'parentId',
            name: 'parentId',
            label: { text: 'Where it sits', size: 's' },
            hint: { text: 'The unit it is part of, or the top level of the organisation.' },
            items: unitSelectItems(units, form.values?.parentId ?? null, 'Top level'),
            errorMessage: errorMessageFor(errors, 'parentId'),
          },
        }
      : undefined,
  };
}

export function peoplePage(
  actor: Actor,
  view: OrganisationView,
  list: { people: MemberRow[]; units: UnitTree; scope: 'all' | 'units' },
  notice?: string,
) {
  const { organisation } = view;
  const unitText = (id: string | null) => (id ? list.units.pathText(id) : 'No unit');
  const managed = actor.memberships.get(organisation.id)?.unitId;
  return {
    ...organisationChrome(actor, organisation, 'people', 'People'),
    notice,
    scopeText:
      list.scope === 'units' && managed
        ? `People in ${list.units.pathText(managed)} and the units below it.`
        : undefined,
    count: list.people.length,
    tableArgs: {
      caption: `${list.people.length === 1 ? '1 person' : `${list.people.length} people`} in ${organisation.name}`,
      captionSize: 'm',
      responsive: true,
      head: [{ text: 'Name' }, { text: 'Email' }, { text: 'Unit' }, { text: 'Roles' }],
      rows: list.people.map((p) => [
        {
          header: 'Name',
          html: link(
            organisationHref(organisation.id, `/people/${encodeURIComponent(p.id)}`),
            p.displayName,
          ),
        },
        { header: 'Email', text: p.email },
        { header: 'Unit', text: unitText(p.unitId) },
        { header: 'Roles', text: rolesText(p.roles) },
      ]),
    },
  };
}

interface MemberResult {
  organisation: OrganisationView['organisation'];
  member: MemberRow;
  units: UnitTree;
  canManage: boolean;
  isOnlyAdmin: boolean;
}

export function memberPage(
  actor: Actor,
  result: MemberResult,
  form: { values?: MemberFormValues; errors?: FieldError[]; saved?: boolean } = {},
) {
  const { organisation, member, units } = result;
  const errors = form.errors ?? [];
  const unitId = form.values ? form.values.unitId : member.unitId;
  const roles: readonly string[] = form.values ? form.values.roles : member.roles;
  const base = organisationHref(organisation.id, `/people/${encodeURIComponent(member.id)}`);
  const seesPeople = organisationsPolicy.peopleScope(actor, organisation.id).kind !== 'none';
  return {
    ...organisationChrome(actor, organisation, 'people', member.displayName, [
      seesPeople
        ? { text: 'People', href: organisationHref(organisation.id, '/people') }
        : { text: organisation.name, href: organisationHref(organisation.id) },
    ]),
    errorSummaryArgs: errorSummaryArgs(errors),
    notice: form.saved ? 'Changes saved.' : undefined,
    summaryListArgs: {
      rows: [
        { key: { text: 'Name' }, value: { text: member.displayName } },
        { key: { text: 'Email address' }, value: { text: member.email } },
        {
          key: { text: 'Unit' },
          value: { text: member.unitId ? units.pathText(member.unitId) : 'No unit' },
        },
        { key: { text: 'Roles' }, value: { text: rolesText(member.roles) } },
      ],
    },
    onlyAdminText:
      result.canManage && result.isOnlyAdmin
        ? `${member.displayName} is the only organisation admin. Make someone else an admin before removing their admin role or removing them.`
        : undefined,
    changeForm: result.canManage
      ? {
          action: base,
          unitArgs: {
            id: 'unitId',
            name: 'unitId',
            label: { text: 'Unit', size: 's' },
            hint: {
              text: 'The unit they work in. A line manager manages it and every unit below it.',
            },
            items: unitSelectItems(units, unitId, 'No unit'),
            errorMessage: errorMessageFor(errors, 'unitId'),
          },
          rolesArgs: rolesCheckboxesArgs(errors, roles),
          removeHref: `${base}/remove`,
        }
      : undefined,
  };
}

export function removeMemberPage(actor: Actor, result: MemberResult, problem?: string) {
  const { organisation, member } = result;
  const base = organisationHref(organisation.id, `/people/${encodeURIComponent(member.id)}`);
  return {
    ...organisationChrome(
      actor,
      organisation,
      'people',
      `Remove ${member.displayName} from ${organisation.name}?`,
    ),
    caption: undefined,
    pageTitle: `Remove ${member.displayName} – ${organisation.name}`,
    errorSummaryArgs: problem
      ? { titleText: 'There is a problem', errorList: [{ text: problem, href: '#remove' }] }
      : undefined,
    action: `${base}/remove`,
    cancelHref: base,
    warningText: `They will no longer be able to see ${organisation.name}’s pages. Their account and their own records stay: removing them from the organisation does not delete them.`,
  };
}

/** Labels by audit action: a Map, so an unexpected action never finds Object.prototype's keys. */
const AUDIT_ACTION_LABELS = new Map([
  ['organisation.created', 'Organisation created'],
  ['unit.created', 'Unit added'],
  ['membership.created', 'Person added'],
  ['membership.updated', 'Membership updated'],
  ['membership.roles-changed', 'Roles changed'],
  ['membership.unit-changed', 'Unit changed'],
  ['membership.removed', 'Person removed'],
  ['invitation.sent', 'Invitation sent'],
  ['invitation.resent', 'Invitation sent again'],
  ['invitation.revoked', 'Invitation revoked'],
  ['invitation.accepted', 'Invitation accepted'],
  ['roster.imported', 'Roster imported'],
  ['roster.rejected', 'Roster rejected'],
  ['assessment.shared', 'Assessment shared'],
  ['assessment.share-withdrawn', 'Assessment share withdrawn'],
  ['assessment.share-viewed', 'Shared assessment viewed'],
  ['learning-resource.added', 'Learning resource added'],
  ['learning-resource.edited', 'Learning resource changed'],
  ['learning-resource.retired', 'Learning resource retired'],
  ['learning-resource.unretired', 'Learning resource brought back'],
  ['learning-resources.imported', 'Learning resources imported'],
  ['learning-resources.import-rejected', 'Learning resources import rejected'],
  ['validation.requested', 'Validation requested'],
  ['validation.withdrawn', 'Validation request withdrawn'],
  ['validation.viewed', 'Validation request viewed'],
  ['validation.evidence-downloaded', 'Evidence downloaded for validation'],
  ['validation.validated', 'Level validated'],
  ['validation.returned', 'Validation request returned'],
]);

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/London',
});

function auditDescription(
  entry: AuditEntry,
  personNames: Record<string, string>,
  units: UnitTree,
): string {
  const d = entry.details ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const rolesOf = (v: unknown) =>
    Array.isArray(v) ? rolesText(v.filter((r): r is Role => ROLES.includes(r as Role))) : '';
  const unitOf = (v: unknown) => {
    const id = str(v);
    return id ? units.pathText(id) || 'a unit since removed' : 'no unit';
  };
  const personId = str(d.personId);
  // personNames is a plain object built from ids: look up own keys only.
  const name = personId && Object.hasOwn(personNames, personId) ? personNames[personId] : undefined;
  const who = personId ? (name ?? 'a person who has left digicap') : '';
  const change = (key: string) => d[key] as Record<string, unknown> | undefined;
  switch (entry.action) {
    case 'organisation.created':
      return str(d.name) ?? '';
    case 'unit.created':
      return str(d.path) ?? str(d.name) ?? '';
    case 'membership.created':
      return `${who}: ${rolesOf(d.roles)}, ${unitOf(d.unitId)}`;
    case 'membership.removed':
      return who;
    case 'membership.updated':
    case 'membership.roles-changed':
    case 'membership.unit-changed': {
      const before = change('before') ?? {};
      const after = change('after') ?? {};
      const parts = [];
      if (rolesOf(before.roles) !== rolesOf(after.roles))
        parts.push(`roles ${rolesOf(before.roles)} → ${rolesOf(after.roles)}`);
      if (before.unitId !== after.unitId)
        parts.push(`unit ${unitOf(before.unitId)} → ${unitOf(after.unitId)}`);
      return `${who}: ${parts.join('; ')}`;
    }
    default:
      return str(d.email) ?? who;
  }
}

export function auditPage(
  actor: Actor,
  view: OrganisationView,
  page: AuditPage & { personNames: Record<string, string> },
) {
  const { organisation, units } = view;
  const pageHref = (n: number) => organisationHref(organisation.id, `/audit?page=${n}`);
  return {
    ...organisationChrome(actor, organisation, 'audit', 'Audit log'),
    total: page.total,
    pageText:
      page.pageCount > 1
        ? `Page ${page.page} of ${page.pageCount}, newest first.`
        : 'Newest first.',
    tableArgs: {
      caption: `Audit log entries for ${organisation.name}`,
      captionSize: 's',
      responsive: true,
      head: [{ text: 'When' }, { text: 'Who' }, { text: 'What' }, { text: 'From where' }],
      rows: page.entries.map((e) => {
        const what = AUDIT_ACTION_LABELS.get(e.action) ?? e.action;
        const description = auditDescription(e, page.personNames, units);
        return [
          {
            header: 'When',
            html: `<time datetime="${e.occurredAt.toISOString()}">${escapeHtml(dateTime.format(e.occurredAt))}</time>`,
          },
          {
            header: 'Who',
            text:
              e.actorDisplayName ??
              (e.actorPersonId ? 'A person who has left digicap' : 'digicap (automatic)'),
          },
          {
            header: 'What',
            html: description
              ? `<strong>${escapeHtml(what)}</strong><br>${escapeHtml(description)}`
              : `<strong>${escapeHtml(what)}</strong>`,
          },
          { header: 'From where', text: e.ip ?? 'Not recorded' },
        ];
      }),
    },
    paginationArgs:
      page.pageCount > 1
        ? {
            previous:
              page.page > 1
                ? {
                    href: pageHref(page.page - 1),
                    labelText: `Page ${page.page - 1} of ${page.pageCount}`,
                  }
                : undefined,
            next:
              page.page < page.pageCount
                ? {
                    href: pageHref(page.page + 1),
                    labelText: `Page ${page.page + 1} of ${page.pageCount}`,
                  }
                : undefined,
          }
        : undefined,
  };
}

export function allOrganisationsPage(organisations: readonly OrganisationRow[]) {
  return {
    pageTitle: 'All organisations',
    count: organisations.length,
    tableArgs: {
      caption: `${organisations.length === 1 ? '1 organisation' : `${organisations.length} organisations`} in this installation`,
      captionSize: 'm',
      responsive: true,
      head: [{ text: 'Name' }, { text: 'Type' }, { text: 'ODS code' }],
      rows: organisations.map((o) => [
        {
          header: 'Name',
          html:
            link(organisationHref(o.id), o.name) +
            (o.isDemo ? ' <strong class="nhsuk-tag nhsuk-tag--orange">Demo</strong>' : ''),
        },
        { header: 'Type', text: typeLabel(o.type) },
        { header: 'ODS code', text: o.odsCode ?? 'Not given' },
      ]),
    },
  };
}

export function newOrganisationPage(
  values: Partial<OrganisationFormValues> = {},
  errors: FieldError[] = [],
) {
  return {
    pageTitle: 'Create an organisation',
    breadcrumbArgs: [{ text: 'All organisations', href: '/admin/organisations' }],
    errorSummaryArgs: errorSummaryArgs(errors),
    nameArgs: {
      id: 'name',
      name: 'name',
      label: { text: 'Organisation name', size: 's' },
      hint: {
        text: 'As its staff know it, for example Northshire Hospitals NHS Foundation Trust.',
      },
      spellcheck: false,
      value: values.name,
      errorMessage: errorMessageFor(errors, 'name'),
    },
    typeArgs: {
      idPrefix: 'type',
      name: 'type',
      fieldset: { legend: { text: 'Type of organisation', size: 's' } },
      errorMessage: errorMessageFor(errors, 'type'),
      items: ORGANISATION_TYPES.map((t) => ({
        value: t,
        text: ORGANISATION_TYPE_LABELS[t],
        checked: values.type === t,
      })),
    },
    odsCodeArgs: {
      id: 'odsCode',
      name: 'odsCode',
      label: { text: 'ODS code (optional)', size: 's' },
      hint: {
        text: 'The organisation’s code in the NHS Organisation Data Service, 3 to 10 letters and numbers, like RX1.',
      },
      classes: 'nhsuk-input--width-10',
      spellcheck: false,
      autocomplete: 'off',
      value: values.odsCode,
      errorMessage: errorMessageFor(errors, 'odsCode'),
    },
  };
}
