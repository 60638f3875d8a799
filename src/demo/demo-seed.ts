/**
 * Demo seeding: on an empty database (nobody has an account yet), creates the demo
 * organisations and people in demo-people.ts through the same services the pages use, so the
 * data obeys every rule real data does. Two demo learners with different archetypes also get a
 * submitted self-assessment (DEMO_ASSESSMENTS), taken through the assessment service, so that a
 * newcomer who signs in as one of them sees results and learning for their gaps at once.
 *
 * The demo trust also gets a synthetic workforce (demo-workforce.ts): about 300 staff without
 * passwords (and a team of 16 at the ICB), their submitted and in-progress self-assessments and
 * 20 pending invitations, and shares its insights with the demo ICB, so every insights view has
 * real figures. They are recorded through the services' internal verbs for bulk work (accounts
 * without a password, assessments recorded whole in one transaction each), which keeps
 * `npm start` quick. Refuses to run in production.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Services } from '../composition.js';
import { DEFAULT_FRAMEWORK_SLUG } from '../modules/framework/index.js';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_PEOPLE } from './demo-people.js';
import {
  invitationsRoster,
  type SyntheticStaff,
  syntheticInvitations,
  syntheticWorkforce,
} from './demo-workforce.js';

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

/** What the synthetic workforce came to. */
export interface WorkforceCounts {
  staff: number;
  /** Submitted self-assessments (some people have two). */
  submitted: number;
  /** People with two submitted self-assessments. */
  submittedTwice: number;
  inProgress: number;
  invitations: number;
}

export type DemoSeedResult =
  | { seeded: true; people: number; organisations: number; workforce: WorkforceCounts }
  | { seeded: false; reason: string };

type DemoServices = Pick<
  Services,
  | 'database'
  | 'frameworks'
  | 'accounts'
  | 'profiles'
  | 'organisations'
  | 'invitations'
  | 'assessments'
  | 'insights'
  | 'readModel'
>;

export async function seedDemo(
  services: DemoServices,
  options: { nodeEnv: string; now?: Date },
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

  const trustId = organisationIds.get('trust');
  const icbId = organisationIds.get('icb');
  const trustAdmin = DEMO_PEOPLE.find((p) =>
    p.memberships.some((m) => m.organisation === 'trust' && m.roles.includes('admin')),
  );
  const trustAdminId = trustAdmin ? ids.get(trustAdmin.key) : undefined;
  if (!trustId || !icbId || !trustAdminId)
    throw new Error('the demo data needs a trust with an admin and an ICB');
  const workforce = await seedWorkforce(services, {
    organisationIds,
    trustId,
    adminId: trustAdminId,
    now: options.now ?? new Date(),
  });
  // The trust agrees to share its insights with the ICB, as its admin would on the sharing page.
  await services.insights.share(
    await services.organisations.actorFor(trustAdminId),
    trustId,
    icbId,
  );
  // Every seeded person's insights figures at once, on the read model's bulk path: the queue the
  // seeding filled (several entries a person) would keep the everyday worker busy for seconds.
  await services.readModel.rebuild();

  logger?.info(
    { people: DEMO_PEOPLE.length, organisations: DEMO_ORGANISATIONS.length, workforce },
    'demo organisations and people created (see README for the sign-ins)',
  );
  return {
    seeded: true,
    people: DEMO_PEOPLE.length,
    organisations: DEMO_ORGANISATIONS.length,
    workforce,
  };
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

/**
 * The synthetic workforce (demo-workforce.ts): accounts without passwords and their profiles,
 * memberships in their units (the trust's, and one at the ICB), self-assessments submitted and
 * in progress, recorded whole (answers follow demoAnswer), and pending invitations from a roster
 * file the trust's admin imports.
 */
async function seedWorkforce(
  services: DemoServices,
  {
    organisationIds,
    trustId,
    adminId,
    now,
  }: {
    organisationIds: ReadonlyMap<string, string>;
    trustId: string;
    adminId: string;
    now: Date;
  },
): Promise<WorkforceCounts> {
  const { accounts, assessments, database, organisations, profiles } = services;
  const framework = await services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
  const staff = syntheticWorkforce(now, framework.data.targets);

  const personIds = await database.transaction(async (tx) => {
    const created: string[] = [];
    for (const person of staff) {
      const { personId } = await accounts.createAccountWithoutPassword(
        { email: person.email, displayName: person.displayName },
        tx,
      );
      created.push(personId);
    }
    return created;
  });
  const people = staff.map((person, i) => ({ person, personId: personIds[i] ?? '' }));
  for (const { person, personId } of people) {
    await profiles.updateProfile(personId, {
      professionCode: person.professionCode,
      workSettingCode: person.workSettingCode,
      archetypeCodes: person.archetypeCodes,
    });
  }
  await database.transaction(async (tx) => {
    const unitIds = new Map<string, string>();
    for (const { person, personId } of people) {
      const organisationId = organisationIds.get(person.organisation);
      if (!organisationId) throw new Error(`no demo organisation ${person.organisation}`);
      const key = [organisationId, ...person.unitPath].join('\n');
      let unitId = unitIds.get(key);
      if (!unitId) {
        unitId = (await organisations.ensureUnitPath(tx, organisationId, person.unitPath)).unitId;
        unitIds.set(key, unitId);
      }
      await organisations.addMembership(
        { organisationId, personId, unitId, roles: ['member'] },
        tx,
      );
    }
  });

  // The statements each set of archetypes is asked, in the framework's order.
  const statementsFor = new Map<string, { id: string; areaCode: string; level: number }[]>();
  const statements = (archetypeCodes: readonly string[]) => {
    const key = [...archetypeCodes].sort().join();
    let found = statementsFor.get(key);
    if (!found) {
      found = framework.data.statements.filter((s) =>
        s.archetypes.some((a) => archetypeCodes.includes(a)),
      );
      statementsFor.set(key, found);
    }
    return found;
  };
  let submitted = 0;
  for (const { person, personId } of people) {
    for (const submission of person.submissions) {
      const answers = new Map(
        statements(person.archetypeCodes).map((s) => [
          s.id,
          demoAnswer(submission.levels[s.areaCode] ?? 0, s.level),
        ]),
      );
      await assessments.recordCompletedAssessment(personId, {
        mode: 'full',
        archetypeCodes: person.archetypeCodes,
        answers,
        startedAt: submission.startedAt,
        submittedAt: submission.submittedAt,
      });
      submitted += 1;
    }
  }
  let inProgress = 0;
  for (const { person, personId } of people) {
    if (!person.inProgress) continue;
    await assessments.recordAssessmentInProgress(
      personId,
      inProgressAnswers(
        statements(person.archetypeCodes),
        person.archetypeCodes,
        person.inProgress,
      ),
    );
    inProgress += 1;
  }

  const invitations = syntheticInvitations();
  const roster = await services.invitations.importRoster(
    await organisations.actorFor(adminId),
    trustId,
    invitationsRoster(invitations),
  );
  if (roster.invited !== invitations.length)
    throw new Error(`the demo roster invited ${String(roster.invited)} people`);

  return {
    staff: staff.length,
    submitted,
    submittedTwice: staff.filter((p) => p.submissions.length > 1).length,
    inProgress,
    invitations: roster.invited,
  };
}

/**
 * An assessment in progress as the journey would leave it: the areas before the one the person
 * stopped at answered from their levels (areas in the order the assessment asks them), that one
 * half answered (its lower levels first, as its page asks them) or only opened.
 */
function inProgressAnswers(
  asked: readonly { id: string; areaCode: string; level: number }[],
  archetypeCodes: readonly string[],
  stop: NonNullable<SyntheticStaff['inProgress']>,
) {
  const areaCodes = [...new Set(asked.map((s) => s.areaCode))];
  const currentAreaCode = areaCodes.includes(stop.stopAreaCode)
    ? stop.stopAreaCode
    : (areaCodes[0] ?? '');
  const before = new Set(areaCodes.slice(0, areaCodes.indexOf(currentAreaCode)));
  const here = asked
    .filter((s) => s.areaCode === currentAreaCode)
    .sort((a, b) => a.level - b.level);
  const answered = [
    ...asked.filter((s) => before.has(s.areaCode)),
    ...(stop.partly ? here.slice(0, Math.ceil(here.length / 2)) : []),
  ];
  return {
    mode: 'full',
    archetypeCodes,
    answers: new Map(
      answered.map((s) => [s.id, demoAnswer(stop.levels[s.areaCode] ?? 0, s.level)]),
    ),
    currentAreaCode,
    startedAt: stop.startedAt,
    updatedAt: stop.updatedAt,
  };
}
