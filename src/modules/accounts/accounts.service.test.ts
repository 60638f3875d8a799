/** Registration, email confirmation and sign-in on the real database (PGlite and PostgreSQL). */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/test-database.js';
import type { Database } from '../../platform/db/index.js';
import { InvalidInputError } from '../../platform/errors.js';
import { createOutboxMailer, type OutboxMailer } from '../../platform/mail/index.js';
import { createRateLimiter } from '../../platform/rate-limit/rate-limiter.js';
import {
  type AccountsService,
  createAccountsService,
  EmailNotConfirmedError,
  FieldProblemError,
  InvalidCredentialsError,
  SIGN_IN_LIMITS,
  TooManyAttemptsError,
} from './accounts.service.js';
import { peopleRepository } from './people.repository.js';

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

  it('limits attempts from one address across accounts', async () => {
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
