/**
 * Deleting an account erases what other modules hold about the person too, in the same
 * transaction: memberships (with the person's row) and invitations (by address or acceptance).
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisationWithAdmin } from '../../../test/support/organisations.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import type { OutboxMailer } from '../../platform/mail/index.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

const PASSWORD = 'willow kettle harbour ribbon';
const EMAIL = 'leaving@example.org';

async function count(table: 'invitations' | 'memberships', column: string, value: string) {
  const result = await app.services.database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.identifier(column)} = ${value}`,
  );
  return (result as { rows: { n: number }[] }).rows[0]?.n ?? 0;
}

describe('deleting an account', () => {
  it('erases the person’s invitations and memberships, and nobody else’s', async () => {
    const { services } = app;
    const first = await makeOrganisationWithAdmin(services);
    const second = await makeOrganisationWithAdmin(services);
    await services.invitations.inviteOne(first.admin, first.organisation.id, {
      email: EMAIL,
      displayName: 'Lee Leaving',
      roles: ['member'],
    });
    await services.invitations.inviteOne(second.admin, second.organisation.id, {
      email: EMAIL,
      displayName: 'Lee Leaving',
      roles: ['member'],
    });
    await services.invitations.inviteOne(first.admin, first.organisation.id, {
      email: 'staying@example.org',
      displayName: 'Sam Staying',
      roles: ['member'],
    });
    const link = (services.mailer as OutboxMailer)
      .list()
      .find((m) => m.to === EMAIL)
      ?.text.match(/\/invitations\/([A-Za-z0-9_-]+)/)?.[1];
    if (!link) throw new Error('no invitation link');
    const { personId } = await services.invitations.acceptWithNewAccount(link, {
      displayName: 'Lee Leaving',
      password: PASSWORD,
    });
    expect(await count('memberships', 'person_id', personId)).toBe(1);
    expect(await count('invitations', 'email', EMAIL)).toBe(2);

    await services.accounts.deleteAccount({ personId, password: PASSWORD, ip: '192.0.2.1' });

    expect(await count('memberships', 'person_id', personId)).toBe(0);
    expect(await count('invitations', 'email', EMAIL)).toBe(0);
    expect(await count('invitations', 'email', 'staying@example.org')).toBe(1);
  });

  it('changes nothing when the password is wrong', async () => {
    const { services } = app;
    const { organisation, admin } = await makeOrganisationWithAdmin(services);
    await services.invitations.inviteOne(admin, organisation.id, {
      email: 'careful@example.org',
      displayName: 'Cai Careful',
      roles: ['member'],
    });
    const { personId } = await services.accounts.createConfirmedAccount({
      email: 'careful@example.org',
      displayName: 'Cai Careful',
      password: PASSWORD,
    });
    await expect(
      services.accounts.deleteAccount({ personId, password: 'not the password', ip: '192.0.2.1' }),
    ).rejects.toThrow(/Enter your password correctly/);
    expect(await count('invitations', 'email', 'careful@example.org')).toBe(1);
  });
});
