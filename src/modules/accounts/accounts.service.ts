/**
 * Registering, confirming an email address and signing in with a password.
 *
 * - Registering says the same thing whether or not the email already has an account; the
 *   owner of an existing account gets an email telling them instead (no account enumeration).
 * - Passwords are hashed with argon2id; unknown emails are checked against a dummy hash so
 *   that sign-in takes as long whether or not the account exists.
 * - Sign-in is rate limited per IP address and per account, across app instances.
 * - Email links carry 256-bit random tokens; only their SHA-256 is stored; they expire and
 *   work once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Database, Db } from '../../platform/db/index.js';
import { ConflictError, DomainError, InvalidInputError } from '../../platform/errors.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Mailer } from '../../platform/mail/index.js';
import type { RateLimiter } from '../../platform/rate-limit/rate-limiter.js';
import { checkNewPassword } from './password-policy.js';
import { identitiesRepository as identities } from './identities.repository.js';
import {
  peopleRepository as people,
  type PersonRow,
  type TokenPurpose,
} from './people.repository.js';
import { sessionRepository as sessions } from './session.repository.js';
import { hashSessionId } from './session-store.js';

export const CONFIRM_EMAIL_HOURS = 24;
export const RESET_PASSWORD_HOURS = 1;
export const RESET_LIMITS = {
  perIp: { limit: 20, windowSeconds: 60 * 60 },
  perAccount: { limit: 3, windowSeconds: 60 * 60 },
};
/** Registrations (each sends an email) from one address. */
export const REGISTER_LIMIT = { limit: 10, windowSeconds: 60 * 60 };
/**
 * Failed sign-ins allowed before a pause. Only failures count, per address and per account: a
 * whole trust's staff often reach us from one NHS network address, and their successful
 * sign-ins at nine in the morning must never lock each other out.
 */
export const SIGN_IN_LIMITS = {
  perIp: { limit: 100, windowSeconds: 15 * 60 },
  perAccount: { limit: 10, windowSeconds: 15 * 60 },
};

export class TooManyAttemptsError extends DomainError {
  override name = 'TooManyAttemptsError';
  override readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`);
  }
}

/** Wrong email or password: deliberately does not say which. */
export class InvalidCredentialsError extends DomainError {
  override name = 'InvalidCredentialsError';
  override readonly statusCode = 401;
  constructor() {
    super('Enter a correct email address and password');
  }
}

export class EmailNotConfirmedError extends DomainError {
  override name = 'EmailNotConfirmedError';
  override readonly statusCode = 403;
  constructor() {
    super('Confirm your email address before you sign in. We have sent you a new link.');
  }
}

/** A rule broken by one field of a form, for the caller to show beside that field. */
export class FieldProblemError extends InvalidInputError {
  override name = 'FieldProblemError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Removes what one module holds about a person whose account is being deleted. */
export type AccountEraser = (person: { personId: string; email: string }, tx: Db) => Promise<void>;

/** Another module's section of "download my data": plain data about the person. */
export type PersonalDataExporter = (personId: string) => Promise<unknown>;

export interface AccountsServiceDeps {
  database: Database;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  audit: AuditLog;
  /** Absolute origin for links in email, e.g. https://digicap.example.org */
  publicUrl: string;
  now?: () => Date;
}

/** Who a person is, for other modules: no password hash or other secrets. */
const personSummary = (person: PersonRow) => ({
  id: person.id,
  email: person.email,
  displayName: person.displayName,
  isPlatformAdmin: person.isPlatformAdmin,
});

export function createAccountsService({
  database,
  mailer,
  rateLimiter,
  audit,
  publicUrl,
  now = () => new Date(),
}: AccountsServiceDeps) {
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hash(randomBytes(16).toString('hex')));
  /** Other modules' erasers, run in the deletion's transaction (see onAccountErased). */
  const erasers: AccountEraser[] = [];
  /** Other modules' sections of "download my data" (see onPersonalDataExport). */
  const exporters: { section: string; exporter: PersonalDataExporter }[] = [];

  async function issueToken(
    personId: string,
    purpose: TokenPurpose,
    hours: number,
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const at = now();
    await people.insertToken(database.db, {
      personId,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(at.getTime() + hours * 3_600_000),
      now: at,
    });
    return token;
  }

  async function sendConfirmation(person: {
    id: string;
    email: string;
    displayName: string;
  }): Promise<void> {
    const token = await issueToken(person.id, 'confirm_email', CONFIRM_EMAIL_HOURS);
    await mailer.send({
      to: person.email,
      subject: 'Confirm your email address for digicap',
      text: [
        `Dear ${person.displayName},`,
        '',
        'To finish creating your digicap account, confirm your email address by opening this link:',
        '',
        `${publicUrl}/confirm-email/${token}`,
        '',
        `The link works once and expires in ${CONFIRM_EMAIL_HOURS} hours. If you did not ask for a digicap account, you can ignore this email.`,
      ].join('\n'),
    });
  }

  return {
    /** Always completes the same way for the caller; see the module comment. */
    async register(input: {
      displayName: string;
      email: string;
      password: string;
      ip?: string;
    }): Promise<void> {
      const email = normaliseEmail(input.email);
      const check = checkNewPassword(input.password, { email, name: input.displayName });
      if (!check.ok) throw new FieldProblemError('password', check.message);
      if (input.ip) {
        const byIp = await rateLimiter.hit(`register:ip:${input.ip}`, REGISTER_LIMIT);
        if (!byIp.allowed) throw new TooManyAttemptsError(byIp.retryAfterSeconds);
      }
      const passwordHash = await hash(input.password);
      const created = await people.insert(database.db, {
        email,
        displayName: input.displayName.trim(),
        passwordHash,
        now: now(),
      });
      if (created) {
        await audit.record({
          action: 'account.registered',
          actorPersonId: created.id,
          ip: input.ip,
        });
        await sendConfirmation(created);
        return;
      }
      const existing = await people.findByEmail(database.db, email);
      if (!existing) return;
      await audit.record({
        action: 'account.registration-refused-existing-email',
        subjectType: 'person',
        subjectId: existing.id,
        ip: input.ip,
      });
      await mailer.send({
        to: existing.email,
        subject: 'Someone tried to create a digicap account with your email address',
        text: [
          `Dear ${existing.displayName},`,
          '',
          'Someone, perhaps you, tried to create a digicap account with this email address, which already has one.',
          '',
          `To sign in, go to ${publicUrl}/sign-in`,
          '',
          'If this was not you, you do not need to do anything: your account has not changed.',
        ].join('\n'),
      });
    },

    /** Uses a confirmation token; returns the person, or says plainly that the link is no good. */
    async confirmEmail(token: string): Promise<{ personId: string }> {
      const personId = await people.consumeToken(
        database.db,
        'confirm_email',
        sha256(token),
        now(),
      );
      if (!personId) {
        throw new InvalidInputError(
          'This link has expired or has already been used. Sign in to get a new one.',
        );
      }
      await people.markEmailConfirmed(database.db, personId, now());
      await audit.record({ action: 'account.email-confirmed', actorPersonId: personId });
      return { personId };
    },

    async signIn(input: {
      email: string;
      password: string;
      ip: string;
    }): Promise<{ personId: string; displayName: string }> {
      const email = normaliseEmail(input.email);
      const ipKey = `sign-in:ip:${input.ip}`;
      const accountKey = `sign-in:account:${sha256(email)}`;
      const [byIp, byAccount] = await Promise.all([
        rateLimiter.peek(ipKey, SIGN_IN_LIMITS.perIp),
        rateLimiter.peek(accountKey, SIGN_IN_LIMITS.perAccount),
      ]);
      if (!byIp.allowed || !byAccount.allowed) {
        await audit.record({
          action: 'sign-in.rate-limited',
          ip: input.ip,
          details: { by: byIp.allowed ? 'account' : 'ip' },
        });
        throw new TooManyAttemptsError(
          Math.max(
            byIp.allowed ? 0 : byIp.retryAfterSeconds,
            byAccount.allowed ? 0 : byAccount.retryAfterSeconds,
          ),
        );
      }

      const person = await people.findByEmail(database.db, email);
      const matches = await verify(person?.passwordHash ?? (await dummy()), input.password).catch(
        () => false,
      );
      if (!person?.passwordHash || !matches) {
        await Promise.all([
          rateLimiter.hit(ipKey, SIGN_IN_LIMITS.perIp),
          rateLimiter.hit(accountKey, SIGN_IN_LIMITS.perAccount),
        ]);
        await audit.record({
          action: 'sign-in.failed',
          subjectType: person ? 'person' : undefined,
          subjectId: person?.id,
          ip: input.ip,
          details: { reason: person ? 'wrong-password' : 'unknown-account' },
        });
        throw new InvalidCredentialsError();
      }
      if (!person.emailConfirmedAt) {
        await sendConfirmation(person);
        await audit.record({
          action: 'sign-in.failed',
          subjectType: 'person',
          subjectId: person.id,
          ip: input.ip,
          details: { reason: 'email-not-confirmed' },
        });
        throw new EmailNotConfirmedError();
      }
      await rateLimiter.reset(accountKey);
      await audit.record({ action: 'sign-in.succeeded', actorPersonId: person.id, ip: input.ip });
      return { personId: person.id, displayName: person.displayName };
    },

    /**
     * Emails a reset link if the address has an account. Says nothing either way; limited per
     * IP and per address so it cannot be used to flood someone's inbox.
     */
    async requestPasswordReset(input: { email: string; ip: string }): Promise<void> {
      const email = normaliseEmail(input.email);
      const [byIp, byAccount] = await Promise.all([
        rateLimiter.hit(`reset:ip:${input.ip}`, RESET_LIMITS.perIp),
        rateLimiter.hit(`reset:account:${sha256(email)}`, RESET_LIMITS.perAccount),
      ]);
      if (!byIp.allowed) throw new TooManyAttemptsError(byIp.retryAfterSeconds);
      if (!byAccount.allowed) return; // quietly: the owner already has recent links
      const person = await people.findByEmail(database.db, email);
      if (!person) return;
      await audit.record({
        action: 'password-reset.requested',
        subjectType: 'person',
        subjectId: person.id,
        ip: input.ip,
      });
      const token = await issueToken(person.id, 'reset_password', RESET_PASSWORD_HOURS);
      await mailer.send({
        to: person.email,
        subject: 'Reset your digicap password',
        text: [
          `Dear ${person.displayName},`,
          '',
          'To choose a new password for your digicap account, open this link:',
          '',
          `${publicUrl}/reset-password/${token}`,
          '',
          `The link works once and expires in ${String(RESET_PASSWORD_HOURS * 60)} minutes. If you did not ask to reset your password, you can ignore this email: your password has not changed.`,
        ].join('\n'),
      });
    },

    /** True when a reset link can still be used (to show the form, or explain that it cannot). */
    async resetLinkWorks(token: string): Promise<boolean> {
      return (
        (await people.findTokenPerson(database.db, 'reset_password', sha256(token), now())) !==
        undefined
      );
    },

    /**
     * Sets a new password from a reset link, confirms the email address (the link proved it)
     * and ends every session of the person.
     */
    async resetPassword(token: string, password: string): Promise<void> {
      const tokenHash = sha256(token);
      const personId = await people.findTokenPerson(
        database.db,
        'reset_password',
        tokenHash,
        now(),
      );
      const person = personId ? await people.findById(database.db, personId) : undefined;
      if (!person)
        throw new InvalidInputError(
          'This link has expired or has already been used. Ask for a new one.',
        );
      const check = checkNewPassword(password, { email: person.email, name: person.displayName });
      if (!check.ok) throw new FieldProblemError('password', check.message);
      const passwordHash = await hash(password);
      await database.transaction(async (tx) => {
        const used = await people.consumeToken(tx, 'reset_password', tokenHash, now());
        if (used !== person.id)
          throw new InvalidInputError(
            'This link has expired or has already been used. Ask for a new one.',
          );
        await people.updatePassword(tx, person.id, passwordHash, now());
        if (!person.emailConfirmedAt) await people.markEmailConfirmed(tx, person.id, now());
        const ended = await sessions.deleteForPerson(tx, person.id);
        await audit.record(
          {
            action: 'password-reset.completed',
            actorPersonId: person.id,
            details: { sessionsEnded: ended },
          },
          tx,
        );
      });
    },

    /** Changes a signed-in person's password and ends their other sessions. */
    async changePassword(input: {
      personId: string;
      currentPassword: string;
      newPassword: string;
      currentSessionId: string;
    }): Promise<void> {
      const person = await people.findById(database.db, input.personId);
      if (!person?.passwordHash)
        throw new FieldProblemError('currentPassword', 'Enter your current password correctly');
      const matches = await verify(person.passwordHash, input.currentPassword).catch(() => false);
      if (!matches)
        throw new FieldProblemError('currentPassword', 'Enter your current password correctly');
      const check = checkNewPassword(input.newPassword, {
        email: person.email,
        name: person.displayName,
      });
      if (!check.ok) throw new FieldProblemError('newPassword', check.message);
      const passwordHash = await hash(input.newPassword);
      await database.transaction(async (tx) => {
        await people.updatePassword(tx, person.id, passwordHash, now());
        const ended = await sessions.deleteForPerson(
          tx,
          person.id,
          hashSessionId(input.currentSessionId),
        );
        await audit.record(
          {
            action: 'password.changed',
            actorPersonId: person.id,
            details: { otherSessionsEnded: ended },
          },
          tx,
        );
      });
    },

    /**
     * Everything digicap holds about a person, as plain data for "download my data". Later
     * modules add their sections here (assessments, plans, evidence).
     */
    async exportPersonalData(personId: string, ip: string) {
      const person = await people.findDetails(database.db, personId);
      if (!person) throw new InvalidInputError('There is no such account');
      const events = await audit.listForPerson(personId, 1000);
      const linked = await identities.listForPerson(database.db, personId);
      const sections = await Promise.all(
        exporters.map(
          async ({ section, exporter }) => [section, await exporter(personId)] as const,
        ),
      );
      await audit.record({ action: 'personal-data.downloaded', actorPersonId: personId, ip });
      return {
        exportedAt: now().toISOString(),
        format: 'digicap personal data export, version 1',
        account: {
          id: person.id,
          name: person.displayName,
          email: person.email,
          emailConfirmedAt: person.emailConfirmedAt?.toISOString() ?? null,
          passwordLastChangedAt: person.passwordChangedAt?.toISOString() ?? null,
          isPlatformAdmin: person.isPlatformAdmin,
          createdAt: person.createdAt.toISOString(),
          updatedAt: person.updatedAt.toISOString(),
        },
        profile: {
          professionCode: person.professionCode,
          workSettingCode: person.workSettingCode,
          archetypeCodes: person.archetypeCodes,
        },
        singleSignOnIdentities: linked.map((i) => ({
          issuer: i.issuer,
          email: i.email,
          linkedAt: i.createdAt.toISOString(),
          lastUsedAt: i.lastUsedAt.toISOString(),
        })),
        securityEvents: events.map((e) => ({
          at: e.occurredAt.toISOString(),
          action: e.action,
          ip: e.ip ?? null,
          details: e.details ?? {},
        })),
        ...(Object.fromEntries(sections) as Record<string, unknown>),
      };
    },

    /**
     * Erases the account after checking the password (or, for people who only sign in with
     * single sign-on and have none, that they ticked "I understand this cannot be undone"):
     * the person, their sessions, tokens and linked identities. The audit log keeps only the
     * account's random id, which no longer leads to anyone.
     */
    async deleteAccount(input: {
      personId: string;
      password?: string | undefined;
      understood?: boolean | undefined;
      ip: string;
    }): Promise<void> {
      const person = await people.findById(database.db, input.personId);
      if (!person) throw new FieldProblemError('password', 'Enter your password correctly');
      if (person.passwordHash) {
        const matches = await verify(person.passwordHash, input.password ?? '').catch(() => false);
        if (!matches) throw new FieldProblemError('password', 'Enter your password correctly');
      } else if (input.understood !== true) {
        throw new FieldProblemError(
          'understood',
          'Confirm that you understand deleting your account cannot be undone',
        );
      }
      await database.transaction(async (tx) => {
        for (const erase of erasers) await erase({ personId: person.id, email: person.email }, tx);
        await people.delete(tx, person.id);
        await audit.record(
          { action: 'account.deleted', actorPersonId: person.id, ip: input.ip },
          tx,
        );
      });
    },

    /**
     * Registers another module's eraser: when an account is deleted, it removes the personal
     * data that module holds about the person but does not hang off the person's row (which
     * ON DELETE CASCADE already removes), inside the same transaction.
     */
    onAccountErased(eraser: AccountEraser): void {
      erasers.push(eraser);
    },

    /**
     * Registers another module's section of "download my data" (e.g. assessments): its data
     * appears under `section` in the export, after the account's own sections.
     */
    onPersonalDataExport(section: string, exporter: PersonalDataExporter): void {
      exporters.push({ section, exporter });
    },

    async signedOut(personId: string, ip: string): Promise<void> {
      await audit.record({ action: 'sign-out', actorPersonId: personId, ip });
    },

    /** Ends every session of the person, this one included. */
    async signOutEverywhere(personId: string): Promise<number> {
      const ended = await sessions.deleteForPerson(database.db, personId);
      await audit.record({
        action: 'sign-out.everywhere',
        actorPersonId: personId,
        details: { sessionsEnded: ended },
      });
      return ended;
    },

    async findPerson(personId: string) {
      const person = await people.findById(database.db, personId);
      return person
        ? { ...personSummary(person), hasPassword: person.passwordHash !== null }
        : undefined;
    },

    /** True when nobody has an account yet (a new installation: demo data may be added). */
    async isEmpty(): Promise<boolean> {
      return !(await people.any(database.db));
    },

    /** The single sign-on identities linked to a person (no tokens: none are kept). */
    async listIdentities(personId: string) {
      const rows = await identities.listForPerson(database.db, personId);
      return rows.map((i) => ({
        issuer: i.issuer,
        email: i.email,
        linkedAt: i.createdAt,
        lastUsedAt: i.lastUsedAt,
      }));
    },

    async findPersonByEmail(email: string) {
      const person = await people.findByEmail(database.db, normaliseEmail(email));
      return person ? personSummary(person) : undefined;
    },

    /**
     * Creates an account whose email address is already proven (the person followed an
     * invitation link sent to it). Throws FieldProblemError when the password is too weak
     * and ConflictError when the address already has an account (sign in instead).
     */
    async createConfirmedAccount(
      input: { email: string; displayName: string; password: string; ip?: string },
      tx?: Db,
    ): Promise<{ personId: string; displayName: string }> {
      const email = normaliseEmail(input.email);
      const displayName = input.displayName.trim();
      const check = checkNewPassword(input.password, { email, name: displayName });
      if (!check.ok) throw new FieldProblemError('password', check.message);
      const passwordHash = await hash(input.password);
      const at = now();
      const created = await people.insert(tx ?? database.db, {
        email,
        displayName,
        passwordHash,
        emailConfirmedAt: at,
        now: at,
      });
      if (!created) throw new ConflictError('This email address already has an account: sign in');
      await audit.record(
        {
          action: 'account.registered',
          actorPersonId: created.id,
          ip: input.ip,
          details: { via: 'invitation' },
        },
        tx,
      );
      return { personId: created.id, displayName: created.displayName };
    },

    /**
     * Creates an account with no password, its email address taken as confirmed, as single
     * sign-on does for a new person: nobody can sign in to it with a password (sign-in refuses
     * an account without one), and there is no argon2 hash to compute. Internal: for demo
     * seeding, whose synthetic staff must exist in their hundreds but never sign in; no
     * policy check (the caller vouches for the address). ConflictError when the address
     * already has an account.
     */
    async createAccountWithoutPassword(
      input: { email: string; displayName: string },
      tx?: Db,
    ): Promise<{ personId: string; displayName: string }> {
      const email = normaliseEmail(input.email);
      const displayName = input.displayName.trim();
      if (!email || !displayName)
        throw new InvalidInputError('An account needs an email address and a name');
      const at = now();
      const created = await people.insert(tx ?? database.db, {
        email,
        displayName,
        passwordHash: null,
        emailConfirmedAt: at,
        now: at,
      });
      if (!created) throw new ConflictError('This email address already has an account');
      await audit.record(
        {
          action: 'account.registered',
          actorPersonId: created.id,
          details: { via: 'internal', password: false },
        },
        tx,
      );
      return { personId: created.id, displayName: created.displayName };
    },

    async listPlatformAdmins() {
      return people.listPlatformAdmins(database.db);
    },

    /** Makes a person a platform admin, or stops them being one (command line and demo only). */
    async setPlatformAdmin(personId: string, isPlatformAdmin: boolean): Promise<void> {
      await database.transaction(async (tx) => {
        await people.setPlatformAdmin(tx, personId, isPlatformAdmin, now());
        await audit.record(
          {
            action: isPlatformAdmin ? 'platform-admin.granted' : 'platform-admin.revoked',
            subjectType: 'person',
            subjectId: personId,
          },
          tx,
        );
      });
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
