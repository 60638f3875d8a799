/**
 * Test factories for organisations: people without passwords (for tests that never sign in) and
 * an organisation with an admin, creating the platform admin it needs when none is given. They
 * take `{ database, organisations }`, so `app.services` and hand-built services both do.
 */
import { peopleRepository } from '../../src/modules/accounts/people.repository.js';
import type { OrganisationsService } from '../../src/modules/organisations/index.js';
import type { Database } from '../../src/platform/db/index.js';

export interface OrganisationFactoryServices {
  database: Database;
  organisations: Pick<OrganisationsService, 'actorFor' | 'addMembership' | 'createOrganisation'>;
}

let personCount = 0;

/** A person with an account but no password; their id. Addresses are person1@example.org… */
export async function makePerson(
  database: Database,
  name: string,
  options: { email?: string; platformAdmin?: boolean; now?: Date } = {},
): Promise<string> {
  personCount += 1;
  const now = options.now ?? new Date();
  const row = await peopleRepository.insert(database.db, {
    email: options.email ?? `person${String(personCount)}@example.org`,
    displayName: name,
    passwordHash: null,
    now,
  });
  if (!row) throw new Error('person not created');
  if (options.platformAdmin)
    await peopleRepository.setPlatformAdmin(database.db, row.id, true, now);
  return row.id;
}

let organisationCount = 0;

/**
 * A trust (named "Trust N" unless given a name) created by a platform admin, with one admin: the
 * person `adminId` when given (someone signed in, say), otherwise a new "Admin of <name>".
 * Returns it, the admin's person and membership ids and the admin as an actor.
 */
export async function makeOrganisationWithAdmin(
  services: OrganisationFactoryServices,
  options: {
    name?: string;
    adminId?: string;
    adminName?: string;
    platformAdminId?: string;
    now?: Date;
  } = {},
) {
  const { database, organisations } = services;
  organisationCount += 1;
  const name = options.name ?? `Trust ${String(organisationCount)}`;
  const platformAdminId =
    options.platformAdminId ??
    (await makePerson(database, 'Pat Platform', { platformAdmin: true, now: options.now }));
  const organisation = await organisations.createOrganisation(
    await organisations.actorFor(platformAdminId),
    { name, type: 'trust' },
  );
  const adminId =
    options.adminId ??
    (await makePerson(database, options.adminName ?? `Admin of ${name}`, { now: options.now }));
  const membership = await organisations.addMembership({
    organisationId: organisation.id,
    personId: adminId,
    unitId: null,
    roles: ['admin'],
  });
  return {
    organisation,
    adminId,
    adminMembershipId: membership.id,
    admin: await organisations.actorFor(adminId),
  };
}
