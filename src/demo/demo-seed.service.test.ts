/** Demo seeding through the real services, on PGlite and PostgreSQL. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../test/support/browser.js';
import { buildTestApp } from '../../test/support/test-app.js';
import type { Assessment } from '../modules/assessment/index.js';
import { DEFAULT_FRAMEWORK_SLUG } from '../modules/framework/index.js';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_PEOPLE } from './demo-people.js';
import { DEMO_ASSESSMENTS, DemoSeedRefusedError, demoAnswer, seedDemo } from './demo-seed.js';
import {
  quarterStart,
  type SyntheticStaff,
  syntheticInvitations,
  syntheticWorkforce,
  WORKFORCE_UNITS,
} from './demo-workforce.js';

let app: FastifyInstance;
let seededAt: Date;
beforeAll(async () => {
  seededAt = new Date();
  app = await buildTestApp({ DEMO_DATA: 'true' });
});
afterAll(async () => {
  await app.close();
});

const personId = async (key: string) => {
  const person = DEMO_PEOPLE.find((p) => p.key === key);
  const found = person ? await app.services.accounts.findPersonByEmail(person.email) : undefined;
  if (!found) throw new Error(`no demo person ${key}`);
  return found.id;
};

const organisationId = async (key: 'trust' | 'icb') => {
  const name = DEMO_ORGANISATIONS.find((o) => o.key === key)?.name;
  const actor = await app.services.organisations.actorFor(await personId('platform-admin'));
  const found = (await app.services.organisations.listAllOrganisations(actor)).find(
    (o) => o.name === name,
  );
  if (!found) throw new Error(`no demo organisation ${key}`);
  return found.id;
};

const adminActor = async () => app.services.organisations.actorFor(await personId('admin'));

describe('demo data', () => {
  it('creates every demo person, who can sign in with the demo password', async () => {
    for (const person of DEMO_PEOPLE) {
      const found = await app.services.accounts.findPersonByEmail(person.email);
      expect(found?.displayName, person.key).toBe(person.displayName);
      expect(found?.isPlatformAdmin, person.key).toBe(person.platformAdmin === true);
    }
    const browser = new Browser(app, '198.51.100.7');
    await browser.get('/sign-in');
    const signedIn = await browser.post('/sign-in', {
      email: DEMO_PEOPLE[1]?.email ?? '',
      password: DEMO_PASSWORD,
    });
    expect(signedIn.response.headers.location).toBe('/account');
  });

  it('gives each person their roles, units and profile', async () => {
    const organisations = app.services.organisations;
    const manager = await organisations.actorFor(await personId('line-manager'));
    const [trust] = [...manager.memberships.values()];
    expect(trust?.roles).toEqual(['member', 'line_manager']);
    // Medicine, Cardiology, Ward 5, Ward 6 and Respiratory.
    expect(trust?.managedUnitIds.size).toBe(5);

    const twoOrganisations = await organisations.actorFor(
      await personId('learner-pharmacist-two-organisations'),
    );
    expect(twoOrganisations.memberships.size).toBe(2);

    const platformAdmin = await organisations.actorFor(await personId('platform-admin'));
    expect(platformAdmin.isPlatformAdmin).toBe(true);
    const all = await organisations.listAllOrganisations(platformAdmin);
    expect(all.map((o) => o.name).sort()).toEqual(DEMO_ORGANISATIONS.map((o) => o.name).sort());
    expect(all.every((o) => o.isDemo)).toBe(true);

    const profile = await app.services.profiles.getProfile(await personId('learner-physio'));
    expect(profile).toEqual({
      professionCode: 'physiotherapist',
      workSettingCode: 'acute',
      archetypeCodes: ['E', 'U'],
    });
  });

  it('gives two learners with different archetypes a submitted self-assessment, with learning for their gaps', async () => {
    for (const key of Object.keys(DEMO_ASSESSMENTS)) {
      const id = await personId(key);
      const person = DEMO_PEOPLE.find((p) => p.key === key);
      const history = await app.services.results.history(id);
      expect(history, key).toHaveLength(1);
      const results = history[0]?.results;
      expect(results?.mode).toBe('full');
      expect([...(results?.archetypeCodes ?? [])].sort()).toEqual(
        [...(person?.archetypeCodes ?? [])].sort(),
      );
      // Every area at the level the demo data says it reached (or the highest level below it
      // that the area has statements at for these archetypes).
      const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
      for (const area of results?.areas ?? []) {
        const reached = DEMO_ASSESSMENTS[key]?.[area.areaCode] ?? 0;
        const levels = model
          .statementsInArea(area.areaCode)
          .filter((st) => st.archetypes.some((a) => results?.archetypeCodes.includes(a)))
          .map((st) => st.level as number)
          .filter((l) => l <= reached);
        expect(area.level, `${key} ${area.areaCode}`).toBe(Math.max(0, ...levels));
      }
      expect(results?.gaps.length).toBeGreaterThan(5);
      const learning = await app.services.recommendations.forPerson(id);
      if (!learning.hasResults) throw new Error(`${key} has no results`);
      expect(learning.gaps.every((g) => g.recommendations.length > 0)).toBe(true);
    }
    expect(Object.keys(DEMO_ASSESSMENTS).sort()).toEqual(['learner-analyst', 'learner-physio']);
    // The other learners start with nothing submitted (the results journey's e2e relies on it).
    expect(await app.services.results.history(await personId('learner-nurse'))).toEqual([]);
    expect(await app.services.results.history(await personId('learner-doctor'))).toEqual([]);
  });

  it("adds a workforce development lead who sees the trust's insights and nothing else", async () => {
    const lead = await app.services.organisations.actorFor(await personId('insights-viewer'));
    expect([...lead.memberships.values()].map((m) => [m.roles, m.unitId])).toEqual([
      [['insights_viewer'], null],
    ]);
    const trustId = await organisationId('trust');
    expect(lead.memberships.has(trustId)).toBe(true);
    const signedIn = await app.services.accounts.signIn({
      email: 'workforce.lead@demo.digicap.example',
      password: DEMO_PASSWORD,
      ip: '198.51.100.8',
    });
    expect(signedIn.personId).toBe(lead.personId);
  });

  it('gives the trust a synthetic workforce in its units, who have no password and cannot sign in', async () => {
    const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const expected = syntheticWorkforce(seededAt, model.data.targets);
    const trustId = await organisationId('trust');
    const { people, units } = await app.services.organisations.listPeople(
      await adminActor(),
      trustId,
    );
    const synthetic = people.filter((p) => p.displayName.endsWith(' (synthetic demo)'));
    const inTrust = expected.filter((p) => p.organisation === 'trust');
    expect(inTrust.length).toBeGreaterThanOrEqual(280);
    expect(synthetic.map((p) => p.email).sort()).toEqual(inTrust.map((p) => p.email).sort());
    expect(synthetic.every((p) => p.roles.join() === 'member')).toBe(true);
    // Every unit of the workforce holds its people: teams of 14 to 40 (plus the demo people).
    const trustWorkforce = WORKFORCE_UNITS.filter((u) => (u.organisation ?? 'trust') === 'trust');
    for (const unit of trustWorkforce) {
      const unitId = units.findByPath([...unit.path])?.id;
      expect(unitId, unit.path.join(' > ')).toBeDefined();
      expect(synthetic.filter((p) => p.unitId === unitId)).toHaveLength(unit.size);
    }
    // The units demo-people.ts lists include the workforce's (the README lists them).
    for (const unit of WORKFORCE_UNITS) {
      const listed = DEMO_ORGANISATIONS.find((o) => o.key === (unit.organisation ?? 'trust'));
      expect(listed?.units.map((u) => u.join(' > '))).toContain(unit.path.join(' > '));
    }
    // And a small team at the ICB, so national figures are not the trust's plus one person.
    const icb = await app.services.organisations.listPeople(
      await app.services.organisations.actorFor(await personId('admin-icb')),
      await organisationId('icb'),
    );
    expect(
      icb.people.filter((p) => p.displayName.endsWith(' (synthetic demo)')).map((p) => p.email),
    ).toEqual(
      expect.arrayContaining(expected.filter((p) => p.organisation === 'icb').map((p) => p.email)),
    );
    expect(icb.people.length).toBeGreaterThanOrEqual(12);

    const first = expected[0];
    if (!first) throw new Error('no synthetic staff');
    const found = await app.services.accounts.findPersonByEmail(first.email);
    if (!found) throw new Error(`no account for ${first.email}`);
    expect((await app.services.accounts.findPerson(found.id))?.hasPassword).toBe(false);
    expect(await app.services.profiles.getProfile(found.id)).toEqual({
      professionCode: first.professionCode,
      workSettingCode: first.workSettingCode,
      archetypeCodes: model.data.archetypes
        .map((a) => a.code as string)
        .filter((c) => first.archetypeCodes.includes(c)),
    });
    await expect(
      app.services.accounts.signIn({
        email: first.email,
        password: DEMO_PASSWORD,
        ip: '198.51.100.9',
      }),
    ).rejects.toThrow('Enter a correct email address and password');
    const browser = new Browser(app, '198.51.100.10');
    await browser.get('/sign-in');
    const refused = await browser.post('/sign-in', { email: first.email, password: DEMO_PASSWORD });
    expect(refused.response.statusCode).toBe(401);
    expect(refused.response.headers.location).toBeUndefined();
  });

  it('gives about 65% of them submitted self-assessments over four quarters, some twice, and 10% one in progress', async () => {
    const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const expected = syntheticWorkforce(seededAt, model.data.targets);
    const assessments = new Map<string, { person: SyntheticStaff; list: Assessment[] }>();
    for (const person of expected) {
      const found = await app.services.accounts.findPersonByEmail(person.email);
      if (!found) throw new Error(`no account for ${person.email}`);
      assessments.set(found.id, {
        person,
        list: await app.services.assessments.listForOwner(found.id),
      });
    }
    const all = [...assessments.values()];
    const submittedBy = all.map(({ list }) => list.filter((a) => a.status === 'submitted'));
    const submitters = submittedBy.filter((list) => list.length > 0).length;
    expect(submitters / expected.length).toBeGreaterThan(0.6);
    expect(submitters / expected.length).toBeLessThan(0.7);
    const twice = submittedBy.filter((list) => list.length === 2);
    expect(twice.length / submitters).toBeGreaterThan(0.15);
    expect(twice.length / submitters).toBeLessThan(0.25);
    expect(submittedBy.every((list) => list.length <= 2)).toBe(true);

    // Submitted in the current quarter and each of the three before it, never in the future.
    const quarterOf = (at: Date) =>
      [0, 1, 2, 3].find((back) => at.getTime() >= quarterStart(seededAt, back).getTime());
    const quarters = new Map<number | undefined, number>();
    for (const a of submittedBy.flat()) {
      const at = a.submittedAt ?? new Date(0);
      expect(at.getTime()).toBeLessThanOrEqual(Date.now());
      expect(a.startedAt.getTime()).toBeLessThan(at.getTime());
      quarters.set(quarterOf(at), (quarters.get(quarterOf(at)) ?? 0) + 1);
    }
    expect([...quarters.keys()].sort()).toEqual([0, 1, 2, 3]);
    expect(Math.min(...quarters.values())).toBeGreaterThan(20);
    // Two submissions fall in different quarters; the later one is usually a little better.
    let better = 0;
    for (const list of twice) {
      const [later, earlier] = list;
      if (!later?.submittedAt || !earlier?.submittedAt) throw new Error('not submitted');
      expect(quarterOf(later.submittedAt)).toBeLessThan(quarterOf(earlier.submittedAt) ?? 0);
      const sum = (a: Assessment) => (a.results?.areas ?? []).reduce((n, r) => n + r.level, 0);
      if (sum(later) >= sum(earlier)) better += 1;
    }
    expect(better / twice.length).toBeGreaterThan(0.8);

    // Real results snapshots, with the levels the answers give (demoAnswer), as submit makes.
    const [id, sample] = [...assessments].find(([, a]) => a.person.submissions.length > 0) ?? [];
    if (!id || !sample) throw new Error('nobody submitted');
    const history = await app.services.results.history(id);
    expect(history).toHaveLength(sample.person.submissions.length);
    // Newest first.
    const results = history[0]?.results;
    const levels = sample.person.submissions.at(-1)?.levels ?? {};
    expect(results?.mode).toBe('full');
    expect(results?.areas.length).toBe(16);
    for (const area of results?.areas ?? []) {
      const reached = levels[area.areaCode] ?? 0;
      const below = model
        .statementsInArea(area.areaCode)
        .filter((st) => st.archetypes.some((a) => results?.archetypeCodes.includes(a)))
        .map((st) => st.level as number)
        .filter((l) => l <= reached);
      expect(area.level, area.areaCode).toBe(Math.max(0, ...below));
    }
    const answered = await app.services.assessments.workspace(id, history[0]?.id ?? '');
    expect(answered.answers.size).toBe(answered.pool.size);

    // In progress, stopped at various areas (most at the data and AI ones).
    const inProgress = all.flatMap(({ list }) => list.filter((a) => a.status === 'in_progress'));
    expect(inProgress.length / expected.length).toBeGreaterThan(0.08);
    expect(inProgress.length / expected.length).toBeLessThan(0.12);
    expect(inProgress.length).toBe(expected.filter((p) => p.inProgress).length);
    const stops = new Set(inProgress.map((a) => a.currentAreaCode));
    expect(stops.size).toBeGreaterThanOrEqual(4);
    expect(stops.has(null)).toBe(false);
    // Where the journey would leave them: every area before the current one done, it next.
    for (const a of inProgress.slice(0, 10)) {
      const { plan } = await app.services.assessments.workspace(a.personId, a.id);
      const at = plan.areas.findIndex((p) => p.areaCode === a.currentAreaCode);
      expect(plan.areas.slice(0, at).every((p) => p.status === 'done')).toBe(true);
      expect(plan.areas.slice(at + 1).every((p) => p.status === 'not-started')).toBe(true);
      expect(plan.nextAreaCode).toBe(a.currentAreaCode);
      expect(a.updatedAt.getTime()).toBeGreaterThan(a.startedAt.getTime());
    }
  });

  it('records finished assessments and password-less accounts only as the journey allows', async () => {
    const { accounts, assessments, frameworks } = app.services;
    const model = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const staff = syntheticWorkforce(seededAt, model.data.targets);
    const idOf = async (person: SyntheticStaff | undefined) => {
      const found = person ? await accounts.findPersonByEmail(person.email) : undefined;
      if (!found) throw new Error('no synthetic person');
      return found.id;
    };
    const idle = await idOf(staff.find((p) => !p.inProgress));
    const busy = await idOf(staff.find((p) => p.inProgress));
    const answers = new Map(
      model.data.statements
        .filter((st) => st.archetypes.includes('U'))
        .map((st) => [st.id, demoAnswer(1, st.level)]),
    );
    const input = { mode: 'full', archetypeCodes: ['U'], answers, submittedAt: new Date() };
    const before = (await assessments.listForOwner(idle)).length;

    await expect(
      assessments.recordCompletedAssessment(idle, {
        ...input,
        submittedAt: new Date(Date.now() + 3_600_000),
      }),
    ).rejects.toThrow('in the future');
    await expect(
      assessments.recordCompletedAssessment(idle, {
        ...input,
        startedAt: new Date(Date.now() + 1000),
      }),
    ).rejects.toThrow('before it started');
    await expect(
      assessments.recordCompletedAssessment(idle, {
        ...input,
        answers: new Map([...answers, ['no-such-statement', '2']]),
      }),
    ).rejects.toMatchObject({ name: 'AssessmentFieldError' });
    await expect(
      assessments.recordCompletedAssessment(idle, {
        ...input,
        answers: new Map([...answers].slice(1)),
      }),
    ).rejects.toMatchObject({ name: 'AssessmentIncompleteError' });
    await expect(
      assessments.recordCompletedAssessment(idle, { ...input, archetypeCodes: [] }),
    ).rejects.toMatchObject({ name: 'AssessmentFieldError' });
    expect(await assessments.listForOwner(idle)).toHaveLength(before);
    // Only ever one in progress: recording another would make a second for a moment.
    await expect(assessments.recordCompletedAssessment(busy, input)).rejects.toMatchObject({
      name: 'ConflictError',
    });

    await expect(
      assessments.recordAssessmentInProgress(idle, {
        ...input,
        startedAt: new Date(),
        currentAreaCode: '9.9',
      }),
    ).rejects.toThrow('That area is not part of this assessment');
    await expect(
      assessments.recordAssessmentInProgress(busy, {
        ...input,
        startedAt: new Date(),
        currentAreaCode: '1',
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(await assessments.listForOwner(idle)).toHaveLength(before);

    await expect(
      accounts.createAccountWithoutPassword({
        email: (staff[0]?.email ?? '').toUpperCase(),
        displayName: 'Someone Else',
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('has 20 pending invitations to the trust', async () => {
    const { invitations } = await app.services.invitations.listInvitations(
      await adminActor(),
      await organisationId('trust'),
    );
    expect(invitations.map((i) => [i.email, i.status]).sort()).toEqual(
      syntheticInvitations()
        .map((i) => [i.email, 'pending'])
        .sort(),
    );
    expect(invitations.every((i) => i.unitPath !== '' && i.sentAt !== null)).toBe(true);
  });

  it("shares the trust's insights with the ICB, whose figures are released", async () => {
    const trustId = await organisationId('trust');
    const icbId = await organisationId('icb');
    const sharing = await app.services.insights.sharingPage(await adminActor(), trustId);
    expect(sharing.shares.map((s) => s.organisationId)).toEqual([icbId]);

    await app.services.insights.catchUp();
    const lead = await app.services.organisations.actorFor(await personId('insights-viewer'));
    const trust = await app.services.insights.organisationPage(lead, trustId, {
      filters: {},
      by: [],
    });
    expect(trust.report.capability.verdict).toEqual({ released: true });
    expect(trust.report.stops.verdict).toEqual({ released: true });
    const icbAdmin = await app.services.organisations.actorFor(await personId('admin-icb'));
    const icb = await app.services.insights.systemPage(icbAdmin, icbId, { filters: {}, by: [] });
    expect(icb.scope.members.map((m) => m.id)).toEqual([trustId]);
    expect(icb.report.capability.verdict).toEqual({ released: true });
  });

  it('answers each statement from the level reached', () => {
    expect([1, 2, 3, 4].map((level) => demoAnswer(2, level))).toEqual(['3', '2', '1', '0']);
    expect([1, 2].map((level) => demoAnswer(0, level))).toEqual(['1', '0']);
  });

  it('does nothing on a database that already has people', async () => {
    expect(await seedDemo(app.services, { nodeEnv: 'development' })).toEqual({
      seeded: false,
      reason: 'the database already has people in it',
    });
  });

  it('refuses to run in production', async () => {
    await expect(seedDemo(app.services, { nodeEnv: 'production' })).rejects.toBeInstanceOf(
      DemoSeedRefusedError,
    );
  });
});
