/**
 * Insights on a real PostgreSQL primary and streaming replica: with DATABASE_READ_URL set, the
 * insights pages read the replica (while the replica's replay is paused, new results on the
 * primary do not appear), and say "Figures as of HH:MM" until the replica has caught up.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { makeSubmittedAssessment } from '../support/assessments.js';
import { type Browser, signedInBrowser } from '../support/browser.js';
import { makeOrganisationWithAdmin, makePerson } from '../support/organisations.js';
import { type PrimaryWithReplica, startPrimaryWithReplica } from '../support/postgres-replica.js';
import { testConfig } from '../support/test-app.js';

const STARTUP_MS = 120_000;
let servers: PrimaryWithReplica | undefined;
let app: FastifyInstance | undefined;
let admin: Browser;
let orgId = '';

async function addPeopleWithResults(count: number) {
  if (!app) throw new Error('no app');
  for (let i = 0; i < count; i++) {
    const id = await makePerson(app.services.database, `Person ${String(i)}`);
    await app.services.organisations.addMembership({
      organisationId: orgId,
      personId: id,
      unitId: null,
      roles: ['member'],
    });
    await makeSubmittedAssessment(app.services, id, { defaultLevel: 2 });
  }
  await app.services.readModel.processQueue();
}

/** The released "Joined" count on the trust's insights page, and the freshness warning. */
async function insights() {
  const { response, $ } = await admin.get(`/organisations/${orgId}/insights`);
  expect(response.statusCode).toBe(200);
  const joined = $('#participation-heading')
    .closest('section')
    .find('tbody tr')
    .filter((_, tr) => $(tr).text().includes('Joined'))
    .find('td')
    .last()
    .clone();
  joined.find('.nhsuk-table__heading').remove();
  return {
    joined: joined.text().trim(),
    warning: /Figures as of \d{2}:\d{2}/.exec($('main .nhsuk-card--warning').text())?.[0] ?? '',
  };
}

beforeAll(async () => {
  servers = await startPrimaryWithReplica();
  app = await buildApp(
    testConfig({ DATABASE_URL: servers.primaryUrl, DATABASE_READ_URL: servers.replicaUrl }),
    { logger: false, latestTtlMs: 0 },
  );
  const signIn = await signedInBrowser(app, {
    email: 'replica.admin@example.org',
    displayName: 'Rae Replica',
  });
  admin = signIn.browser;
  const { organisation } = await makeOrganisationWithAdmin(app.services, {
    adminId: signIn.personId,
  });
  orgId = organisation.id;
  await addPeopleWithResults(19);
  await servers.waitForReplayCatchUp();
}, STARTUP_MS);

afterAll(async () => {
  try {
    await app?.close();
  } finally {
    await servers?.stop();
  }
}, STARTUP_MS);

describe('insights on a read replica', () => {
  it('reads the replica, and says how old the figures are while it lags', async () => {
    if (!servers || !app) throw new Error('beforeAll did not start');
    expect(app.services.database.readsFrom).toBe('replica');
    // 19 learners and the admin.
    expect(await insights()).toEqual({ joined: '20', warning: '' });

    await servers.pauseReplay();
    await addPeopleWithResults(10);
    const lagging = await insights();
    // The primary has 30 members now; the replica still shows 20.
    expect(lagging.joined).toBe('20');
    expect(lagging.warning).toMatch(/Figures as of \d{2}:\d{2}/);

    await servers.resumeReplay();
    await servers.waitForReplayCatchUp();
    expect(await insights()).toEqual({ joined: '30', warning: '' });
  }, 60_000);
});
