/** Demo seeding through the real services, on PGlite and PostgreSQL. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../test/support/browser.js';
import { buildTestApp } from '../../test/support/test-app.js';
import { DEFAULT_FRAMEWORK_SLUG } from '../modules/framework/index.js';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_PEOPLE } from './demo-people.js';
import { DEMO_ASSESSMENTS, DemoSeedRefusedError, demoAnswer, seedDemo } from './demo-seed.js';

let app: FastifyInstance;
beforeAll(async () => {
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
    // Medicine, Cardiology, Ward 5 and Respiratory.
    expect(trust?.managedUnitIds.size).toBe(4);

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
