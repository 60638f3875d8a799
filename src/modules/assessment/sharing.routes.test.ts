/**
 * Sharing through the real app (PGlite and PostgreSQL): only the owner's line managers and
 * educators can be chosen, nothing is shared by default, the other person sees the results only
 * while shared (and while they still hold the role), every view is audited, withdrawing works
 * at once, and nobody else gets anywhere.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmittedAssessment } from '../../../test/support/assessments.js';
import { signedInBrowser } from '../../../test/support/browser.js';
import { textOf } from '../../../test/support/html.js';
import type { OutboxMailer } from '../../platform/mail/index.js';
import { makeOrganisationWithAdmin } from '../../../test/support/organisations.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import type { Actor, Role } from '../organisations/index.js';

type Person = Awaited<ReturnType<typeof signedInBrowser>>;

let app: FastifyInstance;
let orgId: string;
let admin: Actor;
let priya: Person;
let morgan: Person;
let sam: Person;
let jordan: Person;
let jordanMembershipId: string;
let chris: Person;
let elsewhere: Person;
let assessmentId: string;
let secondId: string;

async function person(name: string): Promise<Person> {
  const email = `${name.toLowerCase().replace(/\s+/g, '.')}@sharing.example.org`;
  return signedInBrowser(app, { email, displayName: name });
}

beforeAll(async () => {
  app = await buildTestApp();
  const { organisations, database } = app.services;
  const org = await makeOrganisationWithAdmin(app.services, { name: 'Sharing Trust' });
  orgId = org.organisation.id;
  admin = org.admin;
  const unit = async (names: string[]) =>
    (await database.transaction((tx) => organisations.ensureUnitPath(tx, orgId, names))).unitId;
  const ward5 = await unit(['Medicine', 'Cardiology', 'Ward 5']);
  const medicine = await unit(['Medicine']);
  const ahp = await unit(['Allied Health']);
  const join = (p: Person, roles: Role[], unitId: string | null = null, organisationId = orgId) =>
    organisations.addMembership({ organisationId, personId: p.personId, unitId, roles });

  priya = await person('Priya Sharma');
  morgan = await person('Morgan Reid');
  sam = await person('Sam Taylor');
  jordan = await person('Jordan Lee');
  chris = await person('Chris Colleague');
  elsewhere = await person('Eve Elsewhere');
  await join(priya, ['member'], ward5);
  await join(morgan, ['line_manager', 'member'], medicine);
  await join(sam, ['line_manager'], ahp);
  jordanMembershipId = (await join(jordan, ['educator'])).id;
  await join(chris, ['member'], ward5);
  const other = await makeOrganisationWithAdmin(app.services, { name: 'Other Trust' });
  await join(elsewhere, ['educator'], null, other.organisation.id);
  await join(priya, ['member'], null, other.organisation.id).catch(() => undefined);

  assessmentId = (await makeSubmittedAssessment(app.services, priya.personId)).id;
  secondId = (
    await makeSubmittedAssessment(app.services, priya.personId, {
      submittedAt: new Date(Date.now() - 86_400_000),
    })
  ).id;
}, 120_000);
afterAll(async () => {
  await app.close();
});

const sharingUrl = (id = assessmentId) => `/assessments/${id}/sharing`;
const sharesUrl = (id = assessmentId) => `/assessments/${id}/shares`;

async function auditActions(action: string) {
  const page = await app.services.audit.listForOrganisation(orgId, { pageSize: 500 });
  return page.entries.filter((e) => e.action === action);
}

/** The candidates offered on the sharing page: [name, hint]. */
async function candidates(browser = priya.browser, id = assessmentId) {
  const { $ } = await browser.get(sharingUrl(id));
  return $('input[name="sharedWith"]')
    .map((_, input) => {
      const item = $(input).closest('.nhsuk-radios__item');
      return [[item.find('label').text().trim(), item.find('.nhsuk-hint').text().trim()]];
    })
    .get() as [string, string][];
}

let shareWithMorgan: string;

describe('the owner’s sharing page', () => {
  it('shares nothing by default and offers only line managers above them and educators', async () => {
    const { response, $ } = await priya.browser.get(sharingUrl());
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toMatch(/Share your results$/);
    expect($('main').text()).toMatch(/You have not shared these results with anyone/);
    expect(await candidates()).toEqual([
      ['Morgan Reid', 'Line manager, Medicine – Sharing Trust'],
      ['Eve Elsewhere', 'Educator – Other Trust'],
      ['Jordan Lee', 'Educator – Sharing Trust'],
    ]);
    const list = await morgan.browser.get('/shared-with-me');
    expect(list.$('main').text()).toMatch(/Nothing is shared with you/);
  });

  it('asks who to share with when nobody is chosen', async () => {
    await priya.browser.get(sharingUrl());
    const { response, $ } = await priya.browser.post(sharesUrl(), {});
    expect(response.statusCode).toBe(422);
    expect($('title').text()).toMatch(/^Error: Share your results/);
    expect($('.nhsuk-error-summary a').attr('href')).toBe('#sharedWith');
    expect($('.nhsuk-error-summary a').text().trim()).toBe('Select who to share your results with');
  });

  it('refuses anyone who is not a candidate, sharing nothing', async () => {
    for (const who of [sam.personId, chris.personId, priya.personId, 'not-a-uuid']) {
      await priya.browser.get(sharingUrl());
      const { response, $ } = await priya.browser.post(sharesUrl(), { sharedWith: who });
      expect(response.statusCode).toBe(422);
      expect($('.nhsuk-error-summary a').text().trim()).toBe('Select someone from the list');
    }
    expect(await auditActions('assessment.shared')).toEqual([]);
  });

  it('refuses a form without its CSRF token', async () => {
    const { response } = await priya.browser.post(
      sharesUrl(),
      { sharedWith: morgan.personId },
      'made-up',
    );
    expect(response.statusCode).toBe(403);
  });

  it('shares with a line manager, shows who has it, and audits it', async () => {
    await priya.browser.get(sharingUrl());
    const { response } = await priya.browser.post(sharesUrl(), { sharedWith: morgan.personId });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${sharingUrl()}?done=shared`);
    const { $ } = await priya.browser.get(`${sharingUrl()}?done=shared`);
    expect(textOf($, '.app-notice')).toMatch(/Your results have been shared/);
    expect(
      $('table.app-shares tbody tr td:first-child')
        .map((_, td) => $(td).text().trim())
        .get(),
    ).toEqual(['Morgan Reid']);
    expect((await candidates()).map(([name]) => name)).not.toContain('Morgan Reid');
    const [event] = await auditActions('assessment.shared');
    expect(event).toEqual(
      expect.objectContaining({
        actorPersonId: priya.personId,
        subjectId: assessmentId,
        organisationId: orgId,
      }),
    );
    shareWithMorgan = String(event?.details?.shareId);
    // Morgan is told, with a link to the shared results (the outbox lists newest first).
    const [email] = (app.services.mailer as OutboxMailer)
      .list()
      .filter((m) => m.subject.includes('has shared their self-assessment results with you'));
    expect(email?.to).toBe((await app.services.accounts.findPerson(morgan.personId))?.email);
    expect(email?.text).toContain(`/shared-with-me/${shareWithMorgan}`);
  });

  it('shows no notice for a ?done= it does not know, Object.prototype’s names included', async () => {
    for (const done of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'nonsense']) {
      const { response, $ } = await priya.browser.get(`${sharingUrl()}?done=${done}`);
      expect(response.statusCode).toBe(200);
      expect($('.app-notice').length).toBe(0);
      expect($('main').text()).not.toMatch(/function|native code|\[object/);
    }
    const twice = await priya.browser.get(`${sharingUrl()}?done=shared&done=withdrawn`);
    expect(twice.response.statusCode).toBe(200);
    expect(twice.$('.app-notice').length).toBe(0);
  });

  it('shares only the assessment chosen', async () => {
    const { $ } = await priya.browser.get(sharingUrl(secondId));
    expect($('table.app-shares').length).toBe(0);
  });
});

describe('the other person’s view', () => {
  it('lists what is shared with them and shows the results read-only, auditing each view', async () => {
    const list = await morgan.browser.get('/shared-with-me');
    const links = list.$('table.app-shared-with-me tbody a');
    expect(links.length).toBe(1);
    expect(links.text()).toMatch(/^Priya Sharma/);
    expect(links.attr('href')).toBe(`/shared-with-me/${shareWithMorgan}`);

    const before = (await auditActions('assessment.share-viewed')).length;
    for (let i = 0; i < 2; i += 1) {
      const { response, $ } = await morgan.browser.get(`/shared-with-me/${shareWithMorgan}`);
      expect(response.statusCode).toBe(200);
      expect(textOf($, 'h1')).toMatch(/Priya Sharma’s results$/);
      expect($('svg.app-chart[role="img"]').length).toBe(1);
      expect($('a[href$="/report.pdf"], a[href$="/export.csv"], a[href$="/sharing"]').length).toBe(
        0,
      );
      expect(textOf($, '.nhsuk-inset-text')).toMatch(/shared these results with you/);
    }
    const views = await auditActions('assessment.share-viewed');
    expect(views.length).toBe(before + 2);
    expect(views[0]).toEqual(
      expect.objectContaining({
        actorPersonId: morgan.personId,
        subjectId: assessmentId,
        organisationId: orgId,
      }),
    );
  });

  it('is not found for anyone else, the owner and platform roles included', async () => {
    for (const p of [sam, jordan, chris, elsewhere, priya]) {
      const { response } = await p.browser.get(`/shared-with-me/${shareWithMorgan}`);
      expect(response.statusCode).toBe(404);
      const list = await p.browser.get('/shared-with-me');
      expect(list.$('table.app-shared-with-me').length).toBe(0);
    }
    for (const bad of ['not-a-uuid', '6f1d2c3b-0000-4000-8000-000000000000'])
      expect((await morgan.browser.get(`/shared-with-me/${bad}`)).response.statusCode).toBe(404);
  });

  it('is gone once the other person no longer holds the role', async () => {
    await priya.browser.get(sharingUrl());
    await priya.browser.post(sharesUrl(), { sharedWith: jordan.personId });
    const share = (await auditActions('assessment.shared')).find(
      (e) => e.details?.personId === jordan.personId,
    );
    const path = `/shared-with-me/${String(share?.details?.shareId)}`;
    expect((await jordan.browser.get(path)).response.statusCode).toBe(200);
    await app.services.organisations.changeMember(admin, orgId, jordanMembershipId, {
      unitId: null,
      roles: ['member'],
    });
    expect((await jordan.browser.get(path)).response.statusCode).toBe(404);
    expect((await jordan.browser.get('/shared-with-me')).$('table').length).toBe(0);
  });
});

describe('the words of the shared view', () => {
  it('names the owner rather than speaking to the viewer as if they took the assessment', async () => {
    const { $ } = await morgan.browser.get(`/shared-with-me/${shareWithMorgan}`);
    expect($('svg.app-chart > title').text()).toBe(
      'Priya Sharma’s level in each area, with their target level marked',
    );
    expect(textOf($, '#results-summary')).toMatch(
      /(below their target level|Priya Sharma meets their target level)/,
    );
    expect(
      $('.app-results-domain thead th')
        .map((_, th) => $(th).text().trim())
        .get(),
    ).toContain('Priya Sharma’s level');
    // Only the note about the share itself speaks to the viewer.
    const body = $('main').clone();
    body.find('.nhsuk-inset-text').remove();
    expect(body.text()).not.toMatch(/\byou(r|rs)?\b/i);

    const own = await priya.browser.get(`/assessments/${assessmentId}/results`);
    expect(own.$('svg.app-chart > title').text()).toBe(
      'Your level in each area, with your target level marked',
    );
    expect(textOf(own.$, '#results-summary')).toMatch(/(below your target level|You meet your)/);
  });
});

describe('an assessment still in progress', () => {
  it('tells its owner they can share it once submitted; anyone else gets "not found"', async () => {
    const { assessment } = await app.services.assessments.startAssessment(priya.personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    const id = assessment.id;
    const { response, $ } = await priya.browser.get(sharingUrl(id));
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toBe('You cannot share this assessment yet');
    expect(textOf($, 'main')).toMatch(/You can share this assessment once you have submitted it/);
    expect(
      $('main a[href="/assessments/' + id + '"]')
        .text()
        .trim(),
    ).toBe('Continue your self-assessment');
    expect($('main form, input[name="sharedWith"]').length).toBe(0);

    // Sharing it anyway (a form from another page) is refused, saying why, and shares nothing.
    const shared = await priya.browser.post(sharesUrl(id), { sharedWith: morgan.personId });
    expect(shared.response.statusCode).toBe(409);
    expect(textOf(shared.$, 'main')).toMatch(
      /You can share this assessment once you have submitted it/,
    );
    const unknownShare = '6f1d2c3b-0000-4000-8000-000000000000';
    const withdrawn = await priya.browser.post(`${sharesUrl(id)}/${unknownShare}/withdraw`, {});
    expect(withdrawn.response.statusCode).toBe(409);
    expect(
      (await morgan.browser.get('/shared-with-me')).$('a[href^="/shared-with-me/"]').length,
    ).toBe(1);

    for (const p of [morgan, sam, chris]) {
      expect((await p.browser.get(sharingUrl(id))).response.statusCode).toBe(404);
      await p.browser.get('/shared-with-me'); // a CSRF token for the posts
      const post = await p.browser.post(sharesUrl(id), { sharedWith: p.personId });
      expect(post.response.statusCode).toBe(404);
      const withdraw = await p.browser.post(`${sharesUrl(id)}/${unknownShare}/withdraw`, {});
      expect(withdraw.response.statusCode).toBe(404);
    }
    await app.services.assessments.abandon(priya.personId, id);
  });
});

describe('withdrawing and other people’s assessments', () => {
  it('lets nobody but the owner see or change the sharing of an assessment', async () => {
    for (const p of [morgan, sam, chris]) {
      expect((await p.browser.get(sharingUrl())).response.statusCode).toBe(404);
      const shared = await p.browser.post(sharesUrl(), { sharedWith: p.personId });
      expect(shared.response.statusCode).toBe(404);
      const withdrawn = await p.browser.post(`${sharesUrl()}/${shareWithMorgan}/withdraw`, {});
      expect(withdrawn.response.statusCode).toBe(404);
    }
    // A share of one assessment cannot be withdrawn through another.
    await priya.browser.get(sharingUrl(secondId));
    const crossed = await priya.browser.post(
      `${sharesUrl(secondId)}/${shareWithMorgan}/withdraw`,
      {},
    );
    expect(crossed.response.statusCode).toBe(404);
    expect(
      (await morgan.browser.get(`/shared-with-me/${shareWithMorgan}`)).response.statusCode,
    ).toBe(200);
  });

  it('withdraws a share at once, audited once, and the other person no longer sees it', async () => {
    await priya.browser.get(sharingUrl());
    const withdraw = `${sharesUrl()}/${shareWithMorgan}/withdraw`;
    const { response } = await priya.browser.post(withdraw, {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${sharingUrl()}?done=withdrawn`);
    expect(
      (await morgan.browser.get(`/shared-with-me/${shareWithMorgan}`)).response.statusCode,
    ).toBe(404);
    expect((await morgan.browser.get('/shared-with-me')).$('table').length).toBe(0);
    const { $ } = await priya.browser.get(`${sharingUrl()}?done=withdrawn`);
    expect(textOf($, '.app-notice')).toMatch(/withdrawn/);
    expect((await candidates()).map(([name]) => name)).toContain('Morgan Reid');
    // Again: nothing more happens.
    await priya.browser.post(withdraw, {});
    expect((await auditActions('assessment.share-withdrawn')).length).toBe(1);
  });

  it('lists the shares made in "download my data"', async () => {
    const { response } = await priya.browser.get('/account/download');
    const data = JSON.parse(response.body) as {
      assessmentShares: { sharedWith: string; withdrawnAt: string | null }[];
    };
    expect(data.assessmentShares.map((s) => [s.sharedWith, s.withdrawnAt === null])).toEqual([
      ['Morgan Reid', false],
      ['Jordan Lee', true],
    ]);
  });
});
