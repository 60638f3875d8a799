/**
 * The validation pages through the real app (PGlite and PostgreSQL): asking (every error, CSRF,
 * nobody to ask), the request page for the person who asked and the person asked, the decision
 * form (errors, CSRF, final once decided), withdrawing, the queue, offered files with safe
 * headers, and validated levels beside (never merged with) the person's own on their results
 * page, the shared view, the PDF and "download my data". Anyone else gets "not found". When an
 * email cannot be sent, the notice says so instead of saying it was.
 */
import { Readable } from 'node:stream';
import type { CheerioAPI } from 'cheerio';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeSubmittedAssessment } from '../../../test/support/assessments.js';
import { Browser, signedInBrowser } from '../../../test/support/browser.js';
import { textOf } from '../../../test/support/html.js';
import { makeOrganisationWithAdmin } from '../../../test/support/organisations.js';
import { pdfText } from '../../../test/support/pdf-text.js';
import { testConfig } from '../../../test/support/test-app.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { buildApp } from '../../app.js';
import { createMemoryStorage } from '../../platform/storage/index.js';
import { DEFAULT_FRAMEWORK_SLUG } from '../framework/index.js';
import type { Role } from '../organisations/index.js';
import { makePdf } from './evidence.fixtures.js';

type Person = Awaited<ReturnType<typeof signedInBrowser>>;

let app: FastifyInstance;
let orgId: string;
let priya: Person;
let morgan: Person;
let jordan: Person;
let chris: Person;
let loner: Person;
let assessmentId: string;
let areaCode: string;
let areaName: string;
let otherArea: string;
let noteId: string;
let fileId: string;
let otherAreaNoteId: string;
let chrisNoteId: string;
let requestId: string;

async function person(name: string): Promise<Person> {
  const email = `${name.toLowerCase().replace(/\s+/g, '.')}@validation-pages.example.org`;
  return signedInBrowser(app, { email, displayName: name });
}

const note = (personId: string, code: string, title: string) =>
  app.services.evidence.add(personId, 'note', {
    areaCode: code,
    statementId: '',
    title,
    body: 'What I did, in my own words.',
    url: '',
    reflectionUse: '',
  });

beforeAll(async () => {
  app = await buildApp(testConfig(), {
    database: await createTestDatabase(),
    logger: false,
    latestTtlMs: 0,
    storage: createMemoryStorage(),
  });
  const { organisations, database, frameworks, evidence } = app.services;
  const org = await makeOrganisationWithAdmin(app.services, { name: 'Pages Trust' });
  orgId = org.organisation.id;
  const unit = async (names: string[]) =>
    (await database.transaction((tx) => organisations.ensureUnitPath(tx, orgId, names))).unitId;
  const ward = await unit(['Medicine', 'Ward 5']);
  const medicine = await unit(['Medicine']);
  const join = (p: Person, roles: Role[], unitId: string | null) =>
    organisations.addMembership({ organisationId: orgId, personId: p.personId, unitId, roles });
  priya = await person('Priya Sharma');
  morgan = await person('Morgan Reid');
  jordan = await person('Jordan Lee');
  chris = await person('Chris Colleague');
  loner = await person('Lou Loner');
  await join(priya, ['member'], ward);
  await join(morgan, ['line_manager'], medicine);
  await join(jordan, ['educator'], null);
  await join(chris, ['member'], ward);

  const model = await frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
  // An area where level 2 is below a Shaper's target (a gap), and another.
  const first = model.areas.find((a) => (model.data.targets.S[a.code] ?? 0) >= 3);
  const second = model.areas.find((a) => a !== first);
  if (!first || !second) throw new Error('the framework needs two areas');
  areaCode = first.code;
  areaName = first.name;
  otherArea = second.code;
  assessmentId = (
    await makeSubmittedAssessment(app.services, priya.personId, {
      levels: { [areaCode]: 2 },
      defaultLevel: 1,
      archetypeCodes: ['S'],
    })
  ).id;
  otherAreaNoteId = (await note(priya.personId, otherArea, 'Older note, other area')).id;
  noteId = (await note(priya.personId, areaCode, 'Ward rollout')).id;
  chrisNoteId = (await note(chris.personId, areaCode, 'Not Priya’s')).id;
  const upload = await evidence.receiveUpload(Readable.from(await makePdf()), 'cert "1".pdf');
  if (!upload.ok) throw new Error(upload.error);
  fileId = (
    await evidence.add(
      priya.personId,
      'file',
      {
        areaCode: otherArea,
        statementId: '',
        title: 'Certificate',
        body: '',
        url: '',
        reflectionUse: '',
      },
      upload.upload,
    )
  ).id;
}, 120_000);
afterAll(async () => {
  await app.close();
});

const errorLinks = ($: CheerioAPI) =>
  $('.nhsuk-error-summary a')
    .map((_, a) => [[$(a).attr('href'), $(a).text().trim()]])
    .get() as [string, string][];

async function auditActions(action: string) {
  const page = await app.services.audit.listForOrganisation(orgId, { pageSize: 500 });
  return page.entries.filter((e) => e.action === action);
}

describe('signed out', () => {
  it('sends every page to sign in, and refuses every form', async () => {
    const anonymous = new Browser(app);
    for (const url of [
      '/validation',
      '/validation/new',
      '/validation/to-decide',
      `/validation/${crypto.randomUUID()}`,
      `/validation/${crypto.randomUUID()}/evidence/${crypto.randomUUID()}/file`,
    ]) {
      const { response } = await anonymous.get(url);
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location).toMatch(/^\/sign-in/);
    }
    for (const url of [
      '/validation/new',
      `/validation/${crypto.randomUUID()}/withdraw`,
      `/validation/${crypto.randomUUID()}/decision`,
    ]) {
      const { response } = await anonymous.post(url, {}, 'made-up');
      expect(response.statusCode, url).toBe(403);
    }
  });
});

describe('asking', () => {
  it('lists no requests at first, and no link to decide for a plain member', async () => {
    const { response, $ } = await priya.browser.get('/validation');
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toBe('Validation of your levels');
    expect($('main').text()).toMatch(/You have not asked anyone to validate your levels yet/);
    expect($('a[href="/validation/to-decide"]').length).toBe(0);
    const manager = await morgan.browser.get('/validation');
    expect(manager.$('a[href="/validation/to-decide"]').text()).toMatch(/none waiting/);
  });

  it('prefills the area and the person’s own level, lists who to ask and their evidence, area first', async () => {
    const { response, $ } = await priya.browser.get(`/validation/new?area=${areaCode}`);
    expect(response.statusCode).toBe(200);
    expect($('select#areaCode option:selected').attr('value')).toBe(areaCode);
    expect(textOf($, '.app-self-level')).toMatch(/Your own rating in this area .*: Level 2\./);
    expect($('input[name="claimedLevel"]:checked').attr('value')).toBe('2');
    expect(
      $('input[name="validator"]')
        .map((_, i) => $(i).closest('.nhsuk-radios__item').find('label').text().trim())
        .get(),
    ).toEqual(['Morgan Reid', 'Jordan Lee']);
    const evidence = $('input[name="evidence"]')
      .map((_, i) => $(i).attr('value'))
      .get();
    expect(evidence[0]).toBe(noteId);
    expect(evidence.sort()).toEqual([noteId, otherAreaNoteId, fileId].sort());
    expect(evidence).not.toContain(chrisNoteId);
  });

  it('ignores an unknown ?area= and defaults no level', async () => {
    const { $ } = await priya.browser.get('/validation/new?area=<script>');
    expect($('select#areaCode option:selected').attr('value')).toBe('');
    expect($('input[name="claimedLevel"]:checked').length).toBe(0);
  });

  it('explains why there is nobody to ask, and what to do', async () => {
    const { response, $ } = await loner.browser.get('/validation/new');
    expect(response.statusCode).toBe(200);
    expect($('form[action="/validation/new"]').length).toBe(0);
    expect(textOf($, '.app-no-candidates')).toMatch(/not a member of any organisation/);
    const member = await chris.browser.get('/validation/new');
    // Chris is on the same ward: Morgan and Jordan can be asked.
    expect(member.$('input[name="validator"]').length).toBe(2);
  });

  it('shows every error with a summary and keeps what was typed', async () => {
    await priya.browser.get('/validation/new');
    const { response, $ } = await priya.browser.post('/validation/new', {
      message: 'Please look at my ward work',
    });
    expect(response.statusCode).toBe(422);
    expect($('title').text()).toMatch(/^Error: Ask for your level to be validated/);
    expect(errorLinks($)).toEqual([
      ['#areaCode', 'Select an area'],
      ['#claimedLevel', 'Select the level you want validated'],
      ['#validator', 'Select who to ask to validate your level'],
    ]);
    expect($('#areaCode').length).toBe(1);
    expect($('#claimedLevel').length).toBe(1);
    expect($('#validator').length).toBe(1);
    expect($('textarea#message').text()).toBe('Please look at my ward work');
  });

  it('refuses someone who may not be asked, and someone else’s evidence', async () => {
    await priya.browser.get('/validation/new');
    const base = { areaCode, claimedLevel: '3' };
    const notCandidate = await priya.browser.post('/validation/new', {
      ...base,
      validator: chris.personId,
      evidence: [noteId],
    });
    expect(notCandidate.response.statusCode).toBe(422);
    expect(errorLinks(notCandidate.$)).toEqual([['#validator', 'Select someone from the list']]);
    expect(notCandidate.$('input[name="evidence"]:checked').attr('value')).toBe(noteId);
    const theirs = await priya.browser.post('/validation/new', {
      ...base,
      validator: morgan.personId,
      evidence: [noteId, chrisNoteId],
    });
    expect(theirs.response.statusCode).toBe(422);
    expect(errorLinks(theirs.$)).toEqual([
      ['#evidence', 'Select evidence from your own portfolio'],
    ]);
    expect(await auditActions('validation.requested')).toEqual([]);
  });

  it('refuses the form without its CSRF token', async () => {
    const { response } = await priya.browser.post(
      '/validation/new',
      { areaCode, claimedLevel: '3', validator: morgan.personId },
      'made-up',
    );
    expect(response.statusCode).toBe(403);
  });

  it('sends the request and shows it, the claim beside the person’s own rating', async () => {
    await priya.browser.get('/validation/new');
    const { response } = await priya.browser.post('/validation/new', {
      areaCode,
      claimedLevel: '3',
      validator: morgan.personId,
      message: 'I ran the rollout.\n\nAsk the ward sister.',
      evidence: [noteId, fileId],
    });
    expect(response.statusCode).toBe(303);
    const location = String(response.headers.location);
    expect(location).toMatch(/^\/validation\/[0-9a-f-]{36}\?done=asked$/);
    requestId = location.slice('/validation/'.length, location.indexOf('?'));
    const { $ } = await priya.browser.get(location);
    expect(textOf($, '.app-notice')).toMatch(/Your request has been sent/);
    const rows = Object.fromEntries(
      $('.app-validation-claim .nhsuk-summary-list__row')
        .map((_, row) => [
          [
            $(row).find('.nhsuk-summary-list__key').text().trim(),
            $(row).find('.nhsuk-summary-list__value').text().replace(/\s+/g, ' ').trim(),
          ],
        ])
        .get() as [string, string][],
    );
    expect(rows['Level claimed']).toMatch(/^Level 3/);
    expect(rows['Your own rating (self-assessed)']).toMatch(/^Level 2, in your latest results/);
    expect(rows.Asked).toBe('Morgan Reid, Pages Trust');
    expect(rows.Status).toBe('Waiting for a decision');
    expect($('#message').next('p').text()).toBe('I ran the rollout.');
    expect($('.app-validation-evidence > li').length).toBe(2);
    expect($('form[action$="/withdraw"]').length).toBe(1);
    expect($('form[action$="/decision"]').length).toBe(0);
    const list = await priya.browser.get('/validation');
    expect(list.$('.app-validation-requests tbody tr').length).toBe(1);
  });

  it('allows one pending request per area', async () => {
    await priya.browser.get('/validation/new');
    const { response, $ } = await priya.browser.post('/validation/new', {
      areaCode,
      claimedLevel: '2',
      validator: jordan.personId,
    });
    expect(response.statusCode).toBe(422);
    expect(errorLinks($)[0]?.[0]).toBe('#areaCode');
    const page = await priya.browser.get(`/validation/new?area=${areaCode}`);
    expect(page.$('.app-pending-warning').text()).toMatch(/already asked/);
  });
});

describe('the person asked', () => {
  it('sees it in their queue and on its page, with the evidence and the decision form', async () => {
    const queue = await morgan.browser.get('/validation/to-decide');
    expect(queue.response.statusCode).toBe(200);
    expect(textOf(queue.$, '.app-queue-summary')).toBe('1 request is waiting for your decision.');
    expect(queue.$('.app-validation-queue tbody a').attr('href')).toBe(`/validation/${requestId}`);
    const { response, $ } = await morgan.browser.get(`/validation/${requestId}`);
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toContain(areaName);
    expect($('.app-validation-claim').text()).toMatch(/Their own rating \(self-assessed\)/);
    expect(
      $('.app-validation-evidence h3')
        .map((_, h) => $(h).text())
        .get(),
    ).toEqual(['Ward rollout', 'Certificate']);
    expect($(`a[href="/validation/${requestId}/evidence/${fileId}/file"]`).length).toBe(1);
    expect($('input[name="outcome"]').length).toBe(2);
    expect($('form[action$="/withdraw"]').length).toBe(0);
    expect((await auditActions('validation.viewed')).length).toBeGreaterThanOrEqual(1);
  });

  it('downloads an offered file with the same safe headers as the owner’s download', async () => {
    const url = `/validation/${requestId}/evidence/${fileId}/file`;
    const { response } = await morgan.browser.get(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="/);
    expect(response.headers['content-security-policy']).toContain('sandbox');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('private, no-store');
    const owners = await priya.browser.get(`/portfolio/evidence/${fileId}/file`);
    for (const header of ['content-disposition', 'content-security-policy', 'cache-control'])
      expect(response.headers[header]).toBe(owners.response.headers[header]);
    // Evidence not offered with the request is not reachable through it.
    const notOffered = await morgan.browser.get(
      `/validation/${requestId}/evidence/${otherAreaNoteId}/file`,
    );
    expect(notOffered.response.statusCode).toBe(404);
    // And the owner's own download route stays the owner's.
    expect(
      (await morgan.browser.get(`/portfolio/evidence/${fileId}/file`)).response.statusCode,
    ).toBe(404);
  });

  it('is "not found" to anyone else', async () => {
    for (const who of [chris, jordan, loner]) {
      expect((await who.browser.get(`/validation/${requestId}`)).response.statusCode).toBe(404);
      expect(
        (await who.browser.get(`/validation/${requestId}/evidence/${fileId}/file`)).response
          .statusCode,
      ).toBe(404);
    }
    expect((await morgan.browser.get('/validation/not-a-uuid')).response.statusCode).toBe(404);
  });

  it('shows decision errors, keeping what was typed; a return needs a comment', async () => {
    await morgan.browser.get(`/validation/${requestId}`);
    const empty = await morgan.browser.post(`/validation/${requestId}/decision`, {});
    expect(empty.response.statusCode).toBe(422);
    expect(empty.$('title').text()).toMatch(/^Error: /);
    expect(errorLinks(empty.$)).toEqual([
      ['#outcome', 'Select whether you confirm the level or return it'],
    ]);
    const noComment = await morgan.browser.post(`/validation/${requestId}/decision`, {
      outcome: 'returned',
      comment: '  ',
    });
    expect(noComment.response.statusCode).toBe(422);
    expect(errorLinks(noComment.$)).toEqual([
      ['#comment', 'Enter a comment saying why you are returning it and what would help'],
    ]);
    expect(noComment.$('input[name="outcome"]:checked').attr('value')).toBe('returned');
    expect(noComment.$('#comment').length).toBe(1);
  });

  it('refuses the decision form without its CSRF token, and from anyone else', async () => {
    const forged = await morgan.browser.post(
      `/validation/${requestId}/decision`,
      { outcome: 'validated' },
      'made-up',
    );
    expect(forged.response.statusCode).toBe(403);
    for (const who of [priya, chris, jordan]) {
      await who.browser.get('/validation');
      const { response } = await who.browser.post(`/validation/${requestId}/decision`, {
        outcome: 'validated',
      });
      expect(response.statusCode).toBe(404);
      // With errors too: nobody else gets the form back.
      const invalid = await who.browser.post(`/validation/${requestId}/decision`, {});
      expect(invalid.response.statusCode).toBe(404);
    }
  });

  it('confirms the level; the decision is final', async () => {
    await morgan.browser.get(`/validation/${requestId}`);
    const { response } = await morgan.browser.post(`/validation/${requestId}/decision`, {
      outcome: 'validated',
      comment: 'Seen on the ward.',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/validation/${requestId}?done=validated`);
    const { $ } = await morgan.browser.get(`/validation/${requestId}?done=validated`);
    expect(textOf($, '.app-notice')).toMatch(/You have confirmed the level/);
    expect($('form[action$="/decision"]').length).toBe(0);
    expect($('main').text()).toMatch(/A decision is final/);
    const bodies: Record<string, string>[] = [
      { outcome: 'returned', comment: 'Second thoughts' },
      {},
    ];
    for (const body of bodies) {
      const again = await morgan.browser.post(`/validation/${requestId}/decision`, body);
      expect(again.response.statusCode).toBe(409);
    }
    const withdraw = await priya.browser.post(`/validation/${requestId}/withdraw`, {});
    expect(withdraw.response.statusCode).toBe(409);
  });
});

describe('validated levels beside the person’s own', () => {
  it('are shown on the results page in their own column, never merged', async () => {
    const { response, $ } = await priya.browser.get(`/assessments/${assessmentId}/results`);
    expect(response.statusCode).toBe(200);
    const table = $('.app-results-domain table').first();
    const head = table
      .find('thead th')
      .map((_, th) => $(th).text().trim())
      .get();
    expect(head).toEqual([
      'Area',
      'Your level (self-assessed)',
      'Validated level (by a line manager or educator)',
      'Target level',
      'Compared with target',
    ]);
    const row = table
      .find('tbody tr')
      .filter((_, tr) => $(tr).text().includes(areaName))
      .first();
    const cells = row
      .find('td')
      .map((_, td) => $(td).text().replace(/\s+/g, ' ').trim())
      .get();
    expect(cells[1]).toMatch(/Level 2$/);
    expect(cells[2]).toMatch(/Validated: level 3 by Morgan Reid, \d{1,2} \w+ \d{4}$/);
    expect(textOf($, '.app-validated-note')).toMatch(/never combined/);
    expect($('.app-results-actions a[href="/validation"]').text()).toMatch(/validate your levels/);
    // The chart and the summary still come from the self-assessment alone.
    expect($('svg.app-chart').length).toBe(1);
  });

  it('are shown on the shared view of the results', async () => {
    await priya.browser.get(`/assessments/${assessmentId}/sharing`);
    const share = await priya.browser.post(`/assessments/${assessmentId}/shares`, {
      sharedWith: jordan.personId,
    });
    expect(share.response.statusCode).toBe(303);
    const list = await jordan.browser.get('/shared-with-me');
    const href = list.$('table.app-shared-with-me tbody a').attr('href') ?? '';
    const { $ } = await jordan.browser.get(href);
    expect($('.app-results-domain thead th').eq(2).text().trim()).toBe(
      'Validated level (by a line manager or educator)',
    );
    expect($('.app-results-domain tbody').text()).toMatch(/Validated: level 3 by Morgan Reid/);
    expect($('.app-results-domain thead th').eq(1).text().trim()).toBe(
      'Priya Sharma’s level (self-assessed)',
    );
  });

  it('are a section of their own in the PDF report', async () => {
    const response = await app.inject({
      url: `/assessments/${assessmentId}/report.pdf`,
      headers: { cookie: priya.browser.cookie },
    });
    expect(response.statusCode).toBe(200);
    const text = await pdfText(response.rawPayload);
    expect(text).toMatch(/Validated levels/);
    expect(text).toMatch(/Validated: level 3 by Morgan Reid/);
    expect(text).toMatch(/your own rating: Level 2/);
  });

  it('are shown on My learning, the plan and the goal page, beside the person’s own level', async () => {
    const learning = await priya.browser.get('/learning');
    expect(learning.response.statusCode).toBe(200);
    const gap = learning
      .$('.app-learning-gap')
      .filter((_, s) => learning.$(s).text().includes(areaName));
    expect(gap.find('p').first().text()).toMatch(/You are at level 2/);
    expect(gap.find('.app-validated-tag').text()).toMatch(/^Validated: level 3 by Morgan Reid/);

    const plan = await priya.browser.get('/plan');
    expect(plan.$('.app-validated-tag').first().text()).toMatch(
      /^Validated: level 3 by Morgan Reid/,
    );

    const { goalId } = await app.services.plans.createGoal(priya.personId, {
      areaCode,
      targetLevel: 4,
      targetDate: `${String(new Date().getFullYear() + 1)}-01-31`,
      notes: '',
      from: '',
      resource: '',
    });
    const goal = await priya.browser.get(`/plan/goals/${goalId}`);
    const rows = goal
      .$('.nhsuk-summary-list__row')
      .map((_, r) => [
        [goal.$(r).find('dt').text().trim(), goal.$(r).find('dd').first().text().trim()],
      ])
      .get() as [string, string][];
    expect(Object.fromEntries(rows)['Validated level']).toMatch(
      /^Validated: level 3 by Morgan Reid/,
    );
    expect(goal.$(`a[href="/validation/new?area=${encodeURIComponent(areaCode)}"]`).length).toBe(1);
  });

  it('are not shown for people with no validated level', async () => {
    const other = await makeSubmittedAssessment(app.services, chris.personId);
    const { $ } = await chris.browser.get(`/assessments/${other.id}/results`);
    expect($('.app-results-domain thead th').length).toBe(4 * $('.app-results-domain').length);
    expect($('.app-validated-note').length).toBe(0);
  });
});

describe('withdrawing', () => {
  it('lets the person who asked withdraw a pending request', async () => {
    await priya.browser.get('/validation/new');
    const asked = await priya.browser.post('/validation/new', {
      areaCode: otherArea,
      claimedLevel: '1',
      validator: jordan.personId,
    });
    const location = String(asked.response.headers.location);
    const id = location.slice('/validation/'.length, location.indexOf('?'));
    const forged = await priya.browser.post(`/validation/${id}/withdraw`, {}, 'made-up');
    expect(forged.response.statusCode).toBe(403);
    await jordan.browser.get('/validation');
    expect((await jordan.browser.post(`/validation/${id}/withdraw`, {})).response.statusCode).toBe(
      404,
    );
    await priya.browser.get(`/validation/${id}`);
    const { response } = await priya.browser.post(`/validation/${id}/withdraw`, {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/validation/${id}?done=withdrawn`);
    const { $ } = await priya.browser.get(String(response.headers.location));
    expect(textOf($, '.app-notice')).toMatch(/withdrawn/);
    expect($('form[action$="/withdraw"]').length).toBe(0);
    const seen = await jordan.browser.get(`/validation/${id}`);
    expect(seen.$('form[action$="/decision"]').length).toBe(0);
    expect(seen.$('main').text()).toMatch(/withdrew this request/);
  });

  it('shows no notice for a ?done= it does not know', async () => {
    for (const done of ['constructor', '__proto__', 'nonsense']) {
      const { response, $ } = await priya.browser.get(`/validation?done=${done}`);
      expect(response.statusCode).toBe(200);
      expect($('.app-notice').length).toBe(0);
    }
  });
});

describe('download my data', () => {
  it('includes the requests the person made', async () => {
    const response = await app.inject({
      url: '/account/download',
      headers: { cookie: priya.browser.cookie },
    });
    expect(response.statusCode).toBe(200);
    const data = JSON.parse(response.body) as {
      validationRequests: { id: string; status: string; claimedLevel: number }[];
    };
    expect(data.validationRequests.find((r) => r.id === requestId)).toEqual(
      expect.objectContaining({ status: 'validated', claimedLevel: 3 }),
    );
  });
});

describe('when an email cannot be sent', () => {
  it('says so after asking and after deciding, and the request still reaches the other person', async () => {
    if (app.services.mailer.kind !== 'outbox') throw new Error('tests need the outbox mailer');
    const failing = vi
      .spyOn(app.services.mailer, 'send')
      .mockRejectedValue(new Error('mail server down'));
    try {
      await chris.browser.get('/validation/new');
      const asked = await chris.browser.post('/validation/new', {
        areaCode,
        claimedLevel: '2',
        validator: jordan.personId,
        evidence: [chrisNoteId],
      });
      expect(asked.response.statusCode).toBe(303);
      const location = String(asked.response.headers.location);
      expect(location).toMatch(/^\/validation\/[0-9a-f-]{36}\?done=asked-unsent$/);
      const id = location.slice('/validation/'.length, location.indexOf('?'));
      const shown = await chris.browser.get(location);
      expect(textOf(shown.$, '.app-notice p')).toBe(
        'Your request has been sent, but we could not email the person you asked just now. It is waiting for them on their Validation page in digicap, so you may want to tell them it is there.',
      );
      // Where the notice says: their Validation page links to their queue, which lists it.
      const overview = await jordan.browser.get('/validation');
      expect(overview.$('a[href="/validation/to-decide"]').text()).toMatch(
        /1 waiting for your decision/,
      );
      const queue = await jordan.browser.get('/validation/to-decide');
      expect(queue.$(`.app-validation-queue a[href="/validation/${id}"]`).length).toBe(1);

      await jordan.browser.get(`/validation/${id}`);
      const decided = await jordan.browser.post(`/validation/${id}/decision`, {
        outcome: 'returned',
        comment: 'Say what you did.',
      });
      expect(decided.response.headers.location).toBe(`/validation/${id}?done=returned-unsent`);
      const after = await jordan.browser.get(String(decided.response.headers.location));
      expect(textOf(after.$, '.app-notice p')).toBe(
        'You have returned the request with your comment, but we could not email them just now. They will see it, with your comment, on their Validation page in digicap.',
      );
      expect(failing).toHaveBeenCalledTimes(2);
      // Chris's Validation page shows the returned request.
      const mine = await chris.browser.get('/validation');
      expect(mine.$(`a[href="/validation/${id}"]`).closest('tr').text()).toMatch(/Returned/);
    } finally {
      failing.mockRestore();
    }
  });

  it('says the email was sent when it was, on every notice', async () => {
    for (const [done, text] of [
      ['asked', 'Your request has been sent. We have emailed the person you asked.'],
      ['validated', 'You have confirmed the level. We have emailed them to say so.'],
      [
        'validated-unsent',
        'You have confirmed the level, but we could not email them just now. They will see your decision on their Validation page in digicap.',
      ],
    ]) {
      const { $ } = await priya.browser.get(`/validation?done=${done}`);
      expect(textOf($, '.app-notice p'), done).toBe(text);
    }
  });
});
