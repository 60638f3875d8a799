/** Organisations, units and memberships on the real database (PGlite and PostgreSQL). */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisationWithAdmin, makePerson } from '../../../test/support/organisations.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { createAuditLog } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/index.js';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../platform/errors.js';
import { createOutboxMailer } from '../../platform/mail/index.js';
import { createRateLimiter } from '../../platform/rate-limit/rate-limiter.js';
import { createAccountsService } from '../accounts/accounts.service.js';
import {
  createOrganisationsService,
  currentOrganisationId,
  LastAdminError,
  OrganisationFieldError,
  type OrganisationsService,
} from './organisations.service.js';
import type { Role } from './roles.js';

let database: Database;
let service: OrganisationsService;
const clock = new Date('2026-11-25T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  const audit = createAuditLog(database, () => clock);
  const accounts = createAccountsService({
    database,
    mailer: createOutboxMailer(pino({ level: 'silent' })),
    rateLimiter: createRateLimiter(database),
    audit,
    publicUrl: 'https://digicap.test',
  });
  service = createOrganisationsService({ database, accounts, audit, now: () => clock });
});
afterAll(async () => {
  await database.close();
});

/** A person with an account (no password: these tests never sign in). */
const person = (name: string, options: { platformAdmin?: boolean } = {}) =>
  makePerson(database, name, { ...options, now: clock });

let platformAdminId: string;
const platformAdmin = () => service.actorFor(platformAdminId);
beforeAll(async () => {
  platformAdminId = await person('Pat Platform', { platformAdmin: true });
});

/** An organisation with an admin, and the admin's person and membership ids. */
const organisationWithAdmin = (name?: string) =>
  makeOrganisationWithAdmin(
    { database, organisations: service },
    { name, platformAdminId, now: clock },
  );

async function member(organisationId: string, unitId: string | null, roles: Role[], name = 'M') {
  const personId = await person(name);
  const membership = await service.addMembership({ organisationId, personId, unitId, roles });
  return { personId, membershipId: membership.id };
}

async function auditActions(organisationId: string) {
  const page = await service.listAuditEntries(await platformAdmin(), organisationId);
  return page.entries.map((e) => e.action);
}

describe('createOrganisation', () => {
  it('lets a platform admin create one, upper-casing the ODS code, and audits it', async () => {
    const actor = await platformAdmin();
    const created = await service.createOrganisation(
      actor,
      { name: '  Northshire   NHS Trust ', type: 'trust', odsCode: ' rx1 ' },
      '192.0.2.7',
    );
    expect(created).toMatchObject({ name: 'Northshire NHS Trust', odsCode: 'RX1', isDemo: false });
    const page = await service.listAuditEntries(actor, created.id);
    expect(page.entries).toHaveLength(1);
    expect(page.entries[0]).toMatchObject({
      action: 'organisation.created',
      actorPersonId: platformAdminId,
      actorDisplayName: 'Pat Platform',
      ip: '192.0.2.7',
      occurredAt: clock,
    });
    expect((await service.listAllOrganisations(actor)).map((o) => o.id)).toContain(created.id);
  });

  it('refuses a taken ODS code, ignoring case, and a malformed one', async () => {
    const actor = await platformAdmin();
    await service.createOrganisation(actor, { name: 'A', type: 'icb', odsCode: 'QWE' });
    const taken = service.createOrganisation(actor, { name: 'B', type: 'icb', odsCode: 'qwe' });
    await expect(taken).rejects.toBeInstanceOf(OrganisationFieldError);
    await expect(taken).rejects.toMatchObject({ field: 'odsCode' });
    for (const odsCode of ['AB', 'ABCDEFGHIJK', 'RX-1']) {
      await expect(
        service.createOrganisation(actor, { name: 'C', type: 'icb', odsCode }),
      ).rejects.toMatchObject({ field: 'odsCode' });
    }
    await expect(
      service.createOrganisation(actor, { name: '', type: 'icb' }),
    ).rejects.toMatchObject({ field: 'name' });
    await expect(
      service.createOrganisation(actor, { name: 'D', type: 'castle' }),
    ).rejects.toMatchObject({ field: 'type' });
  });

  it('allows any number of organisations without an ODS code', async () => {
    const actor = await platformAdmin();
    const a = await service.createOrganisation(actor, { name: 'No code 1', type: 'other' });
    const b = await service.createOrganisation(actor, { name: 'No code 2', type: 'other' });
    expect([a.odsCode, b.odsCode]).toEqual([null, null]);
  });

  it('is for platform admins only, not organisation admins', async () => {
    const { adminId } = await organisationWithAdmin();
    const actor = await service.actorFor(adminId);
    await expect(
      service.createOrganisation(actor, { name: 'Mine', type: 'trust' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.listAllOrganisations(actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('units', () => {
  it('nest to any depth, with sibling names unique ignoring case', async () => {
    const { organisation, adminId } = await organisationWithAdmin();
    const admin = await service.actorFor(adminId);
    let parentId: string | null = null;
    const names = ['Medicine', 'Cardiology', 'Ward 5', 'Day team', 'Bay A', 'Cubicle 1'];
    for (const name of names) {
      const unit = await service.addUnit(admin, organisation.id, { name, parentId }, '192.0.2.1');
      parentId = unit.id;
    }
    const { units } = await service.getOrganisation(admin, organisation.id);
    expect(units.pathText(parentId ?? '')).toBe(names.join(' > '));
    expect(units.flatten().map((u) => u.depth)).toEqual([0, 1, 2, 3, 4, 5]);

    const root = units.roots[0];
    await expect(
      service.addUnit(admin, organisation.id, { name: 'medicine', parentId: null }),
    ).rejects.toMatchObject({ field: 'name' });
    await expect(
      service.addUnit(admin, organisation.id, { name: 'CARDIOLOGY', parentId: root?.id ?? null }),
    ).rejects.toThrow(/already a unit called CARDIOLOGY in Medicine/);
    // The same name elsewhere in the tree is fine.
    await service.addUnit(admin, organisation.id, { name: 'Medicine', parentId: parentId });
    await expect(
      service.addUnit(admin, organisation.id, { name: 'A > B', parentId: null }),
    ).rejects.toMatchObject({ field: 'name' });
    expect((await auditActions(organisation.id)).filter((a) => a === 'unit.created')).toHaveLength(
      7,
    );
  });

  it('refuses a parent from another organisation', async () => {
    const one = await organisationWithAdmin();
    const other = await organisationWithAdmin();
    const otherAdmin = await service.actorFor(other.adminId);
    const theirs = await service.addUnit(otherAdmin, other.organisation.id, {
      name: 'Surgery',
      parentId: null,
    });
    const admin = await service.actorFor(one.adminId);
    await expect(
      service.addUnit(admin, one.organisation.id, { name: 'X', parentId: theirs.id }),
    ).rejects.toMatchObject({ field: 'parentId' });
  });

  it('may be added by admins only; other organisations get not found', async () => {
    const { organisation } = await organisationWithAdmin();
    const learner = await member(organisation.id, null, ['member', 'educator']);
    const actor = await service.actorFor(learner.personId);
    await expect(
      service.addUnit(actor, organisation.id, { name: 'Mine', parentId: null }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const outsider = await service.actorFor(await person('Outsider'));
    await expect(
      service.addUnit(outsider, organisation.id, { name: 'Mine', parentId: null }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.getOrganisation(outsider, organisation.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('ensureUnitPath creates what is missing and is idempotent', async () => {
    const { organisation } = await organisationWithAdmin();
    const first = await database.transaction((tx) =>
      service.ensureUnitPath(tx, organisation.id, ['Medicine', 'Cardiology', 'Ward 5']),
    );
    expect(first.created).toEqual([
      'Medicine',
      'Medicine > Cardiology',
      'Medicine > Cardiology > Ward 5',
    ]);
    const again = await database.transaction((tx) =>
      service.ensureUnitPath(tx, organisation.id, ['medicine', ' CARDIOLOGY ', 'ward 5']),
    );
    expect(again).toEqual({ unitId: first.unitId, created: [] });
    const branch = await database.transaction((tx) =>
      service.ensureUnitPath(tx, organisation.id, ['Medicine', 'Respiratory']),
    );
    expect(branch.created).toEqual(['Medicine > Respiratory']);
    const { units } = await service.getOrganisation(await platformAdmin(), organisation.id);
    expect(units.flatten()).toHaveLength(4);
    await expect(
      database.transaction((tx) => service.ensureUnitPath(tx, organisation.id, [])),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      database.transaction((tx) => service.ensureUnitPath(tx, organisation.id, ['A', ' '])),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('people', () => {
  /**
   * Medicine > Cardiology > Ward 5, Medicine > Respiratory, and Surgery, with someone in each
   * and a line manager of Cardiology.
   */
  async function hospital() {
    const { organisation, adminId, adminMembershipId } = await organisationWithAdmin();
    const path = (names: string[]) =>
      database.transaction((tx) => service.ensureUnitPath(tx, organisation.id, names));
    const ward5 = (await path(['Medicine', 'Cardiology', 'Ward 5'])).unitId;
    const cardiology = (await path(['Medicine', 'Cardiology'])).unitId;
    const respiratory = (await path(['Medicine', 'Respiratory'])).unitId;
    const surgery = (await path(['Surgery'])).unitId;
    const manager = await member(organisation.id, cardiology, ['line_manager', 'member'], 'Mo');
    const nurse = await member(organisation.id, ward5, ['member'], 'Nia');
    const cardiologist = await member(organisation.id, cardiology, ['member'], 'Cal');
    const physio = await member(organisation.id, respiratory, ['member'], 'Pia');
    const surgeon = await member(organisation.id, surgery, ['member'], 'Sam');
    return {
      organisation,
      adminId,
      adminMembershipId,
      units: { ward5, cardiology, respiratory, surgery },
      manager,
      nurse,
      cardiologist,
      physio,
      surgeon,
    };
  }

  it('a line manager of a middle unit sees only their unit and those below it', async () => {
    const h = await hospital();
    const actor = await service.actorFor(h.manager.personId);
    expect([...(actor.memberships.get(h.organisation.id)?.managedUnitIds ?? [])].sort()).toEqual(
      [h.units.cardiology, h.units.ward5].sort(),
    );
    const { people, scope } = await service.listPeople(actor, h.organisation.id);
    expect(scope).toBe('units');
    expect(people.map((p) => p.displayName).sort()).toEqual(['Cal', 'Mo', 'Nia']);

    const seen = await service.getMember(actor, h.organisation.id, h.nurse.membershipId);
    expect(seen).toMatchObject({ canManage: false });
    await expect(
      service.getMember(actor, h.organisation.id, h.surgeon.membershipId),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      service.changeMember(actor, h.organisation.id, h.nurse.membershipId, {
        unitId: h.units.ward5,
        roles: ['member', 'admin'],
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('an admin sees everyone; a member sees no list, only themselves', async () => {
    const h = await hospital();
    const admin = await service.actorFor(h.adminId);
    const all = await service.listPeople(admin, h.organisation.id);
    expect(all.scope).toBe('all');
    expect(all.people).toHaveLength(6);

    const nurse = await service.actorFor(h.nurse.personId);
    await expect(service.listPeople(nurse, h.organisation.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const own = await service.getMember(nurse, h.organisation.id, h.nurse.membershipId);
    expect(own.member.displayName).toBe('Nia');
    await expect(
      service.getMember(nurse, h.organisation.id, h.physio.membershipId),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('nobody sees another organisation’s people, whatever their roles there', async () => {
    const h = await hospital();
    const other = await hospital();
    const otherAdmin = await service.actorFor(other.adminId);
    await expect(service.listPeople(otherAdmin, h.organisation.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // A membership id from another organisation, asked for under one's own: not found.
    await expect(
      service.getMember(otherAdmin, other.organisation.id, h.nurse.membershipId),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      service.removeMember(otherAdmin, other.organisation.id, h.nurse.membershipId),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.listAuditEntries(otherAdmin, h.organisation.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('changes roles and units, with before and after in the audit log', async () => {
    const h = await hospital();
    const admin = await service.actorFor(h.adminId);
    await service.changeMember(
      admin,
      h.organisation.id,
      h.physio.membershipId,
      { unitId: h.units.respiratory, roles: ['line_manager', 'member'] },
      '192.0.2.9',
    );
    const physio = await service.actorFor(h.physio.personId);
    expect(physio.memberships.get(h.organisation.id)?.roles).toEqual(['member', 'line_manager']);
    const page = await service.listAuditEntries(admin, h.organisation.id);
    expect(page.entries[0]).toMatchObject({
      action: 'membership.roles-changed',
      actorPersonId: h.adminId,
      subjectId: h.physio.membershipId,
      ip: '192.0.2.9',
      details: {
        before: { unitId: h.units.respiratory, roles: ['member'] },
        after: { unitId: h.units.respiratory, roles: ['member', 'line_manager'] },
      },
    });

    await expect(
      service.changeMember(admin, h.organisation.id, h.surgeon.membershipId, {
        unitId: null,
        roles: ['line_manager'],
      }),
    ).rejects.toMatchObject({ field: 'unitId' });
    await expect(
      service.changeMember(admin, h.organisation.id, h.surgeon.membershipId, {
        unitId: h.units.surgery,
        roles: [],
      }),
    ).rejects.toMatchObject({ field: 'roles' });
  });

  it('never leaves an organisation without an admin', async () => {
    const h = await hospital();
    const admin = await service.actorFor(h.adminId);
    const demote = service.changeMember(admin, h.organisation.id, h.adminMembershipId, {
      unitId: null,
      roles: ['member'],
    });
    await expect(demote).rejects.toBeInstanceOf(LastAdminError);
    await expect(demote).rejects.toThrow(/only organisation admin/);
    await expect(
      service.removeMember(admin, h.organisation.id, h.adminMembershipId),
    ).rejects.toBeInstanceOf(LastAdminError);
    // Even the platform admin cannot.
    await expect(
      service.removeMember(await platformAdmin(), h.organisation.id, h.adminMembershipId),
    ).rejects.toBeInstanceOf(LastAdminError);

    // With a second admin, the first may step down.
    await service.changeMember(admin, h.organisation.id, h.surgeon.membershipId, {
      unitId: h.units.surgery,
      roles: ['member', 'admin'],
    });
    await service.removeMember(admin, h.organisation.id, h.adminMembershipId, '192.0.2.3');
    const gone = await service.actorFor(h.adminId);
    expect(gone.memberships.has(h.organisation.id)).toBe(false);
    expect((await auditActions(h.organisation.id)).slice(0, 2)).toEqual([
      'membership.removed',
      'membership.roles-changed',
    ]);
  });

  it('addMembership merges roles and moves the unit for someone already a member', async () => {
    const h = await hospital();
    const again = await service.addMembership({
      organisationId: h.organisation.id,
      personId: h.nurse.personId,
      unitId: h.units.surgery,
      roles: ['educator'],
    });
    expect(again).toMatchObject({ created: false, unitId: h.units.surgery });
    expect(again.roles).toEqual(['member', 'educator']);
    const kept = await service.addMembership({
      organisationId: h.organisation.id,
      personId: h.nurse.personId,
      unitId: null,
      roles: ['member'],
    });
    expect(kept.unitId).toBe(h.units.surgery);
    await expect(
      service.addMembership({
        organisationId: h.organisation.id,
        personId: await person('New'),
        unitId: null,
        roles: ['line_manager'],
      }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    // The second changed nothing, so is not in the audit log.
    const actions = await auditActions(h.organisation.id);
    expect(actions[0]).toBe('membership.updated');
    expect(actions.filter((a) => a === 'membership.updated')).toHaveLength(1);
    expect(actions).toContain('membership.created');
  });
});

describe('switching and listing', () => {
  it('lists a person’s organisations with their roles, and picks the current one', async () => {
    const a = await organisationWithAdmin('Alpha Trust');
    const b = await organisationWithAdmin('Beta Practice');
    const bank = await person('Bank nurse');
    await service.addMembership({
      organisationId: a.organisation.id,
      personId: bank,
      unitId: null,
      roles: ['member'],
    });
    await service.addMembership({
      organisationId: b.organisation.id,
      personId: bank,
      unitId: null,
      roles: ['member', 'educator'],
    });
    const actor = await service.actorFor(bank);
    const mine = await service.listMyOrganisations(actor);
    expect(mine.map((o) => [o.name, o.roles])).toEqual([
      ['Alpha Trust', ['member']],
      ['Beta Practice', ['member', 'educator']],
    ]);
    expect(currentOrganisationId(actor, b.organisation.id, mine)).toBe(b.organisation.id);
    expect(currentOrganisationId(actor, 'somewhere-else', mine)).toBe(a.organisation.id);
    expect(() => {
      service.ensureCanSwitchTo(actor, a.organisation.id);
    }).not.toThrow();
    const c = await organisationWithAdmin();
    expect(() => {
      service.ensureCanSwitchTo(actor, c.organisation.id);
    }).toThrow(NotFoundError);
    // A member can see the organisation, but not its audit log.
    await expect(service.getOrganisation(actor, a.organisation.id)).resolves.toBeDefined();
    await expect(service.listAuditEntries(actor, a.organisation.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('audit entries', () => {
  it('are readable by the organisation’s admins, newest first, one page at a time', async () => {
    const { organisation, adminId } = await organisationWithAdmin();
    const admin = await service.actorFor(adminId);
    await database.transaction(async (tx) => {
      for (let i = 0; i < 60; i += 1)
        await service.ensureUnitPath(tx, organisation.id, [`Unit ${i}`], {
          actorPersonId: adminId,
        });
    });
    const first = await service.listAuditEntries(admin, organisation.id);
    // organisation.created, membership.created and 60 unit.created.
    expect(first).toMatchObject({ total: 62, page: 1, pageCount: 2 });
    expect(first.entries).toHaveLength(50);
    expect(first.entries[0]?.details).toMatchObject({ name: 'Unit 59' });
    const second = await service.listAuditEntries(admin, organisation.id, { page: 2 });
    expect(second.entries.map((e) => e.action).slice(-2)).toEqual([
      'membership.created',
      'organisation.created',
    ]);
    // A page past the end shows the last page.
    expect((await service.listAuditEntries(admin, organisation.id, { page: 9 })).page).toBe(2);
  });
});
