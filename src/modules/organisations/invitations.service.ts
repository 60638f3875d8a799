/**
 * Invitations to join an organisation: one at a time or by roster file, then accepted through a
 * single-use email link.
 *
 * - Only organisation admins (and platform admins) of that organisation invite, list, revoke,
 *   resend and import; others get "not found" for an organisation they are not in and
 *   "forbidden" for one they are in.
 * - Links carry 256-bit random tokens; only their SHA-256 is stored. A link expires after
 *   INVITATION_DAYS and works once; GET never uses it up.
 * - A roster file is checked whole (the file, then against the organisation) and either every
 *   change is written in one transaction or nothing is. Emails go out after the commit, once per
 *   newly invited person, so a failed import never emails anyone, and importing the same file
 *   again changes nothing and emails nobody.
 * - Every change is audited with the organisation's id, so its admins can read it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { type Database, type Db, isUniqueViolation, isUuid } from '../../platform/db/index.js';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
} from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail/index.js';
import type { AccountsService, ProfileService } from '../accounts/index.js';
import { DEFAULT_FRAMEWORK_SLUG, type FrameworkService } from '../framework/index.js';
import {
  type InvitationDetails,
  type InvitationListRow,
  type InvitationRow,
  type InvitationSource,
  invitationsRepository as invitationsRepo,
  type NewInvitation,
} from './invitations.repository.js';
import { type Actor, ensure, organisationsPolicy } from './organisations.policy.js';
import { organisationsRepository as orgRepo } from './organisations.repository.js';
import type { OrganisationsService } from './organisations.service.js';
import { unitNameProblem } from './organisations.service.js';
import { parseRoster, type RosterProblem, type RosterRow } from './roster.js';
import { isRole, orderedRoles, ROLE_LABELS, type Role, sameRoles } from './roles.js';
import { UNIT_PATH_SEPARATOR, UnitTree } from './unit-tree.js';

/** How long an invitation link works. */
export const INVITATION_DAYS = 14;
/** Emails sent at once after a roster import. */
const SEND_CONCURRENCY = 4;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 200;

export type InvitationStatus = 'pending' | 'expired' | 'accepted' | 'revoked';

export function invitationStatus(
  row: Pick<InvitationRow, 'acceptedAt' | 'revokedAt' | 'expiresAt'>,
  at: Date,
): InvitationStatus {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt.getTime() <= at.getTime() ? 'expired' : 'pending';
}

/** "r***@example.org": enough for the owner to recognise, not enough to learn the address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** A field of the invite form is wrong; the page shows the message beside that field. */
export class InvitationFieldError extends InvalidInputError {
  override name = 'InvitationFieldError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A roster file was refused: every problem found, with its line. Nothing was written. */
export class RosterRejectedError extends DomainError {
  override name = 'RosterRejectedError';
  override readonly statusCode = 422;
  constructor(readonly problems: RosterProblem[]) {
    super(
      `The file has ${String(problems.length)} problem${problems.length === 1 ? '' : 's'}. Nothing has been imported`,
    );
  }
}

export type InvitationLinkProblem = 'unknown' | 'expired' | 'revoked' | 'accepted';

/** The invitation link cannot be used (unknown, expired, revoked or already used). */
export class InvitationLinkError extends DomainError {
  override name = 'InvitationLinkError';
  override readonly statusCode: number;
  constructor(readonly reason: InvitationLinkProblem) {
    super(
      {
        unknown:
          'This invitation link does not work. Check you copied all of it, or ask the person who invited you for a new invitation.',
        expired:
          'This invitation has expired. Ask the person who invited you to send you a new one.',
        revoked:
          'This invitation has been withdrawn. If you think this is a mistake, ask the person who invited you for a new one.',
        accepted:
          'This invitation has already been used. If you accepted it, sign in to continue. Otherwise, ask the person who invited you for a new one.',
      }[reason],
    );
    this.statusCode = reason === 'unknown' ? 400 : 410;
  }
}

/** A signed-in person tried to accept an invitation sent to another address. */
export class InvitationEmailMismatchError extends ForbiddenError {
  override name = 'InvitationEmailMismatchError';
  constructor(readonly maskedEmail: string) {
    super(
      `This invitation was sent to ${maskedEmail}, and you are signed in with a different email address. Sign out, then open the link again and sign in (or create an account) with ${maskedEmail}.`,
    );
  }
}

export interface RosterSummary {
  invited: number;
  updated: number;
  unchanged: number;
  /** Full paths of the units the import created, e.g. "Medicine > Cardiology". */
  unitsCreated: string[];
  /** Invitation emails that could not be sent (the invitations exist: resend them). */
  notSent: number;
}

export interface InvitationListItem extends InvitationListRow {
  status: InvitationStatus;
  unitPath: string;
}

export interface InvitationLinkView {
  invitationId: string;
  organisationId: string;
  organisationName: string;
  email: string;
  displayName: string;
  roles: Role[];
  unitPath: string;
  expiresAt: Date;
}

export interface InviteInput {
  email: string;
  displayName: string;
  professionCode?: string | null;
  unitId?: string | null;
  roles: readonly string[];
}

export interface InvitationsServiceDeps {
  database: Database;
  organisations: Pick<OrganisationsService, 'getOrganisation' | 'ensureUnitPath' | 'addMembership'>;
  accounts: Pick<AccountsService, 'findPerson' | 'findPersonByEmail' | 'createConfirmedAccount'>;
  mailer: Mailer;
  audit: AuditLog;
  /** Absolute origin for links in email, e.g. https://digicap.example.org */
  publicUrl: string;
  /** For the professions a roster or form may name; without it, none are known. */
  frameworks?: Pick<FrameworkService, 'getFramework'>;
  /** To give a new member the profession their invitation names, when they have none yet. */
  profiles?: Pick<ProfileService, 'getProfile' | 'updateProfile'>;
  now?: () => Date;
  logger?: { warn(object: object, message: string): void };
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
const normaliseEmail = (email: string) => email.trim().toLowerCase();
const sameDetails = (a: InvitationDetails, b: InvitationDetails) =>
  a.displayName === b.displayName &&
  a.professionCode === b.professionCode &&
  a.unitId === b.unitId &&
  sameRoles(a.roles, b.roles);

export function rolesText(roles: readonly Role[]): string {
  return orderedRoles(roles)
    .map((r) => ROLE_LABELS[r])
    .join(', ');
}

/** An email to send once the transaction that made the invitation has committed. */
interface PendingEmail {
  invitationId: string;
  email: string;
  displayName: string;
  roles: Role[];
  token: string;
  expiresAt: Date;
  action: 'invitation.sent' | 'invitation.resent';
  source: 'single' | 'roster';
}

export function createInvitationsService({
  database,
  organisations,
  accounts,
  mailer,
  audit,
  publicUrl,
  frameworks,
  profiles,
  now = () => new Date(),
  logger,
}: InvitationsServiceDeps) {
  const expiry = (from: Date) => new Date(from.getTime() + INVITATION_DAYS * 86_400_000);

  async function professions(): Promise<{ code: string; name: string }[]> {
    if (!frameworks) return [];
    return (await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG)).data.professions;
  }

  /** The organisation, once the actor is known to administer it (404 outside it, 403 inside). */
  async function administered(actor: Actor, organisationId: string) {
    const view = await organisations.getOrganisation(actor, organisationId);
    ensure(
      organisationsPolicy.canAdministerOrganisation(actor, organisationId),
      'Only organisation admins can manage invitations',
    );
    return view;
  }

  async function invitationIn(organisationId: string, invitationId: string) {
    const row = isUuid(invitationId)
      ? await invitationsRepo.findById(database.db, invitationId)
      : undefined;
    if (row?.organisationId !== organisationId)
      throw new NotFoundError('We could not find that invitation');
    return row;
  }

  /** A new link and expiry for an open invitation (the old link stops working); false when closed. */
  const reissue = (db: Db, id: string, token: string, actor: Actor, at: Date) =>
    invitationsRepo.reissue(db, id, {
      tokenHash: sha256(token),
      expiresAt: expiry(at),
      invitedByPersonId: actor.personId,
      now: at,
    });

  /** Invites again on an expired invitation's row (one open row per person): new details, new link. */
  async function reinvite(
    tx: Db,
    id: string,
    details: InvitationDetails,
    token: string,
    actor: Actor,
    at: Date,
  ): Promise<void> {
    await invitationsRepo.updateDetails(tx, id, details, at);
    await reissue(tx, id, token, actor, at);
  }

  /** The row for a new invitation, sent by `actor` now with `token`'s link. */
  const newInvitation = (
    invitee: { organisationId: string; email: string; source: InvitationSource },
    details: InvitationDetails,
    token: string,
    actor: Actor,
    at: Date,
  ): NewInvitation => ({
    ...invitee,
    ...details,
    tokenHash: sha256(token),
    expiresAt: expiry(at),
    invitedByPersonId: actor.personId,
  });

  async function inviterName(personId: string): Promise<string | undefined> {
    return (await accounts.findPerson(personId))?.displayName;
  }

  /** Sends one invitation email; false (logged) when the mailer fails. */
  async function sendEmail(
    organisation: { id: string; name: string },
    pending: PendingEmail,
    inviter: string | undefined,
  ): Promise<boolean> {
    const expires = pending.expiresAt.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    });
    try {
      await mailer.send({
        to: pending.email,
        subject: `You are invited to join ${organisation.name} on digicap`,
        text: [
          `Dear ${pending.displayName},`,
          '',
          `${inviter ?? 'An administrator'} has invited you to join ${organisation.name} on digicap, as: ${rolesText(pending.roles)}.`,
          '',
          'digicap helps health and care staff assess and build their digital, data and AI capabilities.',
          '',
          'To accept, open this link:',
          '',
          `${publicUrl}/invitations/${pending.token}`,
          '',
          `The link works once and expires on ${expires}. If you were not expecting this invitation, you can ignore this email.`,
        ].join('\n'),
      });
      return true;
    } catch (error) {
      logger?.warn({ err: error, invitationId: pending.invitationId }, 'invitation email failed');
      return false;
    }
  }

  /**
   * Sends emails a few at a time, then records the ones that went (sent_at, send_count and an
   * audit event each) in one transaction. Returns how many failed.
   */
  async function sendAll(
    organisation: { id: string; name: string },
    pending: PendingEmail[],
    actor: Actor,
    ip: string | undefined,
  ): Promise<number> {
    if (pending.length === 0) return 0;
    const inviter = await inviterName(actor.personId);
    const sent: PendingEmail[] = [];
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
        const item = pending[next++];
        if (item && (await sendEmail(organisation, item, inviter))) sent.push(item);
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, pending.length) }, worker));
    await database.transaction(async (tx) => {
      await invitationsRepo.markSent(
        tx,
        sent.map((p) => p.invitationId),
        now(),
      );
      for (const item of sent) {
        await audit.record(
          {
            action: item.action,
            actorPersonId: actor.personId,
            organisationId: organisation.id,
            subjectType: 'invitation',
            subjectId: item.invitationId,
            ip,
            details: { source: item.source, roles: item.roles },
          },
          tx,
        );
      }
    });
    return pending.length - sent.length;
  }

  /** The usable invitation behind a link, or InvitationLinkError saying why it cannot be used. */
  async function usable(token: string): Promise<InvitationRow> {
    const row = token
      ? await invitationsRepo.findByTokenHash(database.db, sha256(token))
      : undefined;
    if (!row) throw new InvitationLinkError('unknown');
    const status = invitationStatus(row, now());
    if (status !== 'pending') throw new InvitationLinkError(status);
    return row;
  }

  /** Consumes the invitation and makes the person a member, inside `tx`. */
  async function acceptIn(tx: Db, token: string, personId: string, ip: string | undefined) {
    const row = await invitationsRepo.consume(tx, sha256(token), personId, now());
    if (!row) throw new InvitationLinkError('accepted');
    await organisations.addMembership(
      {
        organisationId: row.organisationId,
        personId,
        unitId: row.unitId,
        roles: row.roles,
        actorPersonId: personId,
        ip,
      },
      tx,
    );
    await audit.record(
      {
        action: 'invitation.accepted',
        actorPersonId: personId,
        organisationId: row.organisationId,
        subjectType: 'invitation',
        subjectId: row.id,
        ip,
        details: { roles: row.roles, unitId: row.unitId },
      },
      tx,
    );
    return row;
  }

  /** After acceptance: the invitation's profession becomes the person's, if they had none. */
  async function adoptProfession(personId: string, professionCode: string | null) {
    if (!profiles || !professionCode) return;
    const profile = await profiles.getProfile(personId);
    if (!profile || profile.professionCode) return;
    if (!(await professions()).some((p) => p.code === professionCode)) return;
    await profiles.updateProfile(personId, { ...profile, professionCode });
  }

  /** Checks that need the organisation: unit names its rules allow. */
  function organisationProblems(rows: readonly RosterRow[]): RosterProblem[] {
    const problems: RosterProblem[] = [];
    for (const row of rows) {
      for (const name of row.unitPath ?? []) {
        const problem = unitNameProblem(name);
        if (problem) {
          problems.push({ line: row.line, column: 'unit path', message: `${problem}: "${name}"` });
          break;
        }
      }
    }
    return problems;
  }

  return {
    /** The framework's professions, for the invite form and the roster page. */
    professions,

    /**
     * The organisation and its units for an invitation page, once the actor is known to
     * administer it: NotFoundError outside it, ForbiddenError inside it without the role.
     */
    organisationForAdmin: administered,

    async listInvitations(
      actor: Actor,
      organisationId: string,
    ): Promise<{ invitations: InvitationListItem[]; units: UnitTree }> {
      const { units } = await administered(actor, organisationId);
      const at = now();
      const rows = await invitationsRepo.listForOrganisation(database.db, organisationId);
      return {
        units,
        invitations: rows.map((row) => ({
          ...row,
          status: invitationStatus(row, at),
          unitPath: row.unitId ? units.pathText(row.unitId) : '',
        })),
      };
    },

    async inviteOne(
      actor: Actor,
      organisationId: string,
      input: InviteInput,
      ip?: string,
    ): Promise<InvitationRow> {
      const { organisation, units } = await administered(actor, organisationId);
      const email = normaliseEmail(input.email);
      if (!email) throw new InvitationFieldError('email', 'Enter an email address');
      if (!EMAIL.test(email) || email.length > 320)
        throw new InvitationFieldError(
          'email',
          'Enter an email address in the correct format, like name@example.com',
        );
      const displayName = input.displayName.trim().replace(/\s+/g, ' ');
      if (!displayName) throw new InvitationFieldError('displayName', "Enter the person's name");
      if (displayName.length > MAX_NAME)
        throw new InvitationFieldError(
          'displayName',
          `Name must be ${String(MAX_NAME)} characters or fewer`,
        );
      const professionCode = input.professionCode || null;
      if (professionCode && !(await professions()).some((p) => p.code === professionCode))
        throw new InvitationFieldError('professionCode', 'Select a profession from the list');
      const unitId = input.unitId || null;
      if (unitId && !units.get(unitId))
        throw new InvitationFieldError('unitId', 'Select a unit from the list');
      if (!input.roles.every(isRole))
        throw new InvitationFieldError('roles', 'Select roles from the list');
      const roles = orderedRoles(input.roles.filter(isRole));
      if (roles.length === 0) throw new InvitationFieldError('roles', 'Select at least one role');
      if (roles.includes('line_manager') && !unitId)
        throw new InvitationFieldError('unitId', 'Select the unit a line manager manages');

      const person = await accounts.findPersonByEmail(email);
      if (person && (await orgRepo.findMembership(database.db, organisationId, person.id)))
        throw new InvitationFieldError(
          'email',
          `${email} is already a member of ${organisation.name}`,
        );

      const token = newToken();
      const at = now();
      const details: InvitationDetails = { displayName, professionCode, unitId, roles };
      let row: InvitationRow;
      try {
        row = await database.transaction(async (tx) => {
          await orgRepo.lockOrganisation(tx, organisationId);
          const open = await invitationsRepo.findOpen(tx, organisationId, email);
          if (open && invitationStatus(open, at) === 'pending')
            throw new InvitationFieldError(
              'email',
              `${email} already has an invitation waiting. Resend it from the list of invitations`,
            );
          if (open) {
            // Expired but never used: invite again on the same row.
            await reinvite(tx, open.id, details, token, actor, at);
            return { ...open, ...details, expiresAt: expiry(at) };
          }
          return invitationsRepo.insert(
            tx,
            newInvitation({ organisationId, email, source: 'single' }, details, token, actor, at),
            at,
          );
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new InvitationFieldError(
            'email',
            `${email} already has an invitation waiting. Resend it from the list of invitations`,
          );
        throw error;
      }
      const failed = await sendAll(
        organisation,
        [
          {
            invitationId: row.id,
            email,
            displayName,
            roles,
            token,
            expiresAt: row.expiresAt,
            action: 'invitation.sent',
            source: 'single',
          },
        ],
        actor,
        ip,
      );
      if (failed > 0)
        throw new ConflictError(
          'The invitation was made but the email could not be sent. Try "Resend" on the list of invitations',
        );
      return row;
    },

    async revoke(
      actor: Actor,
      organisationId: string,
      invitationId: string,
      ip?: string,
    ): Promise<InvitationRow> {
      await administered(actor, organisationId);
      const row = await invitationIn(organisationId, invitationId);
      await database.transaction(async (tx) => {
        if (!(await invitationsRepo.revoke(tx, row.id, now())))
          throw new ConflictError(
            row.acceptedAt
              ? 'This invitation has already been accepted'
              : 'This invitation has already been withdrawn',
          );
        await audit.record(
          {
            action: 'invitation.revoked',
            actorPersonId: actor.personId,
            organisationId,
            subjectType: 'invitation',
            subjectId: row.id,
            ip,
          },
          tx,
        );
      });
      return row;
    },

    /** A new link with a new expiry, emailed again; for pending or expired invitations only. */
    async resend(
      actor: Actor,
      organisationId: string,
      invitationId: string,
      ip?: string,
    ): Promise<InvitationRow> {
      const { organisation } = await administered(actor, organisationId);
      const row = await invitationIn(organisationId, invitationId);
      const token = newToken();
      const at = now();
      const reissued = await reissue(database.db, row.id, token, actor, at);
      if (!reissued)
        throw new ConflictError(
          row.acceptedAt
            ? 'This invitation has already been accepted'
            : 'This invitation has been withdrawn: invite the person again instead',
        );
      const failed = await sendAll(
        organisation,
        [
          {
            invitationId: row.id,
            email: row.email,
            displayName: row.displayName,
            roles: row.roles,
            token,
            expiresAt: expiry(at),
            action: 'invitation.resent',
            source: row.source,
          },
        ],
        actor,
        ip,
      );
      if (failed > 0) throw new ConflictError('The email could not be sent. Try again later');
      return row;
    },

    /**
     * Checks the whole file, then writes every change in one transaction, then emails each newly
     * invited person. Throws RosterRejectedError (with every problem) and writes nothing when
     * anything is wrong.
     */
    async importRoster(
      actor: Actor,
      organisationId: string,
      csvText: string,
      ip?: string,
    ): Promise<RosterSummary> {
      const { organisation } = await administered(actor, organisationId);
      const parsed = parseRoster(csvText, { professions: await professions() });
      const problems = parsed.ok ? organisationProblems(parsed.rows) : parsed.problems;
      if (!parsed.ok || problems.length > 0) {
        await audit.record({
          action: 'roster.rejected',
          actorPersonId: actor.personId,
          organisationId,
          ip,
          details: { problems: problems.length },
        });
        throw new RosterRejectedError(problems);
      }
      const rows = parsed.rows;

      const { summary, emails } = await database.transaction(async (tx) => {
        // One import at a time per organisation, so two uploads of a file cannot both invite.
        await orgRepo.lockOrganisation(tx, organisationId);
        const at = now();
        const members = new Map(
          (await orgRepo.listMembers(tx, organisationId)).map((m) => [m.email.toLowerCase(), m]),
        );
        const open = new Map(
          (await invitationsRepo.listOpen(tx, organisationId)).map((i) => [i.email, i]),
        );

        const unitsCreated: string[] = [];
        const unitIds = new Map<string, string>();
        const tree = new UnitTree(await orgRepo.listUnits(tx, organisationId));
        const unitFor = async (path: string[] | null): Promise<string | null> => {
          if (!path) return null;
          const key = path.map((n) => n.toLowerCase()).join(UNIT_PATH_SEPARATOR);
          const known = unitIds.get(key) ?? tree.findByPath(path)?.id;
          if (known) return known;
          const ensured = await organisations.ensureUnitPath(tx, organisationId, path, {
            actorPersonId: actor.personId,
            ip,
          });
          unitsCreated.push(...ensured.created);
          unitIds.set(key, ensured.unitId);
          return ensured.unitId;
        };

        let updated = 0;
        let unchanged = 0;
        const fresh: { row: NewInvitation; token: string }[] = [];
        const emails: PendingEmail[] = [];
        for (const row of rows) {
          const unitId = await unitFor(row.unitPath);
          const member = members.get(row.email);
          if (member) {
            const nextUnit = unitId ?? member.unitId;
            const nextRoles = orderedRoles([...member.roles, ...row.roles]);
            if (nextUnit === member.unitId && sameRoles(nextRoles, member.roles)) {
              unchanged += 1;
              continue;
            }
            await organisations.addMembership(
              {
                organisationId,
                personId: member.personId,
                unitId,
                roles: row.roles,
                actorPersonId: actor.personId,
                ip,
              },
              tx,
            );
            updated += 1;
            continue;
          }
          const details: InvitationDetails = {
            displayName: row.displayName,
            professionCode: row.professionCode,
            unitId,
            roles: orderedRoles(row.roles),
          };
          const existing = open.get(row.email);
          if (existing && invitationStatus(existing, at) === 'pending') {
            if (sameDetails(existing, details)) unchanged += 1;
            else {
              await invitationsRepo.updateDetails(tx, existing.id, details, at);
              updated += 1;
            }
            continue;
          }
          const token = newToken();
          const email: PendingEmail = {
            invitationId: existing?.id ?? '',
            email: row.email,
            displayName: row.displayName,
            roles: details.roles,
            token,
            expiresAt: expiry(at),
            action: existing ? 'invitation.resent' : 'invitation.sent',
            source: 'roster',
          };
          if (existing) {
            // Expired: invite again on the same row.
            await reinvite(tx, existing.id, details, token, actor, at);
          } else {
            fresh.push({
              token,
              row: newInvitation(
                { organisationId, email: row.email, source: 'roster' },
                details,
                token,
                actor,
                at,
              ),
            });
          }
          emails.push(email);
        }
        const inserted = await invitationsRepo.insertMany(
          tx,
          fresh.map((f) => f.row),
          at,
        );
        const idByEmail = new Map(inserted.map((r) => [r.email, r.id]));
        for (const email of emails) {
          if (!email.invitationId) email.invitationId = idByEmail.get(email.email) ?? '';
        }
        const summary = { invited: emails.length, updated, unchanged, unitsCreated };
        await audit.record(
          {
            action: 'roster.imported',
            actorPersonId: actor.personId,
            organisationId,
            ip,
            details: {
              rows: rows.length,
              invited: summary.invited,
              updated,
              unchanged,
              unitsCreated: unitsCreated.length,
            },
          },
          tx,
        );
        return { summary, emails };
      });

      const notSent = await sendAll(organisation, emails, actor, ip);
      return { ...summary, notSent };
    },

    /**
     * For account deletion: invitations hold the person's name and email, so they go too
     * (memberships go with the person's row). Organisations' audit entries keep only ids.
     */
    async erasePerson(person: { personId: string; email: string }, tx: Db): Promise<void> {
      await invitationsRepo.deleteForPerson(tx, person.personId, person.email);
    },

    /** What a link's page shows; throws InvitationLinkError when it cannot be used. */
    async findInvitationByToken(token: string): Promise<InvitationLinkView> {
      const row = await usable(token);
      const organisation = await orgRepo.findOrganisation(database.db, row.organisationId);
      if (!organisation) throw new InvitationLinkError('unknown');
      const units = row.unitId
        ? new UnitTree(await orgRepo.listUnits(database.db, row.organisationId))
        : undefined;
      return {
        invitationId: row.id,
        organisationId: row.organisationId,
        organisationName: organisation.name,
        email: row.email,
        displayName: row.displayName,
        roles: orderedRoles(row.roles),
        unitPath: row.unitId && units ? units.pathText(row.unitId) : '',
        expiresAt: row.expiresAt,
      };
    },

    /** A signed-in person accepts; their email must be the invited one (ignoring case). */
    async accept(
      token: string,
      personId: string,
      ip?: string,
    ): Promise<{ organisationId: string }> {
      const invitation = await usable(token);
      const person = await accounts.findPerson(personId);
      if (!person) throw new ForbiddenError('Sign in to accept this invitation');
      if (normaliseEmail(person.email) !== invitation.email)
        throw new InvitationEmailMismatchError(maskEmail(invitation.email));
      const row = await database.transaction((tx) => acceptIn(tx, token, personId, ip));
      await adoptProfession(personId, row.professionCode);
      return { organisationId: row.organisationId };
    },

    /**
     * Creates an account for the invited address (the link proves it) and accepts, in one
     * transaction. Throws FieldProblemError('password', …) for a weak password and
     * ConflictError when the address already has an account (sign in instead).
     */
    async acceptWithNewAccount(
      token: string,
      input: { displayName: string; password: string },
      ip?: string,
    ): Promise<{ personId: string; displayName: string; organisationId: string }> {
      const invitation = await usable(token);
      const result = await database.transaction(async (tx) => {
        const account = await accounts.createConfirmedAccount(
          { email: invitation.email, displayName: input.displayName, password: input.password, ip },
          tx,
        );
        const row = await acceptIn(tx, token, account.personId, ip);
        return {
          ...account,
          organisationId: row.organisationId,
          professionCode: row.professionCode,
        };
      });
      await adoptProfession(result.personId, result.professionCode);
      return {
        personId: result.personId,
        displayName: result.displayName,
        organisationId: result.organisationId,
      };
    },
  };
}

export type InvitationsService = ReturnType<typeof createInvitationsService>;
