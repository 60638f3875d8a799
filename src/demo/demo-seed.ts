/**
 * Demo seeding: on an empty database (nobody has an account yet), creates the demo
 * organisations and people in demo-people.ts through the same services the pages use, so the
 * data obeys every rule real data does. Refuses to run in production.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Services } from '../composition.js';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_PEOPLE } from './demo-people.js';

export class DemoSeedRefusedError extends Error {
  override name = 'DemoSeedRefusedError';
}

export type DemoSeedResult =
  { seeded: true; people: number; organisations: number } | { seeded: false; reason: string };

export async function seedDemo(
  services: Pick<Services, 'database' | 'accounts' | 'profiles' | 'organisations'>,
  options: { nodeEnv: string },
  logger?: FastifyBaseLogger,
): Promise<DemoSeedResult> {
  if (options.nodeEnv === 'production') {
    throw new DemoSeedRefusedError('Demo data is never created when NODE_ENV=production');
  }
  if (!(await services.accounts.isEmpty())) {
    return { seeded: false, reason: 'the database already has people in it' };
  }

  const ids = new Map<string, string>();
  for (const person of DEMO_PEOPLE) {
    const { personId } = await services.accounts.createConfirmedAccount({
      email: person.email,
      displayName: person.displayName,
      password: DEMO_PASSWORD,
    });
    ids.set(person.key, personId);
    if (person.platformAdmin) await services.accounts.setPlatformAdmin(personId, true);
    await services.profiles.updateProfile(personId, {
      professionCode: person.professionCode ?? null,
      workSettingCode: person.workSettingCode ?? null,
      archetypeCodes: person.archetypeCodes ?? [],
    });
  }

  const platformAdmin = DEMO_PEOPLE.find((p) => p.platformAdmin);
  const adminId = platformAdmin ? ids.get(platformAdmin.key) : undefined;
  if (!adminId) throw new Error('the demo data needs a platform admin');
  const actor = await services.organisations.actorFor(adminId);
  const organisationIds = new Map<string, string>();
  for (const organisation of DEMO_ORGANISATIONS) {
    const created = await services.organisations.createOrganisation(actor, {
      name: organisation.name,
      type: organisation.type,
      odsCode: null,
      isDemo: true,
    });
    organisationIds.set(organisation.key, created.id);
    await services.database.transaction(async (tx) => {
      for (const path of organisation.units) {
        await services.organisations.ensureUnitPath(tx, created.id, path);
      }
    });
  }

  for (const person of DEMO_PEOPLE) {
    const personId = ids.get(person.key);
    if (!personId) continue;
    for (const membership of person.memberships) {
      const organisationId = organisationIds.get(membership.organisation);
      if (!organisationId) throw new Error(`no demo organisation ${membership.organisation}`);
      const unitId = membership.unit
        ? await services.database.transaction(
            async (tx) =>
              (
                await services.organisations.ensureUnitPath(
                  tx,
                  organisationId,
                  membership.unit ?? [],
                )
              ).unitId,
          )
        : null;
      await services.organisations.addMembership({
        organisationId,
        personId,
        unitId,
        roles: membership.roles,
      });
    }
  }
  logger?.info(
    { people: DEMO_PEOPLE.length, organisations: DEMO_ORGANISATIONS.length },
    'demo organisations and people created (see README for the sign-ins)',
  );
  return { seeded: true, people: DEMO_PEOPLE.length, organisations: DEMO_ORGANISATIONS.length };
}
