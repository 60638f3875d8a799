/**
 * Demo seeding: on an empty database (nobody has an account yet), creates the demo
 * organisations and people in demo-people.ts through the same services the pages use, so the
 * data obeys every rule real data does. Two demo learners with different archetypes also get a
 * submitted self-assessment (DEMO_ASSESSMENTS), taken through the assessment service, so that a
 * newcomer who signs in as one of them sees results and learning for their gaps at once.
 * Refuses to run in production.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Services } from '../composition.js';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_PEOPLE } from './demo-people.js';

/**
 * Submitted self-assessments for demo learners (by key): the level each has reached in each
 * area. Answers follow from it, the same every time: statements below that level "I could lead
 * or teach this", at it "I can do this on my own", one above "I'm starting to", higher "I can't
 * do this yet". Full mode, for the archetypes in the person's profile.
 */
export const DEMO_ASSESSMENTS: Record<string, Readonly<Record<string, number>>> = {
  // Tom Evans, physiotherapist (Users, Embedders): confident with care and remote consultation,
  // newer to data and AI.
  'learner-physio': {
    '1': 2,
    '2.1': 3,
    '2.2': 2,
    '3.1': 2,
    '3.2': 1,
    '4.1.1': 2,
    '4.1.2': 1,
    '5.1.1': 2,
    '5.1.2': 1,
    '5.1.3': 1,
    '5.1.4': 1,
    '5.2.1': 2,
    '6.1': 1,
    '6.2': 2,
    '6.3': 1,
    '6.4': 1,
  },
  // Ben Carter, data analyst (Creators): strong with data, less so with ethics, law, leadership
  // and evaluating AI.
  'learner-analyst': {
    '1': 2,
    '2.1': 1,
    '2.2': 1,
    '3.1': 2,
    '3.2': 1,
    '4.1.1': 2,
    '4.1.2': 1,
    '5.1.1': 3,
    '5.1.2': 3,
    '5.1.3': 3,
    '5.1.4': 3,
    '5.2.1': 2,
    '6.1': 2,
    '6.2': 2,
    '6.3': 2,
    '6.4': 0,
  },
};

/** The answer a demo learner who reached `reached` in an area gives a statement at `level`. */
export function demoAnswer(reached: number, level: number): string {
  if (level < reached) return '3';
  if (level === reached) return '2';
  return level === reached + 1 ? '1' : '0';
}

export class DemoSeedRefusedError extends Error {
  override name = 'DemoSeedRefusedError';
}

export type DemoSeedResult =
  { seeded: true; people: number; organisations: number } | { seeded: false; reason: string };

export async function seedDemo(
  services: Pick<Services, 'database' | 'accounts' | 'profiles' | 'organisations' | 'assessments'>,
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
  for (const person of DEMO_PEOPLE) {
    const levels = DEMO_ASSESSMENTS[person.key];
    const personId = ids.get(person.key);
    if (levels && personId) await submitDemoAssessment(services, personId, person, levels);
  }

  logger?.info(
    { people: DEMO_PEOPLE.length, organisations: DEMO_ORGANISATIONS.length },
    'demo organisations and people created (see README for the sign-ins)',
  );
  return { seeded: true, people: DEMO_PEOPLE.length, organisations: DEMO_ORGANISATIONS.length };
}

/** A whole self-assessment in full mode, through the journey's own service, then submitted. */
async function submitDemoAssessment(
  services: Pick<Services, 'assessments'>,
  personId: string,
  person: (typeof DEMO_PEOPLE)[number],
  levels: Readonly<Record<string, number>>,
): Promise<void> {
  const { assessments } = services;
  const { assessment } = await assessments.startAssessment(personId, {
    mode: 'full',
    archetypeCodes: person.archetypeCodes ?? ['U'],
  });
  const { pool } = await assessments.workspace(personId, assessment.id);
  for (const area of pool.areas) {
    const reached = levels[area.areaCode] ?? 1;
    const answers: Record<string, string> = {};
    for (const id of area.statementIds) {
      const statement = pool.statements.get(id);
      if (statement) answers[id] = demoAnswer(reached, statement.level);
    }
    await assessments.recordAnswers(personId, assessment.id, area.areaCode, answers);
  }
  await assessments.submit(personId, assessment.id);
}
