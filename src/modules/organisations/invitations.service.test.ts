/** Invitations and roster import on the real database (PGlite and PostgreSQL). */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeOrganisationWithAdmin, makePerson } from '../../../test/support/organisations.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { createAuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { createOutboxMailer, type Mailer, type MailMessage } from '../../platform/mail/index.js';
import { createRateLimiter } from '../../platform/rate-limit/rate-limiter.js';
import { createAccountsService, FieldProblemError } from '../accounts/accounts.service.js';
import { peopleRepository } from '../accounts/people.repository.js';
import type { Profile } from '../accounts/index.js';
import type { FrameworkModel } from '../framework/index.js';
import {
  createInvitationsService,
  InvitationEmailMismatchError,
  InvitationFieldError,
  InvitationLinkError,
  type InvitationsService,
  maskEmail,
  RosterRejectedError,
} from './invitations.service.js';
import type { Actor } from './organisations.policy.js';
import { createOrganisationsService, type OrganisationsService } from './organisations.service.js';
import { describeProblem } from './roster.js';

const PASSWORD = 'willow kettle harbour ribbon';
const professions = [
  { code: 'physiotherapist', name: 'Physiotherapist' },
  { code: 'nurse', name: 'Nurse' },
];

let database: Database;
let organisations: OrganisationsService;
let invitations: InvitationsService;
let clock = new Date('2026-11-25T09:00:00Z');
const sent: MailMessage[] = [];
/** Profiles by person, as a stand-in for the accounts module's profile service. */
const profilesByPerson = new Map<string, Profile>();
/** Addresses whose email "fails" to send. */
const undeliverable = new Set<string>();

beforeAll(async () => {
  database = await createTestDatabase();
  const now = () => clock;
  const audit = createAuditLog(database, now);
  const outbox = createOutboxMailer(pino({ level: 'silent' }));
  const mailer: Mailer = {
    async send(message) {
      if (undeliverable.has(message.to)) throw new Error('mailbox unavailable');
      sent.push(message);
      await outbox.send(message);
    },
  };
  const accounts = createAccountsService({
    database,
    mailer,
    rateLimiter: createRateLimiter(database, { now }),
    audit,
    publicUrl: 'https://digicap.test',
    now,
  });
  organisations = createOrganisationsService({ database, accounts, audit, now });
  const frameworks = {
    getFramework: () => Promise.resolve({ data: { professions } } as unknown as FrameworkModel),
  };
  invitations = createInvitationsService({
    database,
    organisations,
    accounts,
    mailer,
    audit,
    publicUrl: 'https://digicap.test',
    frameworks,
    profiles: {
      getProfile: (personId) =>
        Promise.resolve(
          profilesByPerson.get(personId) ?? {
            professionCode: null,
            workSettingCode: null,
            archetypeCodes: [],
          },
        ),
      updateProfile: (personId, profile) => {
        profilesByPerson.set(personId, profile);
        return Promise.resolve();
      },
    },
    now,
  });
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => {
  clock = new Date('2026-11-25T09:00:00Z');
  sent.length = 0;
  undeliverable.clear();
});

const person = (name: string, options: { email?: string; platformAdmin?: boolean } = {}) =>
  makePerson(database, name, { ...options, now: clock });

let platformAdminId: string;
beforeAll(async () => {
  platformAdminId = await person('Pat Platform', { platformAdmin: true });
});

const organisationWithAdmin = () =>
  makeOrganisationWithAdmin({ database, organisations }, { platformAdminId, now: clock });

function linkIn(message: MailMessage | undefined): string {
  const token = /https:\/\/digicap\.test\/invitations\/([A-Za-z0-9_-]+)/.exec(
    message?.text ?? '',
  )?.[1];
  if (!token) throw new Error('no invitation link in the email');
  return token;
}
const lastLinkTo = (email: string) => linkIn(sent.filter((m) => m.to === email).at(-1));

async function count(table: 'invitations' | 'units' | 'memberships' | 'people', orgId?: string) {
  const where = orgId ? sql` where organisation_id = ${orgId}` : sql``;
  const result = await database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from ${sql.raw(table)}${where}`,
  );
  const rows = (result as { rows: { n: number }[] }).rows;
  return rows[0]?.n ?? 0;
}

async function auditActions(organisationId: string) {
  const page = await organisations.listAuditEntries(
    await organisations.actorFor(platformAdminId),
    organisationId,
  );
  return page.entries;
}

describe('inviteOne', () => {
  it('stores a hashed token, emails one link and audits with the organisation', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    const row = await invitations.inviteOne(
      admin,
      organisation.id,
      { email: ' Sam.Jones@Example.org ', displayName: 'Sam Jones', roles: ['member'] },
      '192.0.2.1',
    );
    expect(row).toMatchObject({ email: 'sam.jones@example.org', source: 'single' });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe(`You are invited to join ${organisation.name} on digicap`);
    const token = lastLinkTo('sam.jones@example.org');
    const stored = await database.db.execute<{ token_hash: string; send_count: number }>(
      sql`select token_hash, send_count from invitations where id = ${row.id}`,
    );
    const storedRow = (stored as { rows: { token_hash: string; send_count: number }[] }).rows[0];
    expect(storedRow?.token_hash).not.toContain(token);
    expect(storedRow?.send_count).toBe(1);
    const list = await invitations.listInvitations(admin, organisation.id);
    expect(list.invitations.map((i) => [i.email, i.status])).toEqual([
      ['sam.jones@example.org', 'pending'],
    ]);
    const entry = (await auditActions(organisation.id)).find((e) => e.action === 'invitation.sent');
    expect(entry).toMatchObject({
      actorPersonId: admin.personId,
      organisationId: organisation.id,
      subjectId: row.id,
      ip: '192.0.2.1',
    });
  });

  it('says which field is wrong', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    const other = await organisationWithAdmin();
    const { unitId: otherUnit } = await database.transaction((tx) =>
      organisations.ensureUnitPath(tx, other.organisation.id, ['Elsewhere']),
    );
    const base = { email: 'a@example.org', displayName: 'A', roles: ['member'] };
    const cases: [object, string][] = [
      [{ email: 'nope' }, 'email'],
      [{ displayName: '  ' }, 'displayName'],
      [{ professionCode: 'astronaut' }, 'professionCode'],
      [{ unitId: otherUnit }, 'unitId'],
      [{ roles: [] }, 'roles'],
      [{ roles: ['king'] }, 'roles'],
      [{ roles: ['line_manager'] }, 'unitId'],
    ];
    for (const [change, field] of cases) {
      const attempt = invitations.inviteOne(admin, organisation.id, { ...base, ...change });
      await expect(attempt).rejects.toBeInstanceOf(InvitationFieldError);
      await expect(attempt).rejects.toMatchObject({ field });
    }
    expect(await count('invitations', organisation.id)).toBe(0);
    expect(sent).toHaveLength(0);
  });

  it('refuses a second open invitation and an existing member', async () => {
    const { organisation, admin, adminId } = await organisationWithAdmin();
    await invitations.inviteOne(admin, organisation.id, {
      email: 'twice@example.org',
      displayName: 'Twice',
      roles: ['member'],
    });
    await expect(
      invitations.inviteOne(admin, organisation.id, {
        email: 'TWICE@example.org',
        displayName: 'Twice',
        roles: ['member'],
      }),
    ).rejects.toMatchObject({
      field: 'email',
      message: expect.stringMatching(/already has/) as string,
    });
    const adminEmail = (await peopleRepository.findById(database.db, adminId))?.email ?? '';
    await expect(
      invitations.inviteOne(admin, organisation.id, {
        email: adminEmail,
        displayName: 'Me',
        roles: ['member'],
      }),
    ).rejects.toMatchObject({
      field: 'email',
      message: expect.stringMatching(/already a member/) as string,
    });
    expect(sent).toHaveLength(1);
  });
});

describe('expiry, resend and revoke', () => {
  it('expires after 14 days; resending gives a new link and expiry and kills the old link', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    const row = await invitations.inviteOne(admin, organisation.id, {
      email: 'late@example.org',
      displayName: 'Late',
      roles: ['member'],
    });
    const first = lastLinkTo('late@example.org');
    clock = new Date(clock.getTime() + 14 * 86_400_000 + 1);
    await expect(invitations.findInvitationByToken(first)).rejects.toMatchObject({
      reason: 'expired',
      statusCode: 410,
    });
    expect((await invitations.listInvitations(admin, organisation.id)).invitations[0]?.status).toBe(
      'expired',
    );

    await invitations.resend(admin, organisation.id, row.id, '192.0.2.2');
    const second = lastLinkTo('late@example.org');
    expect(second).not.toBe(first);
    await expect(invitations.findInvitationByToken(first)).rejects.toMatchObject({
      reason: 'unknown',
      statusCode: 400,
    });
    expect(await invitations.findInvitationByToken(second)).toMatchObject({
      organisationName: organisation.name,
      email: 'late@example.org',
    });
    const listed = (await invitations.listInvitations(admin, organisation.id)).invitations[0];
    expect(listed).toMatchObject({ status: 'pending', sendCount: 2 });
    expect((await auditActions(organisation.id)).map((e) => e.action)).toContain(
      'invitation.resent',
    );
  });

  it('revokes once, after which the link, resending and revoking again are refused', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    const row = await invitations.inviteOne(admin, organisation.id, {
      email: 'gone@example.org',
      displayName: 'Gone',
      roles: ['member'],
    });
    const token = lastLinkTo('gone@example.org');
    await invitations.revoke(admin, organisation.id, row.id, '192.0.2.3');
    await expect(invitations.findInvitationByToken(token)).rejects.toMatchObject({
      reason: 'revoked',
    });
    await expect(invitations.revoke(admin, organisation.id, row.id)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(invitations.resend(admin, organisation.id, row.id)).rejects.toBeInstanceOf(
      ConflictError,
    );
    const revoked = (await auditActions(organisation.id)).find(
      (e) => e.action === 'invitation.revoked',
    );
    expect(revoked).toMatchObject({ subjectId: row.id, ip: '192.0.2.3' });
    // A revoked invitation no longer blocks a new one.
    await invitations.inviteOne(admin, organisation.id, {
      email: 'gone@example.org',
      displayName: 'Gone',
      roles: ['member'],
    });
  });

  it('treats an invitation of another organisation as not found', async () => {
    const a = await organisationWithAdmin();
    const b = await organisationWithAdmin();
    const row = await invitations.inviteOne(b.admin, b.organisation.id, {
      email: 'b@example.org',
      displayName: 'B',
      roles: ['member'],
    });
    await expect(invitations.revoke(a.admin, a.organisation.id, row.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('accepting', () => {
  it('makes the signed-in invitee a member with the unit and roles, once', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    const { unitId } = await database.transaction((tx) =>
      organisations.ensureUnitPath(tx, organisation.id, ['Medicine', 'Ward 5']),
    );
    await invitations.inviteOne(admin, organisation.id, {
      email: 'Kim@Example.org',
      displayName: 'Kim',
      unitId,
      roles: ['line_manager', 'member'],
    });
    const token = lastLinkTo('kim@example.org');
    const kimId = await person('Kim', { email: 'kim@example.org' });
    expect(await invitations.findInvitationByToken(token)).toMatchObject({
      unitPath: 'Medicine > Ward 5',
      roles: ['member', 'line_manager'],
    });
    expect(await invitations.accept(token, kimId, '192.0.2.4')).toEqual({
      organisationId: organisation.id,
    });
    const kim = await organisations.actorFor(kimId);
    expect(kim.memberships.get(organisation.id)).toMatchObject({
      unitId,
      roles: ['member', 'line_manager'],
    });
    await expect(invitations.accept(token, kimId)).rejects.toMatchObject({ reason: 'accepted' });
    const accepted = (await auditActions(organisation.id)).find(
      (e) => e.action === 'invitation.accepted',
    );
    expect(accepted).toMatchObject({ actorPersonId: kimId, ip: '192.0.2.4' });
    expect((await invitations.listInvitations(admin, organisation.id)).invitations[0]?.status).toBe(
      'accepted',
    );
  });

  it('refuses someone signed in with another email, naming the invited address masked', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    await invitations.inviteOne(admin, organisation.id, {
      email: 'rowan@example.org',
      displayName: 'Rowan',
      roles: ['member'],
    });
    const token = lastLinkTo('rowan@example.org');
    const intruder = await person('Intruder');
    const attempt = invitations.accept(token, intruder);
    await expect(attempt).rejects.toBeInstanceOf(InvitationEmailMismatchError);
    await expect(attempt).rejects.toMatchObject({
      message: expect.stringContaining('r***@example.org') as string,
    });
    expect((await organisations.actorFor(intruder)).memberships.size).toBe(0);
    expect(await invitations.findInvitationByToken(token)).toBeDefined();
  });

  it('creates a confirmed account and accepts in one step', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    await invitations.inviteOne(admin, organisation.id, {
      email: 'new@example.org',
      displayName: 'New Person',
      roles: ['educator'],
    });
    const token = lastLinkTo('new@example.org');
    const peopleBefore = await count('people');

    // A weak password changes nothing.
    await expect(
      invitations.acceptWithNewAccount(token, { displayName: 'New Person', password: 'short' }),
    ).rejects.toBeInstanceOf(FieldProblemError);
    expect(await count('people')).toBe(peopleBefore);
    expect(await invitations.findInvitationByToken(token)).toBeDefined();

    const result = await invitations.acceptWithNewAccount(token, {
      displayName: 'New Person',
      password: PASSWORD,
    });
    expect(result).toMatchObject({ displayName: 'New Person', organisationId: organisation.id });
    const created = await peopleRepository.findById(database.db, result.personId);
    expect(created?.email).toBe('new@example.org');
    expect(created?.emailConfirmedAt).toEqual(clock);
    expect(
      (await organisations.actorFor(result.personId)).memberships.get(organisation.id)?.roles,
    ).toEqual(['educator']);
  });

  it('refuses to create an account for an address that has one, changing nothing', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    await person('Has account', { email: 'has@example.org' });
    await invitations.inviteOne(admin, organisation.id, {
      email: 'has@example.org',
      displayName: 'Has',
      roles: ['member'],
    });
    const token = lastLinkTo('has@example.org');
    await expect(
      invitations.acceptWithNewAccount(token, { displayName: 'Has', password: PASSWORD }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await invitations.findInvitationByToken(token)).toBeDefined();
  });

  it('gives a new member the invitation’s profession unless they already have one', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    const freshId = await person('Fresh', { email: 'fresh@example.org' });
    const setId = await person('Set', { email: 'set@example.org' });
    profilesByPerson.set(setId, {
      professionCode: 'physiotherapist',
      workSettingCode: null,
      archetypeCodes: ['U'],
    });
    for (const email of ['fresh@example.org', 'set@example.org'])
      await invitations.inviteOne(admin, organisation.id, {
        email,
        displayName: email,
        professionCode: 'nurse',
        roles: ['member'],
      });
    await invitations.accept(lastLinkTo('fresh@example.org'), freshId);
    await invitations.accept(lastLinkTo('set@example.org'), setId);
    expect(profilesByPerson.get(freshId)?.professionCode).toBe('nurse');
    expect(profilesByPerson.get(setId)).toEqual({
      professionCode: 'physiotherapist',
      workSettingCode: null,
      archetypeCodes: ['U'],
    });
  });

  it('refuses unknown and empty tokens', async () => {
    await expect(invitations.findInvitationByToken('nope')).rejects.toBeInstanceOf(
      InvitationLinkError,
    );
    await expect(invitations.findInvitationByToken('')).rejects.toMatchObject({ statusCode: 400 });
  });

  it('masks addresses', () => {
    expect(maskEmail('rowan.ellis@nhs.net')).toBe('r***@nhs.net');
  });
});

describe('policy', () => {
  it('lets only the organisation’s admins (and platform admins) manage invitations', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    const other = await organisationWithAdmin();
    const { unitId } = await database.transaction((tx) =>
      organisations.ensureUnitPath(tx, organisation.id, ['Medicine']),
    );
    const row = await invitations.inviteOne(admin, organisation.id, {
      email: 'p@example.org',
      displayName: 'P',
      roles: ['member'],
    });
    const memberId = await person('Member');
    await organisations.addMembership({
      organisationId: organisation.id,
      personId: memberId,
      unitId,
      roles: ['member', 'educator'],
    });
    const managerId = await person('Manager');
    await organisations.addMembership({
      organisationId: organisation.id,
      personId: managerId,
      unitId,
      roles: ['line_manager'],
    });
    const refused: [Actor, typeof ForbiddenError | typeof NotFoundError][] = [
      [await organisations.actorFor(memberId), ForbiddenError],
      [await organisations.actorFor(managerId), ForbiddenError],
      [other.admin, NotFoundError],
    ];
    const csv = 'email,name\nq@example.org,Q\n';
    for (const [actor, error] of refused) {
      await expect(invitations.listInvitations(actor, organisation.id)).rejects.toBeInstanceOf(
        error,
      );
      await expect(
        invitations.inviteOne(actor, organisation.id, {
          email: 'q@example.org',
          displayName: 'Q',
          roles: ['member'],
        }),
      ).rejects.toBeInstanceOf(error);
      await expect(invitations.revoke(actor, organisation.id, row.id)).rejects.toBeInstanceOf(
        error,
      );
      await expect(invitations.resend(actor, organisation.id, row.id)).rejects.toBeInstanceOf(
        error,
      );
      await expect(invitations.importRoster(actor, organisation.id, csv)).rejects.toBeInstanceOf(
        error,
      );
    }
    expect(await count('invitations', organisation.id)).toBe(1);
    const platform = await organisations.actorFor(platformAdminId);
    expect((await invitations.listInvitations(platform, organisation.id)).invitations).toHaveLength(
      1,
    );
  });
});

describe('importRoster', () => {
  const GOOD = [
    'Email,Name,Profession,Unit path,Role',
    'ann@example.org,Ann Lee,Physiotherapist,Therapies > Physiotherapy,member',
    'bo@example.org,Bo Chan,nurse,Medicine > Cardiology > Ward 5,line manager',
    'cy@example.org,Cy Dee,,,educator',
    '',
  ].join('\r\n');

  it('writes nothing, emails nobody and lists every problem when anything is wrong', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    const before = await Promise.all([
      count('invitations', organisation.id),
      count('units', organisation.id),
      count('memberships', organisation.id),
    ]);
    const bad = [
      'email,name,profession,unit path,role',
      'ok@example.org,Ok,,New Unit,member',
      'not-an-email,Bad,,,',
      'x@example.org,X,Astronaut,,',
      'ok@example.org,Ok again,,,',
      `y@example.org,Y,,${'A'.repeat(120)},`,
    ].join('\n');
    const attempt = invitations.importRoster(admin, organisation.id, bad, '192.0.2.9');
    await expect(attempt).rejects.toBeInstanceOf(RosterRejectedError);
    const error = (await attempt.catch((e: unknown) => e)) as RosterRejectedError;
    expect(error.problems.map(describeProblem)).toEqual([
      'Line 2: ok@example.org is also on line 5. Each person can be in the file once (column: email)',
      'Line 3: Enter an email address in the correct format, like name@example.com (column: email)',
      'Line 4: "Astronaut" is not a profession we know. Use a profession from the list on the upload page, or leave it blank (column: profession)',
      'Line 5: ok@example.org is also on line 2. Each person can be in the file once (column: email)',
    ]);
    // Organisation checks run only on a file that is otherwise good.
    const longUnit = invitations.importRoster(
      admin,
      organisation.id,
      `email,name,unit path\ny@example.org,Y,Medicine > ${'A'.repeat(120)}\n`,
    );
    await expect(longUnit).rejects.toMatchObject({
      problems: [{ line: 2, column: 'unit path' }],
    });
    const after = await Promise.all([
      count('invitations', organisation.id),
      count('units', organisation.id),
      count('memberships', organisation.id),
    ]);
    expect(after).toEqual(before);
    expect(sent).toHaveLength(0);
    const rejected = (await auditActions(organisation.id)).filter(
      (e) => e.action === 'roster.rejected',
    );
    expect(rejected.map((e) => e.details)).toEqual([{ problems: 1 }, { problems: 4 }]);
  });

  it('creates units and invitations and emails each person once; a re-import changes nothing', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    const summary = await invitations.importRoster(admin, organisation.id, GOOD, '192.0.2.10');
    expect(summary).toEqual({
      invited: 3,
      updated: 0,
      unchanged: 0,
      notSent: 0,
      unitsCreated: [
        'Therapies',
        'Therapies > Physiotherapy',
        'Medicine',
        'Medicine > Cardiology',
        'Medicine > Cardiology > Ward 5',
      ],
    });
    expect(sent.map((m) => m.to).sort()).toEqual([
      'ann@example.org',
      'bo@example.org',
      'cy@example.org',
    ]);
    const { invitations: listed } = await invitations.listInvitations(admin, organisation.id);
    expect(
      listed
        .map((i) => [i.email, i.professionCode, i.unitPath, i.roles, i.source, i.status])
        .sort(),
    ).toEqual([
      [
        'ann@example.org',
        'physiotherapist',
        'Therapies > Physiotherapy',
        ['member'],
        'roster',
        'pending',
      ],
      [
        'bo@example.org',
        'nurse',
        'Medicine > Cardiology > Ward 5',
        ['line_manager'],
        'roster',
        'pending',
      ],
      ['cy@example.org', null, '', ['educator'], 'roster', 'pending'],
    ]);
    const imported = (await auditActions(organisation.id)).find(
      (e) => e.action === 'roster.imported',
    );
    expect(imported).toMatchObject({
      actorPersonId: admin.personId,
      ip: '192.0.2.10',
      details: { rows: 3, invited: 3, updated: 0, unchanged: 0, unitsCreated: 5 },
    });

    sent.length = 0;
    const counts = [
      await count('invitations', organisation.id),
      await count('units', organisation.id),
    ];
    expect(await invitations.importRoster(admin, organisation.id, GOOD)).toEqual({
      invited: 0,
      updated: 0,
      unchanged: 3,
      notSent: 0,
      unitsCreated: [],
    });
    expect(sent).toHaveLength(0);
    expect([
      await count('invitations', organisation.id),
      await count('units', organisation.id),
    ]).toEqual(counts);
  });

  it('leaves members alone when nothing changes, updates them otherwise, and updates waiting invitations without email', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    const { unitId } = await database.transaction((tx) =>
      organisations.ensureUnitPath(tx, organisation.id, ['Medicine']),
    );
    const sameId = await person('Same', { email: 'same@example.org' });
    const movingId = await person('Moving', { email: 'moving@example.org' });
    for (const personId of [sameId, movingId])
      await organisations.addMembership({
        organisationId: organisation.id,
        personId,
        unitId,
        roles: ['member'],
      });
    await invitations.inviteOne(admin, organisation.id, {
      email: 'waiting@example.org',
      displayName: 'Waiting',
      roles: ['member'],
    });
    sent.length = 0;
    const summary = await invitations.importRoster(
      admin,
      organisation.id,
      [
        'email,name,unit path,role',
        'SAME@example.org,Same,medicine,member',
        'moving@example.org,Moving,Medicine > Respiratory,member; educator',
        'waiting@example.org,Waiting Person,,member',
      ].join('\n'),
    );
    expect(summary).toMatchObject({ invited: 0, updated: 2, unchanged: 1 });
    expect(sent).toHaveLength(0);
    const moving = (await organisations.actorFor(movingId)).memberships.get(organisation.id);
    expect(moving?.roles).toEqual(['member', 'educator']);
    expect(moving?.unitId).not.toBe(unitId);
    const waiting = (await invitations.listInvitations(admin, organisation.id)).invitations.find(
      (i) => i.email === 'waiting@example.org',
    );
    expect(waiting).toMatchObject({ displayName: 'Waiting Person', sendCount: 1 });
    expect((await auditActions(organisation.id)).map((e) => e.action)).toContain(
      'membership.updated',
    );
  });

  it('invites again, with a new link, someone whose invitation expired', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    await invitations.importRoster(admin, organisation.id, 'email,name\nold@example.org,Old\n');
    const first = lastLinkTo('old@example.org');
    clock = new Date(clock.getTime() + 15 * 86_400_000);
    sent.length = 0;
    expect(
      await invitations.importRoster(admin, organisation.id, 'email,name\nold@example.org,Old\n'),
    ).toMatchObject({ invited: 1, unchanged: 0 });
    expect(lastLinkTo('old@example.org')).not.toBe(first);
    expect(await count('invitations', organisation.id)).toBe(1);
  });

  it('counts emails that could not be sent, keeping the invitations to resend', async () => {
    const { organisation, admin } = await organisationWithAdmin();
    undeliverable.add('bounce@example.org');
    const summary = await invitations.importRoster(
      admin,
      organisation.id,
      'email,name\nbounce@example.org,Bounce\nfine@example.org,Fine\n',
    );
    expect(summary).toMatchObject({ invited: 2, notSent: 1 });
    const listed = (await invitations.listInvitations(admin, organisation.id)).invitations;
    expect(listed.find((i) => i.email === 'bounce@example.org')).toMatchObject({
      sentAt: null,
      sendCount: 0,
    });
  });
});
