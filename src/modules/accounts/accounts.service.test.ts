/** Registration, email confirmation and sign-in on the real database (PGlite and PostgreSQL). */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/test-database.js';
import type { Database } from '../../platform/db/index.js';
import { createAuditLog } from '../../platform/audit/audit-log.js';
import { InvalidInputError } from '../../platform/errors.js';
import { createOutboxMailer, type OutboxMailer } from '../../platform/mail/index.js';
import { createRateLimiter } from '../../platform/rate-limit/rate-limiter.js';
import {
  type AccountsService,
  createAccountsService,
  EmailNotConfirmedError,
  FieldProblemError,
  InvalidCredentialsError,
  REGISTER_LIMIT,
  RESET_LIMITS,
  SIGN_IN_LIMITS,
  TooManyAttemptsError,
} from './accounts.service.js';
import { peopleRepository } from './people.repository.js';
import { sessionRepository } from './session.repository.js';
import { hashSessionId } from './session-store.js';

const PASSWORD = 'lantern orchard velvet compass';
let database: Database;
let outbox: OutboxMailer;
let accounts: AccountsService;
let clock = new Date('2026-11-25T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  outbox = createOutboxMailer(pino({ level: 'silent' }));
  const now = () => clock;
  accounts = createAccountsService({
    database,
    mailer: outbox,
    rateLimiter: createRateLimiter(database, { now }),
    audit: createAuditLog(database, now),
    publicUrl: 'https://digicap.test',
    now,
  });
});
afterAll(async () => {
  await database.close();
});

function lastLinkTo(email: string): string {
  const message = outbox.list().find((m) => m.to === email);
  const token = /https:\/\/digicap\.test\/confirm-email\/([A-Za-z0-9_-]+)/.exec(
    message?.text ?? '',
  )?.[1];
  if (!token) throw new Error(`no confirmation link was sent to ${email}`);
  return token;
}

describe('register', () => {
  it('creates an unconfirmed account with an argon2id hash and emails a confirmation link', async () => {
    await accounts.register({
      displayName: 'Priya Shah',
      email: ' Priya.Shah@Example.org ',
      password: PASSWORD,
    });
    const person = await peopleRepository.findByEmail(database.db, 'priya.shah@example.org');
    expect(person?.displayName).toBe('Priya Shah');
    expect(person?.emailConfirmedAt).toBeNull();
    expect(person?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(person?.passwordHash).not.toContain(PASSWORD);
    expect(outbox.list()[0]?.subject).toBe('Confirm your email address for digicap');
    expect(lastLinkTo('priya.shah@example.org')).toHaveLength(43);
  });

  it('says nothing different for an email that already has an account, and tells its owner', async () => {
    const before = outbox.list().length;
    await expect(
      accounts.register({
        displayName: 'Someone Else',
        email: 'PRIYA.SHAH@example.org',
        password: 'another long pass phrase',
      }),
    ).resolves.toBeUndefined();
    const person = await peopleRepository.findByEmail(database.db, 'priya.shah@example.org');
    expect(person?.displayName).toBe('Priya Shah');
    expect(outbox.list()).toHaveLength(before + 1);
    expect(outbox.list()[0]?.subject).toBe(
      'Someone tried to create a digicap account with your email address',
    );
  });

  it('refuses a weak password, naming the password field, and creates nothing', async () => {
    const error = await accounts
      .register({ displayName: 'Sam Lee', email: 'sam@example.org', password: 'Password123!' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FieldProblemError);
    expect((error as FieldProblemError).field).toBe('password');
    expect(await peopleRepository.findByEmail(database.db, 'sam@example.org')).toBeUndefined();
  });
});

describe('registration limit', () => {
  it('stops one address creating accounts (and sending email) without limit', async () => {
    const ip = '198.18.0.7';
    for (let i = 0; i < REGISTER_LIMIT.limit; i++) {
      await accounts.register({
        displayName: `Bot ${i}`,
        email: `bot${i}@example.org`,
        password: PASSWORD,
        ip,
      });
    }
    await expect(
      accounts.register({
        displayName: 'Bot again',
        email: 'bot-again@example.org',
        password: PASSWORD,
        ip,
      }),
    ).rejects.toThrow(TooManyAttemptsError);
    expect(
      await peopleRepository.findByEmail(database.db, 'bot-again@example.org'),
    ).toBeUndefined();
  });
});

describe('confirmEmail', () => {
  it('confirms once; the same link then fails plainly', async () => {
    await accounts.register({
      displayName: 'Ola Bakare',
      email: 'ola@example.org',
      password: PASSWORD,
    });
    const token = lastLinkTo('ola@example.org');
    await accounts.confirmEmail(token);
    expect(
      (await peopleRepository.findByEmail(database.db, 'ola@example.org'))?.emailConfirmedAt,
    ).toBeInstanceOf(Date);
    await expect(accounts.confirmEmail(token)).rejects.toThrow(InvalidInputError);
    await expect(accounts.confirmEmail('not-a-real-token')).rejects.toThrow(
      'This link has expired or has already been used',
    );
  });

  it('refuses an expired link', async () => {
    await accounts.register({
      displayName: 'Kit Evans',
      email: 'kit@example.org',
      password: PASSWORD,
    });
    const token = lastLinkTo('kit@example.org');
    const start = clock;
    clock = new Date(start.getTime() + 25 * 3_600_000);
    try {
      await expect(accounts.confirmEmail(token)).rejects.toThrow('expired');
    } finally {
      clock = start;
    }
  });
});

describe('signIn', () => {
  beforeAll(async () => {
    await accounts.register({
      displayName: 'Dee Roberts',
      email: 'dee@example.org',
      password: PASSWORD,
    });
    await accounts.confirmEmail(lastLinkTo('dee@example.org'));
  });

  it('signs in with the right password, whatever the email’s case', async () => {
    const person = await accounts.signIn({
      email: 'Dee@Example.org',
      password: PASSWORD,
      ip: '192.0.2.1',
    });
    expect(person.displayName).toBe('Dee Roberts');
  });

  it('gives the same answer for a wrong password and for an unknown email', async () => {
    const wrong = await accounts
      .signIn({ email: 'dee@example.org', password: 'not the password at all', ip: '192.0.2.2' })
      .catch((e: unknown) => e);
    const unknown = await accounts
      .signIn({ email: 'nobody@example.org', password: PASSWORD, ip: '192.0.2.2' })
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(InvalidCredentialsError);
    expect(unknown).toBeInstanceOf(InvalidCredentialsError);
    expect((wrong as Error).message).toBe((unknown as Error).message);
  });

  it('will not sign in an unconfirmed account, and sends a new link', async () => {
    await accounts.register({
      displayName: 'Una Field',
      email: 'una@example.org',
      password: PASSWORD,
    });
    const before = outbox.list().length;
    await expect(
      accounts.signIn({ email: 'una@example.org', password: PASSWORD, ip: '192.0.2.3' }),
    ).rejects.toThrow(EmailNotConfirmedError);
    expect(outbox.list()).toHaveLength(before + 1);
  });

  it('locks an account for a while after too many wrong passwords, even from other addresses', async () => {
    await accounts.register({
      displayName: 'Lou Grant',
      email: 'lou@example.org',
      password: PASSWORD,
    });
    await accounts.confirmEmail(lastLinkTo('lou@example.org'));
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount.limit; i++) {
      await expect(
        accounts.signIn({
          email: 'lou@example.org',
          password: `wrong guess ${i}`,
          ip: `198.51.100.${i}`,
        }),
      ).rejects.toThrow(InvalidCredentialsError);
    }
    const locked = await accounts
      .signIn({ email: 'lou@example.org', password: PASSWORD, ip: '198.51.100.200' })
      .catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(TooManyAttemptsError);
    expect((locked as TooManyAttemptsError).message).toMatch(
      /^Too many attempts\. Try again in \d+ minutes\.$/,
    );
    const start = clock;
    clock = new Date(start.getTime() + SIGN_IN_LIMITS.perAccount.windowSeconds * 1000);
    try {
      await expect(
        accounts.signIn({ email: 'lou@example.org', password: PASSWORD, ip: '198.51.100.201' }),
      ).resolves.toMatchObject({ displayName: 'Lou Grant' });
    } finally {
      clock = start;
    }
  });

  it('never counts successful sign-ins against an address (many staff share one)', async () => {
    const ip = '203.0.113.77';
    await accounts.createConfirmedAccount({
      email: 'busy@example.org',
      displayName: 'Bea Busy',
      password: PASSWORD,
    });
    for (let i = 0; i <= SIGN_IN_LIMITS.perIp.limit; i++) {
      await accounts.signIn({ email: 'busy@example.org', password: PASSWORD, ip });
    }
    await expect(
      accounts.signIn({ email: 'busy@example.org', password: PASSWORD, ip }),
    ).resolves.toMatchObject({ personId: expect.any(String) as unknown });
  });

  it('limits failed attempts from one address across accounts', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < SIGN_IN_LIMITS.perIp.limit; i++) {
      await accounts
        .signIn({ email: `guess${i}@example.org`, password: 'whatever it is now', ip })
        .catch(() => undefined);
    }
    await expect(
      accounts.signIn({ email: 'dee@example.org', password: PASSWORD, ip }),
    ).rejects.toThrow(TooManyAttemptsError);
  });
});

describe('password reset, change and signing out everywhere', () => {
  async function sessionFor(personId: string, id: string): Promise<void> {
    await sessionRepository.upsert(database.db, {
      id: hashSessionId(id),
      personId,
      data: { personId },
      now: clock,
      expiresAt: new Date(clock.getTime() + 3_600_000),
      absoluteExpiresAt: new Date(clock.getTime() + 7_200_000),
    });
  }
  const live = async (id: string) =>
    (await sessionRepository.findLive(database.db, hashSessionId(id), clock)) !== undefined;

  function resetToken(email: string): string {
    const text =
      outbox.list().find((m) => m.to === email && m.subject === 'Reset your digicap password')
        ?.text ?? '';
    const token = /https:\/\/digicap\.test\/reset-password\/([A-Za-z0-9_-]+)/.exec(text)?.[1];
    if (!token) throw new Error(`no reset link was sent to ${email}`);
    return token;
  }

  it('emails a reset link only when the account exists, answering the same either way', async () => {
    await accounts.register({
      displayName: 'Reese Moss',
      email: 'reese@example.org',
      password: PASSWORD,
    });
    const before = outbox.list().length;
    await expect(
      accounts.requestPasswordReset({ email: 'nobody-here@example.org', ip: '192.0.2.70' }),
    ).resolves.toBeUndefined();
    expect(outbox.list()).toHaveLength(before);
    await expect(
      accounts.requestPasswordReset({ email: 'REESE@example.org', ip: '192.0.2.70' }),
    ).resolves.toBeUndefined();
    expect(outbox.list()).toHaveLength(before + 1);
  });

  it('resets the password once, confirms the address and ends every session', async () => {
    const person = await peopleRepository.findByEmail(database.db, 'reese@example.org');
    const personId = person?.id ?? '';
    await sessionFor(personId, 'reese-phone');
    await sessionFor(personId, 'reese-laptop');
    const token = resetToken('reese@example.org');
    expect(await accounts.resetLinkWorks(token)).toBe(true);
    await expect(accounts.resetPassword(token, 'Password123!')).rejects.toThrow(FieldProblemError);
    await accounts.resetPassword(token, 'copper thistle meadow engine');
    expect(await live('reese-phone')).toBe(false);
    expect(await live('reese-laptop')).toBe(false);
    expect(
      (await peopleRepository.findByEmail(database.db, 'reese@example.org'))?.emailConfirmedAt,
    ).toBeInstanceOf(Date);
    await expect(
      accounts.signIn({
        email: 'reese@example.org',
        password: 'copper thistle meadow engine',
        ip: '192.0.2.71',
      }),
    ).resolves.toMatchObject({ personId });
    await expect(accounts.resetPassword(token, 'another fine long phrase')).rejects.toThrow(
      'expired or has already been used',
    );
    expect(await accounts.resetLinkWorks(token)).toBe(false);
  });

  it('stops sending reset links to one address after a few, without saying so', async () => {
    await accounts.register({
      displayName: 'Flo Hart',
      email: 'flo@example.org',
      password: PASSWORD,
    });
    const sent = () =>
      outbox
        .list()
        .filter((m) => m.to === 'flo@example.org' && m.subject === 'Reset your digicap password')
        .length;
    for (let i = 0; i < RESET_LIMITS.perAccount.limit + 2; i++) {
      await accounts.requestPasswordReset({ email: 'flo@example.org', ip: `192.0.2.${80 + i}` });
    }
    expect(sent()).toBe(RESET_LIMITS.perAccount.limit);
  });

  it('changes a password with the current one, ending the other sessions but not this one', async () => {
    const personId = (await peopleRepository.findByEmail(database.db, 'dee@example.org'))?.id ?? '';
    await sessionFor(personId, 'dee-here');
    await sessionFor(personId, 'dee-elsewhere');
    await expect(
      accounts.changePassword({
        personId,
        currentPassword: 'wrong one entirely',
        newPassword: 'violet anchor summit river',
        currentSessionId: 'dee-here',
      }),
    ).rejects.toMatchObject({ field: 'currentPassword' });
    await accounts.changePassword({
      personId,
      currentPassword: PASSWORD,
      newPassword: 'violet anchor summit river',
      currentSessionId: 'dee-here',
    });
    expect(await live('dee-here')).toBe(true);
    expect(await live('dee-elsewhere')).toBe(false);
    await expect(
      accounts.signIn({ email: 'dee@example.org', password: PASSWORD, ip: '192.0.2.90' }),
    ).rejects.toThrow(InvalidCredentialsError);
  });

  it('signs out everywhere', async () => {
    const personId = (await peopleRepository.findByEmail(database.db, 'ola@example.org'))?.id ?? '';
    await sessionFor(personId, 'ola-1');
    await sessionFor(personId, 'ola-2');
    expect(await accounts.signOutEverywhere(personId)).toBe(2);
    expect(await live('ola-1')).toBe(false);
  });
});

describe('audit', () => {
  it('records sign-ins, failures, password changes and sign-outs everywhere, with no passwords', async () => {
    const audit = createAuditLog(database);
    const dee = (await peopleRepository.findByEmail(database.db, 'dee@example.org'))?.id ?? '';
    const actions = (await audit.listForPerson(dee)).map((e) => e.action);
    expect(actions).toContain('account.registered');
    expect(actions).toContain('account.email-confirmed');
    expect(actions).toContain('sign-in.succeeded');
    expect(actions).toContain('password.changed');
    const failures = await database.db.execute(
      sql`select details->>'reason' as reason, subject_id, ip from audit_events where action = 'sign-in.failed'`,
    );
    const rows = (Array.isArray(failures) ? failures : (failures as { rows: unknown[] }).rows) as {
      reason: string;
      subject_id: string | null;
      ip: string;
    }[];
    expect(rows.some((r) => r.reason === 'unknown-account' && r.subject_id === null)).toBe(true);
    expect(rows.some((r) => r.reason === 'wrong-password' && r.subject_id === dee)).toBe(true);
    const everything = await database.db.execute(sql`select details::text as d from audit_events`);
    const texts = (
      (Array.isArray(everything) ? everything : (everything as { rows: unknown[] }).rows) as {
        d: string;
      }[]
    ).map((r) => r.d);
    expect(texts.join(' ')).not.toContain(PASSWORD);
  });
});
