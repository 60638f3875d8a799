/**
 * "My learning", dismissing and bringing back, and "Learning for your gaps" on the results page,
 * through the real app (PGlite and PostgreSQL): sign-in required, CSRF checked, the person's
 * own only, only what they may see, back where the form was (never another site), and the
 * section on the owner's results page but never on a shared view.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmittedAssessment } from '../../../test/support/assessments.js';
import { Browser, signedInBrowser } from '../../../test/support/browser.js';
import { textOf } from '../../../test/support/html.js';
import { makeOrganisationWithAdmin } from '../../../test/support/organisations.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { insertResource } from './recommendations.fixtures.js';

type Person = Awaited<ReturnType<typeof signedInBrowser>>;

let app: FastifyInstance;
let learner: Person;
let newcomer: Person;
let educator: Person;
let assessmentId: string;
let otherOrganisationResource: string;

beforeAll(async () => {
  app = await buildTestApp();
  const { organisations } = app.services;
  learner = await signedInBrowser(app, {
    email: 'lena.learner@learning.example.org',
    displayName: 'Lena Learner',
  });
  newcomer = await signedInBrowser(app, {
    email: 'nico.newcomer@learning.example.org',
    displayName: 'Nico Newcomer',
  });
  educator = await signedInBrowser(app, {
    email: 'eddie.educator@learning.example.org',
    displayName: 'Eddie Educator',
  });
  const org = await makeOrganisationWithAdmin(app.services, { name: 'Learning Trust' });
  const other = await makeOrganisationWithAdmin(app.services, { name: 'Elsewhere Trust' });
  for (const [p, roles] of [
    [learner, ['member']],
    [educator, ['educator']],
  ] as const)
    await organisations.addMembership({
      organisationId: org.organisation.id,
      personId: p.personId,
      unitId: null,
      roles: [...roles],
    });
  otherOrganisationResource = (
    await insertResource(app.services.database, {
      organisationId: other.organisation.id,
      title: 'Elsewhere only',
    })
  ).id;
  assessmentId = (
    await makeSubmittedAssessment(app.services, learner.personId, {
      archetypeCodes: ['U'],
      defaultLevel: 0,
    })
  ).id;
}, 120_000);

afterAll(async () => {
  await app.close();
});

const gapSections = ($: Awaited<ReturnType<Browser['get']>>['$']) => $('section.app-learning-gap');

describe('My learning', () => {
  it('sends someone signed out to sign in', async () => {
    const { response } = await new Browser(app).get('/learning');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Flearning');
  });

  it('tells someone without results to take a self-assessment first', async () => {
    const { response, $ } = await newcomer.browser.get('/learning');
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toBe('My learning');
    expect(textOf($, 'main')).toContain('You have not submitted a self-assessment yet');
    expect($('main a[href="/home"]')).toHaveLength(1);
    expect($('main a[href="/learning/preferences"]')).toHaveLength(1);
    expect(gapSections($)).toHaveLength(0);
  });

  it('lists suggestions for each gap, with reasons and a dismiss button', async () => {
    const { response, $ } = await learner.browser.get('/learning');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const sections = gapSections($);
    expect(sections.length).toBeGreaterThan(5);
    expect($(`main a[href="/assessments/${assessmentId}/results"]`)).toHaveLength(1);
    sections.each((_, section) => {
      const items = $(section).find('li.app-recommendation');
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThanOrEqual(3);
      items.each((__, item) => {
        expect($(item).find('h4 a').attr('href')).toMatch(/^https?:\/\//);
        const reasons = $(item)
          .find('ul.app-reasons li')
          .map((___, li) => $(li).text())
          .get();
        expect(reasons[0]).toMatch(/^Covers /);
        const form = $(item).find('form');
        expect(form.attr('action')).toMatch(/^\/learning\/resources\/[0-9a-f-]{36}\/dismiss$/);
        expect(form.find('input[name="_csrf"]').attr('value')).toBeTruthy();
        expect(form.find('input[name="returnTo"]').attr('value')).toBe('/learning');
      });
    });
    expect(textOf($, '#dismissed + p')).toBe('You have not dismissed anything.');
  });

  it('refuses to dismiss without the CSRF token, or for someone signed out', async () => {
    const { $ } = await learner.browser.get('/learning');
    const action = $('li.app-recommendation form').first().attr('action') ?? '';
    const forged = await learner.browser.post(action, { returnTo: '/learning' }, 'made-up');
    expect(forged.response.statusCode).toBe(403);
    const anonymous = new Browser(app);
    await anonymous.get('/sign-in');
    const signedOut = await anonymous.post(action, {});
    expect(signedOut.response.statusCode).toBe(303);
    expect(signedOut.response.headers.location).toBe('/sign-in');
    expect((await learner.browser.get('/learning')).$(`form[action="${action}"]`)).toHaveLength(1);
  });

  it('dismisses a suggestion, says so with an undo button, and brings it back', async () => {
    const before = await learner.browser.get('/learning');
    const first = before.$('li.app-recommendation').first();
    const title = first.find('h4 a').text().trim();
    const action = first.find('form').attr('action') ?? '';
    const id = /resources\/([^/]+)\/dismiss/.exec(action)?.[1] ?? '';

    const dismissed = await learner.browser.post(action, { returnTo: '/learning' });
    expect(dismissed.response.statusCode).toBe(303);
    expect(dismissed.response.headers.location).toBe(`/learning?dismissed=${id}`);

    const after = await learner.browser.get(`/learning?dismissed=${id}`);
    expect(textOf(after.$, '.app-notice p')).toBe(`“${title}” will not be suggested again.`);
    expect(after.$(`li.app-recommendation form[action="${action}"]`)).toHaveLength(0);
    expect(textOf(after.$, 'ul.app-dismissed li')).toContain(title);
    const undo = after.$('.app-notice form').attr('action');
    expect(undo).toBe(`/learning/resources/${id}/undismiss`);

    const restored = await learner.browser.post(undo ?? '', { returnTo: '/learning' });
    expect(restored.response.headers.location).toBe(`/learning?undismissed=${id}`);
    const back = await learner.browser.get(`/learning?undismissed=${id}`);
    expect(textOf(back.$, '.app-notice p')).toBe(`“${title}” may be suggested again.`);
    expect(back.$(`li.app-recommendation form[action="${action}"]`)).toHaveLength(1);
    expect(back.$('ul.app-dismissed')).toHaveLength(0);
  });

  it('goes back only to a page on this site', async () => {
    const { $ } = await learner.browser.get('/learning');
    const action = $('li.app-recommendation form').first().attr('action') ?? '';
    const undo = action.replace(/dismiss$/, 'undismiss');
    for (const returnTo of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const { response } = await learner.browser.post(action, { returnTo });
      expect(response.headers.location).toMatch(/^\/learning\?dismissed=/);
      await learner.browser.post(undo, {});
    }
    const elsewhere = await learner.browser.post(action, { returnTo: '/learning/resources' });
    expect(elsewhere.response.headers.location).toBe('/learning/resources');
    await learner.browser.post(undo, {});
  });

  it('cannot dismiss another organisation’s resource, an unknown one or a malformed id', async () => {
    await learner.browser.get('/learning');
    for (const id of [otherOrganisationResource, '00000000-0000-4000-8000-000000000000', 'x']) {
      const { response } = await learner.browser.post(`/learning/resources/${id}/dismiss`, {});
      expect(response.statusCode).toBe(404);
    }
    // A notice naming a resource the person may not see shows nothing.
    const { $ } = await learner.browser.get(`/learning?dismissed=${otherOrganisationResource}`);
    expect($('.app-notice')).toHaveLength(0);
    expect(textOf($, 'main')).not.toContain('Elsewhere only');
  });
});

describe('learning on the results page', () => {
  it('the owner sees the top suggestions for their gaps and a link to My learning', async () => {
    const { response, $ } = await learner.browser.get(`/assessments/${assessmentId}/results`);
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h2#learning')).toBe('Learning for your gaps');
    const lists = $('ul.app-results-learning');
    expect(lists.length).toBeGreaterThan(5);
    lists.each((_, list) => {
      const items = $(list).find('li');
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThanOrEqual(2);
      expect($(list).find('a').first().attr('href')).toMatch(/^https?:\/\//);
      // Each suggestion can go straight into the plan.
      $(list)
        .find('li')
        .each((_, item) => {
          const add = $(item)
            .find('a')
            .filter((_, a) => $(a).text().startsWith('Add to my plan'));
          expect(add.attr('href')).toMatch(/^\/plan\/add-resource\?resource=[0-9a-f-]{36}$/);
        });
    });
    expect($('main a[href="/learning"]')).toHaveLength(1);
  });

  it('is never on a shared view of the results', async () => {
    const { sharing } = app.services;
    const { shareId } = await sharing.share(learner.personId, assessmentId, educator.personId);
    const { response, $ } = await educator.browser.get(`/shared-with-me/${shareId}`);
    expect(response.statusCode).toBe(200);
    expect($('#gaps')).toHaveLength(1);
    expect($('#learning')).toHaveLength(0);
    expect($('ul.app-results-learning')).toHaveLength(0);
    expect($('main a[href="/learning"]')).toHaveLength(0);
  });
});
