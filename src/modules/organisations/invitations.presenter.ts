/**
 * View models for the invitation pages: the list with its actions, inviting one person, the
 * roster upload and the page an invitation link opens. No HTML strings except from escaped parts.
 */
import {
  codeOptions,
  errorMessageFor,
  escapeHtml,
  type FieldError,
  selectItems,
} from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import { csvFileInputArgs } from '../../platform/csv-upload.js';
import { fullNameArgs, newAccountPasswordArgs } from '../accounts/index.js';
import type { InviteFormValues } from './invitations.forms.js';
import {
  type InvitationLinkView,
  type InvitationListItem,
  type InvitationStatus,
  maskEmail,
  type RosterSummary,
} from './invitations.service.js';
import type { Actor } from './organisations.policy.js';
import {
  organisationChrome,
  organisationHref,
  rolesCheckboxesArgs,
  rolesText,
  unitSelectItems,
} from './organisations.presenter.js';
import {
  describeProblem,
  ROSTER_COLUMNS,
  ROSTER_MAX_ROWS,
  ROSTER_TEMPLATE_CSV,
  type RosterProblem,
} from './roster.js';
import type { UnitTree } from './unit-tree.js';

interface OrganisationHead {
  id: string;
  name: string;
  isDemo: boolean;
}

/** The invitation pages' breadcrumbs lead back to the organisation's overview. */
const toOrganisation = (organisation: OrganisationHead) => [
  { text: organisation.name, href: organisationHref(organisation.id) },
];

const STATUS_TAGS: Record<InvitationStatus, { text: string; classes: string }> = {
  pending: { text: 'Pending', classes: 'nhsuk-tag--blue' },
  expired: { text: 'Expired', classes: 'nhsuk-tag--grey' },
  accepted: { text: 'Accepted', classes: 'nhsuk-tag--green' },
  revoked: { text: 'Revoked', classes: 'nhsuk-tag--red' },
};

const dateText = (date: Date) =>
  date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'Europe/London',
  });

/** What the list page says after an action, from its query string (see invitations.routes). */
export interface InvitationNotices {
  sent?: boolean;
  revoked?: boolean;
  resent?: boolean;
  roster?: RosterNotice | undefined;
}

export type RosterNotice = Omit<RosterSummary, 'unitsCreated'> & { unitsCreated: number };

function rosterNotice(s: RosterNotice): string {
  const people = (n: number) => `${String(n)} ${n === 1 ? 'person' : 'people'}`;
  const parts = [
    `${people(s.invited)} invited`,
    `${people(s.updated)} updated`,
    `${people(s.unchanged)} unchanged`,
  ];
  let text = `Roster imported: ${parts.join(', ')}.`;
  if (s.unitsCreated > 0)
    text += ` ${String(s.unitsCreated)} new unit${s.unitsCreated === 1 ? ' was' : 's were'} created.`;
  if (s.notSent > 0)
    text += ` ${String(s.notSent)} invitation email${s.notSent === 1 ? '' : 's'} could not be sent: use "Resend" below.`;
  return text;
}

export function invitationsPage(
  actor: Actor,
  organisation: OrganisationHead,
  list: readonly InvitationListItem[],
  notices: InvitationNotices = {},
) {
  const base = organisationHref(organisation.id, '/invitations');
  const notice = notices.roster
    ? rosterNotice(notices.roster)
    : notices.sent
      ? 'Invitation sent.'
      : notices.revoked
        ? 'The invitation has been revoked: its link no longer works.'
        : notices.resent
          ? 'The invitation has been sent again with a new link. The old link no longer works.'
          : undefined;
  const counts = new Map<InvitationStatus, number>();
  for (const i of list) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
  return {
    ...organisationChrome(
      actor,
      organisation,
      'invitations',
      'Invitations',
      toOrganisation(organisation),
    ),
    notice,
    inviteHref: `${base}/new`,
    rosterHref: organisationHref(organisation.id, '/roster'),
    count: list.length,
    countsText: (['pending', 'expired', 'accepted', 'revoked'] as const)
      .filter((s) => counts.has(s))
      .map((s) => `${String(counts.get(s))} ${STATUS_TAGS[s].text.toLowerCase()}`)
      .join(', '),
    rows: list.map((i) => {
      const open = i.status === 'pending' || i.status === 'expired';
      return {
        id: i.id,
        name: i.displayName,
        email: i.email,
        unit: i.unitPath || 'None',
        roles: rolesText(i.roles),
        statusTagArgs: STATUS_TAGS[i.status],
        sent: i.sentAt ? dateText(i.sentAt) : 'Not sent',
        expires: i.status === 'pending' ? dateText(i.expiresAt) : undefined,
        resendAction: open ? `${base}/${encodeURIComponent(i.id)}/resend` : undefined,
        revokeAction: open ? `${base}/${encodeURIComponent(i.id)}/revoke` : undefined,
      };
    }),
  };
}

export function invitePage(
  actor: Actor,
  organisation: OrganisationHead,
  options: {
    units: UnitTree;
    professions: readonly { code: string; name: string }[];
    values?: Partial<InviteFormValues>;
    errors?: FieldError[];
  },
) {
  const errors = options.errors ?? [];
  const v = options.values ?? {};
  const roles = v.roles ?? ['member'];
  return {
    ...organisationChrome(
      actor,
      organisation,
      'invitations',
      'Invite someone',
      toOrganisation(organisation),
    ),
    errorSummaryArgs: errorSummaryArgs(errors),
    action: organisationHref(organisation.id, '/invitations/new'),
    cancelHref: organisationHref(organisation.id, '/invitations'),
    rosterHref: organisationHref(organisation.id, '/roster'),
    emailArgs: {
      id: 'email',
      name: 'email',
      type: 'email',
      label: { text: 'Email address' },
      hint: { text: 'We will email them a link to accept. Use their work email address.' },
      autocomplete: 'off',
      spellcheck: false,
      value: v.email,
      errorMessage: errorMessageFor(errors, 'email'),
    },
    nameArgs: {
      id: 'displayName',
      name: 'displayName',
      label: { text: 'Full name' },
      autocomplete: 'off',
      spellcheck: false,
      value: v.displayName,
      errorMessage: errorMessageFor(errors, 'displayName'),
    },
    professionArgs: {
      id: 'professionCode',
      name: 'professionCode',
      label: { text: 'Profession (optional)' },
      hint: { text: 'They can change this in their profile.' },
      errorMessage: errorMessageFor(errors, 'professionCode'),
      items: selectItems('Not given', v.professionCode, codeOptions(options.professions)),
    },
    unitArgs: {
      id: 'unitId',
      name: 'unitId',
      label: { text: 'Unit (optional for everyone but line managers)' },
      hint: { text: 'Where they work; for a line manager, the unit they manage.' },
      errorMessage: errorMessageFor(errors, 'unitId'),
      items: unitSelectItems(options.units, v.unitId, 'No unit'),
    },
    rolesArgs: rolesCheckboxesArgs(errors, roles),
  };
}

/** The most problems listed on the page: beyond this the file is probably the wrong one. */
export const MAX_PROBLEMS_SHOWN = 1_000;

export function rosterPage(
  actor: Actor,
  organisation: OrganisationHead,
  options: {
    professions: readonly { code: string; name: string }[];
    /** A problem with the upload itself (no file, wrong type). */
    fileError?: string | undefined;
    /** Problems in the file's content. */
    problems?: readonly RosterProblem[];
  },
) {
  const problems = options.problems ?? [];
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
  const errors: FieldError[] = options.fileError
    ? [{ field: 'file', text: options.fileError }]
    : shown.map((p) => ({ field: 'file', text: describeProblem(p) }));
  const more = problems.length - shown.length;
  const description =
    problems.length > 0
      ? `The file has ${String(problems.length)} problem${problems.length === 1 ? '' : 's'}. Nothing has been imported. Fix ${problems.length === 1 ? 'it' : 'them'} and upload the file again.${more > 0 ? ` The first ${String(shown.length)} are listed.` : ''}`
      : undefined;
  return {
    ...organisationChrome(
      actor,
      organisation,
      'roster',
      'Upload a roster',
      toOrganisation(organisation),
    ),
    errorSummaryArgs: errorSummaryArgs(errors, description),
    action: organisationHref(organisation.id, '/roster'),
    templateHref: organisationHref(organisation.id, '/roster/template.csv'),
    invitationsHref: organisationHref(organisation.id, '/invitations'),
    maxRows: ROSTER_MAX_ROWS.toLocaleString('en-GB'),
    fileArgs: csvFileInputArgs({
      label: 'Roster file (CSV)',
      hint: `A CSV file with a header row, up to ${ROSTER_MAX_ROWS.toLocaleString('en-GB')} people and 2 MB.`,
      fileError: options.fileError,
      problemCount: problems.length,
    }),
    columnsTableArgs: {
      caption: 'Columns of a roster file',
      captionSize: 's',
      responsive: true,
      head: [{ text: 'Column' }, { text: 'Required' }, { text: 'What to write' }],
      rows: [
        [
          { header: 'Column', text: 'email' },
          { header: 'Required', text: 'Yes' },
          { header: 'What to write', text: 'Their work email address. Each person once.' },
        ],
        [
          { header: 'Column', text: 'name' },
          { header: 'Required', text: 'Yes' },
          { header: 'What to write', text: 'Their full name.' },
        ],
        [
          { header: 'Column', text: 'profession' },
          { header: 'Required', text: 'No' },
          {
            header: 'What to write',
            text: 'A profession from the list below, by name or code. Leave blank if not known.',
          },
        ],
        [
          { header: 'Column', text: 'unit path' },
          { header: 'Required', text: 'Only for line managers' },
          {
            header: 'What to write',
            text: 'Units from the top down, separated by ">", like "Medicine > Cardiology > Ward 5". Units that do not exist yet are created.',
          },
        ],
        [
          { header: 'Column', text: 'role' },
          { header: 'Required', text: 'No' },
          {
            header: 'What to write',
            text: 'member, line manager, educator, insights viewer or admin; several separated by ";". Blank means member.',
          },
        ],
      ],
    },
    exampleTableArgs: {
      caption: 'An example roster file',
      captionSize: 's',
      head: ROSTER_COLUMNS.map((c) => ({ text: c })),
      rows: ROSTER_TEMPLATE_CSV.trim()
        .split(/\r?\n/)
        .slice(1)
        .map((line) => line.split(',').map((text) => ({ text }))),
    },
    professionsDetailsArgs: {
      summaryText: 'Professions you can use',
      html: `<ul class="nhsuk-list nhsuk-list--bullet">${options.professions
        .map(
          (p) =>
            `<li>${escapeHtml(p.name)} <span class="nhsuk-u-secondary-text-colour">(${escapeHtml(p.code)})</span></li>`,
        )
        .join('')}</ul>`,
    },
  };
}

/** The page an invitation link opens, in one of four forms depending on who is looking. */
export type AcceptMode =
  | { kind: 'accept' }
  | { kind: 'mismatch' }
  | { kind: 'sign-in' }
  | { kind: 'create-account'; values?: { displayName: string }; errors?: FieldError[] };

export function acceptPage(token: string, invitation: InvitationLinkView, mode: AcceptMode) {
  const base = `/invitations/${encodeURIComponent(token)}`;
  const errors = mode.kind === 'create-account' ? (mode.errors ?? []) : [];
  const rows = [
    { key: { text: 'Organisation' }, value: { text: invitation.organisationName } },
    {
      key: { text: invitation.roles.length === 1 ? 'Role' : 'Roles' },
      value: { text: rolesText(invitation.roles) },
    },
  ];
  if (invitation.unitPath)
    rows.push({ key: { text: 'Unit' }, value: { text: invitation.unitPath } });
  rows.push({
    key: { text: 'Invitation sent to' },
    value: { text: mode.kind === 'mismatch' ? maskEmail(invitation.email) : invitation.email },
  });
  rows.push({ key: { text: 'Link expires' }, value: { text: dateText(invitation.expiresAt) } });
  return {
    pageTitle: `Join ${invitation.organisationName}`,
    errorSummaryArgs: errorSummaryArgs(errors),
    mode: mode.kind,
    organisationName: invitation.organisationName,
    maskedEmail: maskEmail(invitation.email),
    summaryListArgs: { rows },
    acceptAction: base,
    accountAction: `${base}/account`,
    signInHref: `/sign-in?returnTo=${encodeURIComponent(base)}`,
    nameArgs: fullNameArgs(
      mode.kind === 'create-account'
        ? (mode.values?.displayName ?? invitation.displayName)
        : undefined,
      errors,
    ),
    passwordArgs: newAccountPasswordArgs(errors),
  };
}
