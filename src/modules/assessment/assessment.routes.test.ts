/** The self-assessment pages through app.inject(): start, answer, autosave, resume, submit. */
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, nextTestAddress, signedInBrowser } from '../../../test/support/browser.js';
import { textOf } from '../../../test/support/html.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { DEFAULT_FRAMEWORK_SLUG } from '../framework/index.js';
import { planAssessment, statementsToAsk } from './assessment.plan.js';
import { assessmentPool } from './engine/adaptive-engine.js';

let app: FastifyInstance;
let people = 0;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

async function person(archetypeCodes: string[] = ['U']) {
  people += 1;
  const signedIn = await signedInBrowser(app, {
    email: `learner${String(people)}@example.org`,
    displayName: `Learner ${String(people)}`,
  });
  await app.services.profiles.updateProfile(signedIn.personId, {
    professionCode: 'nurse',
    workSettingCode: null,
    archetypeCodes,
  });
  return signedIn;
}

async function started(mode: 'focused' | 'full' = 'focused', archetypeCodes = ['U']) {
  const { browser, personId } = await person(archetypeCodes);
  const { assessment } = await app.services.assessments.startAssessment(personId, {
    mode,
    archetypeCodes,
  });
  return { browser, personId, id: assessment.id };
}

async function answersIn(assessmentId: string) {
  const result = await app.services.database.db.execute(
    sql`select statement_id, value from assessment_answers where assessment_id = ${assessmentId} order by statement_id`,
  );
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return rows as { statement_id: string; value: string }[];
}

/** The statement ids an area page shows, from its hidden "shown" fields. */
function shownOn($: Awaited<ReturnType<Browser['get']>>['$']): string[] {
  return $('input[name="shown"]')
    .map((_i, el) => $(el).attr('value'))
    .get();
}

async function answerAll(personId: string, id: string, value = '2') {
  const { assessments } = app.services;
  for (let guard = 0; guard < 300; guard += 1) {
    const ws = await assessments.workspace(personId, id);
    const area = ws.plan.nextAreaCode;
    if (!area) return;
    const ids = statementsToAsk(ws.pool, ws.assessment.mode, ws.answers, area);
    await assessments.recordAnswers(
      personId,
      id,
      area,
      Object.fromEntries(ids.map((s) => [s, value])),
    );
  }
}

const usersPool = async () =>
  assessmentPool((await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG)).data, ['U']);

describe('the home page', () => {
  it('needs signing in', async () => {
    const response = await app.inject({ url: '/home' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Fhome');
  });

  it('offers to start, then to continue, then to review results', async () => {
    const { browser, personId } = await person();
    const fresh = await browser.get('/home');
    expect(fresh.response.statusCode).toBe(200);
    expect(textOf(fresh.$, 'main .nhsuk-button')).toBe('Start your self-assessment');
    expect(fresh.$('main .nhsuk-button').attr('href')).toBe('/assessments/new');

    const { assessment } = await app.services.assessments.startAssessment(personId, {
      mode: 'focused',
      archetypeCodes: ['U'],
    });
    const going = await browser.get('/home');
    expect(textOf(going.$, 'main .nhsuk-button')).toBe('Continue your self-assessment');
    expect(going.$('main .nhsuk-button').attr('href')).toBe(
      `/assessments/${assessment.id}/areas/${assessment.currentAreaCode ?? ''}`,
    );
    expect(textOf(going.$, '#assessment-progress')).toMatch(
      /^0 of \d+ areas done, about \d+ minutes left$/,
    );

    await answerAll(personId, assessment.id);
    await app.services.assessments.submit(personId, assessment.id);
    const done = await browser.get('/home');
    expect(textOf(done.$, 'main .nhsuk-button')).toBe('Start a new self-assessment');
    expect(done.$('a:contains("Review last results")').attr('href')).toBe(
      `/assessments/${assessment.id}/results`,
    );
  });
});

describe('starting', () => {
  it('confirms profile and archetypes, shows estimates, and starts a focused assessment', async () => {
    const { browser, personId } = await person([]);
    const profile = await browser.get('/assessments/new');
    expect(profile.response.statusCode).toBe(200);
    expect(profile.$('select#professionCode option:selected').attr('value')).toBe('nurse');
    const step1 = await browser.post('/assessments/new', {
      professionCode: 'midwife',
      workSettingCode: '',
    });
    expect(step1.response.headers.location).toBe('/assessments/new/archetypes');

    const archetypes = await browser.get('/assessments/new/archetypes');
    expect(archetypes.$('input[name="archetypeCodes"]')).toHaveLength(5);
    expect(archetypes.$('a[href="/assessments/new/help-me-choose"]')).toHaveLength(1);
    const none = await browser.post('/assessments/new/archetypes', {});
    expect(none.response.statusCode).toBe(422);
    expect(textOf(none.$, 'title')).toMatch(/^Error: /);
    expect(textOf(none.$, '.nhsuk-error-summary')).toContain('Choose at least one archetype');
    const bogus = await browser.post('/assessments/new/archetypes', { archetypeCodes: ['U', 'Z'] });
    expect(bogus.response.statusCode).toBe(422);
    const step2 = await browser.post('/assessments/new/archetypes', { archetypeCodes: 'U' });
    expect(step2.response.headers.location).toBe('/assessments/new/mode');
    expect(await app.services.profiles.getProfile(personId)).toEqual({
      professionCode: 'midwife',
      workSettingCode: null,
      archetypeCodes: ['U'],
    });

    const mode = await browser.get('/assessments/new/mode');
    expect(mode.$('input[name="mode"][value="focused"]').is(':checked')).toBe(true);
    const estimates = await app.services.assessments.startEstimates(['U']);
    expect(textOf(mode.$, '#mode-hint')).toContain('16 areas');
    expect(textOf(mode.$, 'label[for="mode"] + .nhsuk-hint')).toContain(
      `About ${String(estimates.focused.minutes)} minutes`,
    );
    expect(textOf(mode.$, 'label[for="mode-2"] + .nhsuk-hint')).toContain(
      `About ${String(estimates.full.minutes)} minutes (around ${String(estimates.full.statements)} statements)`,
    );
    expect(mode.$('input[name="fromPrevious"]')).toHaveLength(0);
    const badMode = await browser.post('/assessments', { mode: 'speedy' });
    expect(badMode.response.statusCode).toBe(422);

    const start = await browser.post('/assessments', { mode: 'focused' });
    expect(start.response.statusCode).toBe(303);
    const inProgress = await app.services.assessments.getInProgress(personId);
    expect(inProgress).toMatchObject({ mode: 'focused', professionCode: 'midwife' });
    const firstArea = (await usersPool()).areas[0]?.areaCode ?? '';
    expect(start.response.headers.location).toBe(
      `/assessments/${inProgress?.id ?? ''}/areas/${firstArea}`,
    );
    // Starting again continues the same one.
    const again = await browser.post('/assessments', { mode: 'full' });
    expect(again.response.headers.location).toBe(start.response.headers.location);
    expect((await browser.get('/assessments/new')).response.headers.location).toBe(
      `/assessments/${inProgress?.id ?? ''}`,
    );
  });

  it('suggests archetypes with reasons, which the person can accept', async () => {
    const { browser, personId } = await person([]);
    const form = await browser.get('/assessments/new/help-me-choose');
    const questions = form.$('fieldset');
    expect(questions.length).toBeGreaterThanOrEqual(5);
    const partial = await browser.post('/assessments/new/help-me-choose', { 'question-0': 'yes' });
    expect(partial.response.statusCode).toBe(422);
    expect(partial.$('.nhsuk-error-summary li')).toHaveLength(questions.length - 1);
    expect(partial.$('input[name="question-0"][value="yes"]').is(':checked')).toBe(true);

    // Yes to the questions pointing at Embedders (4 and 5, both listed) and Users (6).
    const answers = Object.fromEntries(
      Array.from({ length: questions.length }, (_v, i) => [
        `question-${String(i)}`,
        i >= 3 ? 'yes' : 'no',
      ]),
    );
    const sent = await browser.post('/assessments/new/help-me-choose', answers);
    expect(sent.response.headers.location).toBe(
      '/assessments/new/help-me-choose/suggestions?answers=nnnyyy',
    );
    const shown = await browser.get(sent.response.headers.location ?? '');
    expect(
      shown
        .$('main h2')
        .map((_i, el) => shown.$(el).text())
        .get(),
    ).toEqual(['Embedders', 'Users']);
    expect(shown.$('main ul').first().find('li')).toHaveLength(2);
    expect(
      shown
        .$('input[name="archetypeCodes"]')
        .map((_i, el) => shown.$(el).attr('value'))
        .get(),
    ).toEqual(['E', 'U']);
    const accept = await browser.post('/assessments/new/archetypes', {
      archetypeCodes: ['E', 'U'],
    });
    expect(accept.response.headers.location).toBe('/assessments/new/mode');
    expect((await app.services.profiles.getProfile(personId))?.archetypeCodes).toEqual(['E', 'U']);

    // "Back" returns to the questions with the answers given.
    const back = shown.$('.nhsuk-back-link').attr('href') ?? '';
    expect(back).toBe('/assessments/new/help-me-choose?answers=nnnyyy');
    const again = await browser.get(back);
    expect(
      again
        .$('input[type="radio"]:checked')
        .map((_i, el) => again.$(el).attr('value'))
        .get(),
    ).toEqual(['no', 'no', 'no', 'yes', 'yes', 'yes']);
    const garbled = await browser.get('/assessments/new/help-me-choose?answers=yx');
    expect(garbled.response.statusCode).toBe(200);
    expect(garbled.$('input[type="radio"]:checked')).toHaveLength(0);

    const nothing = await browser.get('/assessments/new/help-me-choose/suggestions?answers=nnnnnn');
    expect(textOf(nothing.$, 'main h2')).toBe('Users');
    const tampered = await browser.get('/assessments/new/help-me-choose/suggestions?answers=zz');
    expect(tampered.response.headers.location).toBe('/assessments/new/help-me-choose');
  });
});

describe('answering an area', () => {
  it('shows the statements to ask with the scale, saves them and moves on', async () => {
    const { browser, personId, id } = await started('full');
    const pool = await usersPool();
    const area = pool.areas[0];
    if (!area) throw new Error('empty pool');
    const page = await browser.get(`/assessments/${id}/areas/${area.areaCode}`);
    expect(page.response.statusCode).toBe(200);
    expect(textOf(page.$, 'h1')).toContain(
      (await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG)).nodesByCode.get(
        area.areaCode,
      )?.name ?? '?',
    );
    const shown = shownOn(page.$);
    expect(shown).toEqual(area.statementIds.slice(0, 4));
    const labels = page
      .$('fieldset')
      .first()
      .find('label')
      .map((_i, el) => page.$(el).text().trim())
      .get();
    expect(labels[0]).toBe("I can't do this yet");
    expect(labels).toContain('I could lead or teach this');
    expect(labels.at(-1)).toBe('Not relevant to my role');
    expect(page.$('form[data-autosave]').attr('data-autosave-url')).toBe(
      `/assessments/${id}/answers`,
    );
    expect(textOf(page.$, '#assessment-progress')).toMatch(/^0 of \d+ areas done/);

    const saved = await browser.post(`/assessments/${id}/areas/${area.areaCode}`, {
      shown,
      ...Object.fromEntries(shown.map((s) => [`answer-${s}`, '1'])),
      action: 'continue',
    });
    expect(saved.response.statusCode).toBe(303);
    // Full mode: the area has more statements, so the same area again with the next ones.
    expect(saved.response.headers.location).toBe(`/assessments/${id}/areas/${area.areaCode}`);
    expect((await answersIn(id)).map((a) => a.statement_id)).toEqual([...shown].sort());
    const next = await browser.get(`/assessments/${id}/areas/${area.areaCode}`);
    expect(shownOn(next.$)).toEqual(area.statementIds.slice(4, 8));

    // Finishing the area moves on to the next.
    const ws = await app.services.assessments.workspace(personId, id);
    const rest = area.statementIds.filter((s) => !ws.answers.has(s));
    const finished = await browser.post(`/assessments/${id}/areas/${area.areaCode}`, {
      shown: rest,
      ...Object.fromEntries(rest.map((s) => [`answer-${s}`, 'not-relevant'])),
    });
    expect(finished.response.headers.location).toBe(
      `/assessments/${id}/areas/${pool.areas[1]?.areaCode ?? ''}`,
    );
    // Revisiting a finished area shows its answers, ready to change.
    const revisit = await browser.get(`/assessments/${id}/areas/${area.areaCode}`);
    expect(shownOn(revisit.$)).toEqual(area.statementIds);
    expect(
      revisit.$(`input[name="answer-${area.statementIds[0] ?? ''}"][value="1"]`).is(':checked'),
    ).toBe(true);
  });

  it('keeps the answers given when some are missing, and asks for the rest', async () => {
    const { browser, id } = await started('full');
    const area = (await usersPool()).areas[0];
    const page = await browser.get(`/assessments/${id}/areas/${area?.areaCode ?? ''}`);
    const shown = shownOn(page.$);
    const partial = await browser.post(`/assessments/${id}/areas/${area?.areaCode ?? ''}`, {
      shown,
      [`answer-${shown[0] ?? ''}`]: '3',
    });
    expect(partial.response.statusCode).toBe(422);
    expect(partial.$('.nhsuk-error-summary li')).toHaveLength(shown.length - 1);
    expect(textOf(partial.$, '.nhsuk-error-summary li')).toBe(
      'Choose an answer for statement 2 on this page',
    );
    expect(partial.$('.nhsuk-error-summary a').first().attr('href')).toBe(
      `#answer-${(shown[1] ?? '').replace(/\./g, '-')}`,
    );
    expect(partial.$(`input[name="answer-${shown[0] ?? ''}"][value="3"]`).is(':checked')).toBe(
      true,
    );
    expect(await answersIn(id)).toEqual([{ statement_id: shown[0], value: '3' }]);
  });

  it('refuses tampered ids and malformed values with 422, writing nothing', async () => {
    const { browser, personId, id } = await started('full');
    const pool = await usersPool();
    const [first, second] = pool.areas;
    const url = `/assessments/${id}/areas/${first?.areaCode ?? ''}`;
    const page = await browser.get(url);
    const shown = shownOn(page.$);
    const own = shown[0] ?? '';
    const payloads: Record<string, string | string[]>[] = [
      { [`answer-${own}`]: '2', [`answer-${second?.statementIds[0] ?? ''}`]: '2' },
      { [`answer-${own}`]: '2', 'answer-no-such-statement': '1' },
      { [`answer-${own}`]: '7' },
      { [`answer-${own}`]: ['1', '2'] },
    ];
    for (const payload of payloads) {
      const bad = await browser.post(url, { shown, ...payload });
      expect(bad.response.statusCode).toBe(422);
      expect(bad.$('.nhsuk-error-summary')).toHaveLength(1);
    }
    expect(await answersIn(id)).toEqual([]);
    expect((await browser.get(`/assessments/${id}/areas/9.9`)).response.statusCode).toBe(404);
    expect((await browser.post(`/assessments/${id}/areas/9.9`, {})).response.statusCode).toBe(404);
    const later = await browser.post(`/assessments/${id}/areas/9.9`, { action: 'later' });
    expect(later.response.statusCode).toBe(404);
    expect((await app.services.assessments.getForOwner(personId, id)).currentAreaCode).toBe(
      first?.areaCode,
    );
  });

  it("shows nobody else's assessment and lets nobody else answer it", async () => {
    const { id } = await started();
    const { browser: other } = await person();
    const area = (await usersPool()).areas[0]?.areaCode ?? '';
    for (const url of [
      `/assessments/${id}`,
      `/assessments/${id}/areas/${area}`,
      `/assessments/${id}/saved`,
      `/assessments/${id}/check-answers`,
      '/assessments/not-a-uuid',
      '/assessments/6f1d2c3b-0000-4000-8000-000000000000/check-answers',
    ])
      expect((await other.get(url)).response.statusCode, url).toBe(404);
    await other.get('/home');
    const statement = (await usersPool()).areas[0]?.statementIds[0] ?? '';
    for (const [url, body] of [
      [`/assessments/${id}/areas/${area}`, { [`answer-${statement}`]: '1' }],
      [`/assessments/${id}/answers`, { areaCode: area, statementId: statement, value: '1' }],
      [`/assessments/${id}/submit`, {}],
    ] as const)
      expect((await other.post(url, body)).response.statusCode, url).toBe(404);
    expect(await answersIn(id)).toEqual([]);
  });

  it('"save and come back later" saves and returns to the same area from home', async () => {
    const { browser, id } = await started('focused');
    const pool = await usersPool();
    const area = pool.areas[2]?.areaCode ?? '';
    const page = await browser.get(`/assessments/${id}/areas/${area}`);
    const shown = shownOn(page.$);
    const later = await browser.post(`/assessments/${id}/areas/${area}`, {
      shown,
      [`answer-${shown[0] ?? ''}`]: '0',
      action: 'later',
    });
    expect(later.response.headers.location).toBe(`/assessments/${id}/saved`);
    const saved = await browser.get(`/assessments/${id}/saved`);
    expect(textOf(saved.$, 'h1')).toBe('Your answers have been saved');
    expect(await answersIn(id)).toHaveLength(1);
    const home = await browser.get('/home');
    expect(home.$('main .nhsuk-button').attr('href')).toBe(`/assessments/${id}/areas/${area}`);
    // Without answering anything, "later" still remembers the area.
    const other = pool.areas[4]?.areaCode ?? '';
    await browser.get(`/assessments/${id}/areas/${other}`);
    await browser.post(`/assessments/${id}/areas/${other}`, { action: 'later' });
    expect((await browser.get('/home')).$('main .nhsuk-button').attr('href')).toBe(
      `/assessments/${id}/areas/${other}`,
    );
  });

  it('lists every area on the task list with its status', async () => {
    const { browser, personId, id } = await started('focused');
    const pool = await usersPool();
    const first = pool.areas[0];
    const ws = await app.services.assessments.workspace(personId, id);
    const ids = statementsToAsk(ws.pool, 'focused', ws.answers, first?.areaCode ?? '');
    await app.services.assessments.recordAnswers(personId, id, first?.areaCode ?? '', {
      [ids[0] ?? '']: '2',
    });
    const list = await browser.get(`/assessments/${id}`);
    expect(list.response.statusCode).toBe(200);
    const items = list.$('.nhsuk-task-list__item');
    expect(items).toHaveLength(pool.areas.length);
    expect(items.first().find('a').attr('href')).toBe(
      `/assessments/${id}/areas/${first?.areaCode ?? ''}`,
    );
    const statuses = items
      .map((_i, el) => list.$(el).find('.nhsuk-task-list__status').text().trim())
      .get();
    expect(statuses[0]).toMatch(/In progress|Done/);
    expect(statuses.slice(1).every((s) => s === 'Not started')).toBe(true);
  });
});

describe('autosave', () => {
  it('saves one answer from JSON or a form body, with the CSRF token in a header', async () => {
    const { browser, id } = await started('full');
    const area = (await usersPool()).areas[0];
    const [a, b] = area?.statementIds ?? [];
    await browser.get(`/assessments/${id}/areas/${area?.areaCode ?? ''}`);
    const json = await app.inject({
      method: 'POST',
      url: `/assessments/${id}/answers`,
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.lastCsrf },
      payload: { areaCode: area?.areaCode, statementId: a, value: '2' },
    });
    expect(json.statusCode).toBe(204);
    const form = await app.inject({
      method: 'POST',
      url: `/assessments/${id}/answers`,
      headers: {
        cookie: browser.cookie,
        'x-csrf-token': browser.lastCsrf,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({
        areaCode: area?.areaCode ?? '',
        statementId: b ?? '',
        value: 'not-relevant',
      }).toString(),
    });
    expect(form.statusCode).toBe(204);
    expect(await answersIn(id)).toEqual(
      [
        { statement_id: a, value: '2' },
        { statement_id: b, value: 'not-relevant' },
      ].sort((x, y) => (x.statement_id ?? '').localeCompare(y.statement_id ?? '')),
    );

    const bad = await app.inject({
      method: 'POST',
      url: `/assessments/${id}/answers`,
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.lastCsrf },
      payload: { areaCode: area?.areaCode, statementId: a, value: 'maybe' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toEqual({
      errors: [{ field: a, text: 'Choose one of the answers shown' }],
    });
    const missing = await app.inject({
      method: 'POST',
      url: `/assessments/${id}/answers`,
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.lastCsrf },
      payload: { statementId: a },
    });
    expect(missing.statusCode).toBe(422);
    const noToken = await app.inject({
      method: 'POST',
      url: `/assessments/${id}/answers`,
      headers: { cookie: browser.cookie },
      payload: { areaCode: area?.areaCode, statementId: a, value: '0' },
    });
    expect(noToken.statusCode).toBe(403);
    expect((await answersIn(id)).find((r) => r.statement_id === a)?.value).toBe('2');
  });

  it('answers 401, not a redirect to a sign-in page, when nobody is signed in', async () => {
    const { id } = await started('full');
    const area = (await usersPool()).areas[0];
    const anonymous = new Browser(app, nextTestAddress());
    await anonymous.get('/sign-in'); // a session and its CSRF token, but nobody signed in
    const response = await app.inject({
      method: 'POST',
      url: `/assessments/${id}/answers`,
      headers: { cookie: anonymous.cookie, 'x-csrf-token': anonymous.lastCsrf },
      payload: { areaCode: area?.areaCode, statementId: area?.statementIds[0], value: '2' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers.location).toBeUndefined();
    expect(response.json()).toEqual({
      errors: [{ field: 'session', text: 'Sign in again to keep your answers' }],
    });
    expect(await answersIn(id)).toEqual([]);
  });
});

describe('autosave and reloading', () => {
  it('shows the same page after a reload, with the autosaved answer chosen', async () => {
    const { browser, personId, id } = await started('focused');
    const area = (await usersPool()).areas[0]?.areaCode ?? '';
    const url = `/assessments/${id}/areas/${area}`;
    const page = await browser.get(url);
    const shown = shownOn(page.$);
    const response = await app.inject({
      method: 'POST',
      url: `/assessments/${id}/answers`,
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.lastCsrf },
      payload: { areaCode: area, statementId: shown[0], value: '3' },
    });
    expect(response.statusCode).toBe(204);
    const reloaded = await browser.get(url);
    expect(shownOn(reloaded.$)).toEqual(shown);
    expect(reloaded.$(`input[name="answer-${shown[0] ?? ''}"][value="3"]`).is(':checked')).toBe(
      true,
    );
    // Saving the page moves on to what the engine asks next.
    await browser.post(url, {
      shown,
      ...Object.fromEntries(shown.map((s) => [`answer-${s}`, '3'])),
    });
    const after = shownOn((await browser.get(url)).$);
    const ws = await app.services.assessments.workspace(personId, id);
    const status = ws.plan.areas.find((a) => a.areaCode === area)?.status;
    // Either the next unanswered statements, or (the area finished) every answer to review.
    if (status === 'done') expect(after).toEqual(expect.arrayContaining(shown));
    else expect(after.filter((s) => shown.includes(s))).toEqual([]);
  });
});

describe('check answers and submit', () => {
  it('refuses to submit with areas left, then submits and becomes read-only', async () => {
    const { browser, personId, id } = await started('focused');
    const early = await browser.post(`/assessments/${id}/submit`, {});
    expect(early.response.statusCode).toBe(422);
    expect(early.$('.nhsuk-error-summary a').attr('href')).toBe(`/assessments/${id}`);
    expect(textOf(early.$, '.nhsuk-error-summary')).toContain('still to finish');

    await answerAll(personId, id, '2');
    const check = await browser.get(`/assessments/${id}/check-answers`);
    expect(check.response.statusCode).toBe(200);
    const ws = await app.services.assessments.workspace(personId, id);
    expect(check.$('.nhsuk-summary-list__row')).toHaveLength(ws.answers.size);
    const change = check.$('.nhsuk-summary-list__actions a').first().attr('href') ?? '';
    expect(change).toMatch(
      new RegExp(`^/assessments/${id}/areas/[\\d.]+\\?from=check-answers#answer-`),
    );
    expect(textOf(check.$, '.nhsuk-summary-list__value')).toBe('I can do this on my own');

    // Changing an answer from check answers goes back there.
    const area = ws.plan.areas[0]?.areaCode ?? '';
    const changePage = await browser.get(`/assessments/${id}/areas/${area}?from=check-answers`);
    const shown = shownOn(changePage.$);
    const changed = await browser.post(`/assessments/${id}/areas/${area}`, {
      shown,
      from: 'check-answers',
      ...Object.fromEntries(shown.map((s) => [`answer-${s}`, '3'])),
    });
    expect(changed.response.headers.location).toBe(`/assessments/${id}/check-answers`);

    await browser.get(`/assessments/${id}/check-answers`);
    const submitted = await browser.post(`/assessments/${id}/submit`, {});
    expect(submitted.response.statusCode).toBe(303);
    expect(submitted.response.headers.location).toBe(`/assessments/${id}/results`);
    const stored = await app.services.assessments.getForOwner(personId, id);
    expect(stored.status).toBe('submitted');
    expect(stored.results?.areas.length).toBe(ws.plan.total);

    for (const url of [
      `/assessments/${id}`,
      `/assessments/${id}/check-answers`,
      `/assessments/${id}/areas/${area}`,
    ])
      expect((await browser.get(url)).response.headers.location, url).toBe(
        `/assessments/${id}/results`,
      );
    await browser.get('/home');
    const before = await answersIn(id);
    const late = await browser.post(`/assessments/${id}/areas/${area}`, {
      [`answer-${shown[0] ?? ''}`]: '0',
    });
    expect(late.response.statusCode).toBe(409);
    expect((await browser.post(`/assessments/${id}/submit`, {})).response.statusCode).toBe(409);
    expect(await answersIn(id)).toEqual(before);
  });

  it('starts a reassessment from the previous answers as a quick review', async () => {
    const { browser, personId, id } = await started('focused');
    await answerAll(personId, id, '1');
    await app.services.assessments.submit(personId, id);
    const mode = await browser.get('/assessments/new/mode');
    expect(mode.$('input[name="fromPrevious"]').is(':checked')).toBe(true);
    const start = await browser.post('/assessments', { mode: 'focused', fromPrevious: 'yes' });
    const next = await app.services.assessments.getInProgress(personId);
    expect(next?.basedOnAssessmentId).toBe(id);
    expect(start.response.headers.location).toBe(
      `/assessments/${next?.id ?? ''}/check-answers?from=previous`,
    );
    expect(await answersIn(next?.id ?? '')).toEqual(await answersIn(id));
    // On arrival, check answers says the answers were copied and asks for a review.
    const arrived = await browser.get(start.response.headers.location ?? '');
    expect(textOf(arrived.$, '.app-notice')).toContain(
      'We have copied in your answers from your last self-assessment',
    );
    expect(textOf(arrived.$, '.app-notice')).toContain('Review them');
    // Only on arrival.
    const later = await browser.get(`/assessments/${next?.id ?? ''}/check-answers`);
    expect(later.$('.app-notice')).toHaveLength(0);
  });

  it('asks a few more questions when a change from check answers reopens an area', async () => {
    const { browser, personId, id } = await started('focused');
    await answerAll(personId, id, '3');
    const ws = await app.services.assessments.workspace(personId, id);
    // An area whose answers, all lowered to "I can't do this yet", leave it unsettled.
    const reopenable = ws.pool.areas.find((area) => {
      const lowered = new Map(ws.answers);
      for (const s of area.statementIds) if (lowered.has(s)) lowered.set(s, 0);
      const plan = planAssessment(ws.pool, 'focused', lowered, null);
      return plan.areas.find((a) => a.areaCode === area.areaCode)?.status !== 'done';
    });
    if (!reopenable) throw new Error('no area reopens when its answers are lowered');
    const area = reopenable.areaCode;
    const areaUrl = `/assessments/${id}/areas/${area}`;

    const review = await browser.get(`${areaUrl}?from=check-answers`);
    const shown = shownOn(review.$);
    expect(shown.length).toBeGreaterThan(0);
    const changed = await browser.post(areaUrl, {
      shown,
      from: 'check-answers',
      ...Object.fromEntries(shown.map((s) => [`answer-${s}`, '0'])),
    });
    expect(changed.response.statusCode).toBe(303);
    expect(changed.response.headers.location).toBe(`${areaUrl}?from=check-answers&reopened=1`);

    // The area page asks new statements, says why, and keeps the way back to check answers.
    const more = await browser.get(changed.response.headers.location ?? '');
    expect(more.response.statusCode).toBe(200);
    expect(textOf(more.$, '.app-notice')).toContain(
      'Your change means we need to ask you a few more questions in this area',
    );
    const asked = shownOn(more.$);
    expect(asked.length).toBeGreaterThan(0);
    const before = await app.services.assessments.workspace(personId, id);
    expect(asked.every((s) => !before.answers.has(s))).toBe(true);
    expect(more.$('input[name="from"]').attr('value')).toBe('check-answers');
    expect(more.$('.nhsuk-back-link').attr('href')).toBe(`/assessments/${id}/check-answers`);

    // Answering until the area settles returns to check answers, and submit is accepted.
    let location = changed.response.headers.location ?? '';
    for (let guard = 0; location.startsWith(areaUrl) && guard < 20; guard += 1) {
      const page = await browser.get(location);
      const ids = shownOn(page.$);
      const sent = await browser.post(areaUrl, {
        shown: ids,
        from: 'check-answers',
        ...Object.fromEntries(ids.map((s) => [`answer-${s}`, '0'])),
      });
      expect(sent.response.statusCode).toBe(303);
      location = sent.response.headers.location ?? '';
    }
    expect(location).toBe(`/assessments/${id}/check-answers`);
    const check = await browser.get(location);
    expect(check.$('.app-notice')).toHaveLength(0);
    const submitted = await browser.post(`/assessments/${id}/submit`, {});
    expect(submitted.response.headers.location).toBe(`/assessments/${id}/results`);
  });
});

describe('CSRF', () => {
  it('rejects every POST without the form token', async () => {
    const { browser, personId, id } = await started();
    const area = (await usersPool()).areas[0]?.areaCode ?? '';
    for (const url of [
      '/assessments/new',
      '/assessments/new/archetypes',
      '/assessments/new/help-me-choose',
      '/assessments',
      `/assessments/${id}/areas/${area}`,
      `/assessments/${id}/answers`,
      `/assessments/${id}/submit`,
      `/assessments/${id}/start-again`,
    ]) {
      const { response } = await browser.post(url, { archetypeCodes: 'U', mode: 'full' }, '');
      expect(response.statusCode, url).toBe(403);
    }
    expect((await app.services.assessments.getForOwner(personId, id)).status).toBe('in_progress');
  });
});

describe('starting again', () => {
  it('links to it from the home page and the task list, and confirms before deleting', async () => {
    const { browser, personId, id } = await started('focused');
    const earlier = await app.services.assessments.workspace(personId, id);
    const area = earlier.plan.areas[0]?.areaCode ?? '';
    await browser.post(`/assessments/${id}/areas/${area}`, {
      shown: earlier.pool.areas[0]?.statementIds.slice(0, 1) ?? [],
      [`answer-${earlier.pool.areas[0]?.statementIds[0] ?? ''}`]: '1',
      action: 'later',
    });
    const href = `/assessments/${id}/start-again`;
    const home = await browser.get('/home');
    expect(home.$(`main a[href="${href}"]`).text()).toBe('Start again');
    const taskList = await browser.get(`/assessments/${id}`);
    expect(taskList.$(`main a[href="${href}"]`).text()).toBe('Start again');

    const confirm = await browser.get(href);
    expect(confirm.response.statusCode).toBe(200);
    expect(textOf(confirm.$, 'h1')).toBe('Start your self-assessment again?');
    expect(textOf(confirm.$, 'main')).toContain(
      'Your answers in this assessment will be deleted; your submitted assessments are kept.',
    );
    expect(confirm.$('form').attr('action')).toBe(href);
    expect(confirm.$('a:contains("No, keep my answers")').attr('href')).toBe(`/assessments/${id}`);
    expect(await answersIn(id)).toHaveLength(1);

    const done = await browser.post(href, {});
    expect(done.response.statusCode).toBe(303);
    expect(done.response.headers.location).toBe('/assessments/new');
    expect(await app.services.assessments.getInProgress(personId)).toBeUndefined();
    expect(await answersIn(id)).toEqual([]);
    expect((await browser.get(`/assessments/${id}`)).response.statusCode).toBe(404);
    expect((await browser.get('/assessments/new')).response.statusCode).toBe(200);
    // Twice (a second tab): the assessment is gone.
    expect((await browser.post(href, {})).response.statusCode).toBe(404);

    // A new one can be started with another mode.
    const start = await browser.post('/assessments', { mode: 'full' });
    expect(start.response.statusCode).toBe(303);
    const next = await app.services.assessments.getInProgress(personId);
    expect(next?.mode).toBe('full');
    expect(next?.id).not.toBe(id);
  });

  it("lets nobody start someone else's assessment again, and refuses a submitted one", async () => {
    const owner = await started('focused');
    const other = await person();
    const href = `/assessments/${owner.id}/start-again`;
    expect((await other.browser.get(href)).response.statusCode).toBe(404);
    await other.browser.get('/home');
    expect((await other.browser.post(href, {})).response.statusCode).toBe(404);
    expect((await app.services.assessments.getInProgress(owner.personId))?.id).toBe(owner.id);

    await answerAll(owner.personId, owner.id);
    await app.services.assessments.submit(owner.personId, owner.id);
    const answers = await answersIn(owner.id);
    const page = await owner.browser.get(href);
    expect(page.response.headers.location).toBe(`/assessments/${owner.id}/results`);
    await owner.browser.get('/home');
    const refused = await owner.browser.post(href, {});
    expect(refused.response.statusCode).toBe(409);
    expect((await app.services.assessments.getForOwner(owner.personId, owner.id)).status).toBe(
      'submitted',
    );
    expect(await answersIn(owner.id)).toEqual(answers);
  });

  it('says so on the archetypes step when the assessment in progress has other archetypes', async () => {
    const { browser, personId, id } = await started('focused', ['U']);
    const same = await browser.get('/assessments/new/archetypes');
    expect(same.$('#in-progress')).toHaveLength(0);

    // Choosing other archetypes keeps the person on the step, which now explains.
    const changed = await browser.post('/assessments/new/archetypes', {
      archetypeCodes: ['E', 'U'],
    });
    expect(changed.response.headers.location).toBe('/assessments/new/archetypes');
    const step = await browser.get('/assessments/new/archetypes');
    expect(textOf(step.$, '#in-progress')).toContain(
      'You have a self-assessment in progress. It was started for these archetypes: Users.',
    );
    expect(step.$(`#in-progress a[href="/assessments/${id}/start-again"]`)).toHaveLength(1);
    expect(step.$('#in-progress a:contains("continue your self-assessment")').attr('href')).toMatch(
      new RegExp(`^/assessments/${id}/`),
    );
    // The other start steps no longer continue the old assessment without a word.
    for (const url of ['/assessments/new', '/assessments/new/mode'])
      expect((await browser.get(url)).response.headers.location, url).toBe(
        '/assessments/new/archetypes',
      );
    await browser.get('/assessments/new/archetypes');
    const start = await browser.post('/assessments', { mode: 'focused' });
    expect(start.response.headers.location).toBe('/assessments/new/archetypes');
    expect((await app.services.assessments.getInProgress(personId))?.archetypeCodes).toEqual(['U']);

    // Starting again, then starting, uses the new archetypes.
    await browser.get(`/assessments/${id}/start-again`);
    await browser.post(`/assessments/${id}/start-again`, {});
    await browser.get('/assessments/new/mode');
    await browser.post('/assessments', { mode: 'focused' });
    expect((await app.services.assessments.getInProgress(personId))?.archetypeCodes).toEqual([
      'E',
      'U',
    ]);
  });
});
