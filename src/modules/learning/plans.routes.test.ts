/**
 * The development plan pages through the real app (PGlite and PostgreSQL): every form, its
 * errors (422, an error summary linking to the field, "Error: " in the title, and what was typed
 * still there), POST-redirect-GET, CSRF, "not found" for anyone but the owner, and the journey
 * from a gap to learning marked done with a reflection.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmittedAssessment, resultsFromModel } from '../../../test/support/assessments.js';
import { Browser, signedInBrowser } from '../../../test/support/browser.js';
import { textOf } from '../../../test/support/html.js';
import { makeOrganisationWithAdmin } from '../../../test/support/organisations.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { DEFAULT_FRAMEWORK_SLUG } from '../framework/index.js';
import { addMonths, dateParts, todayIn } from './plans.dates.js';
import { countRows, makeResource } from './plans.fixtures.js';

type Person = Awaited<ReturnType<typeof signedInBrowser>>;
type Page = Awaited<ReturnType<Browser['get']>>;

let app: FastifyInstance;
let priya: Person;
let sam: Person;
let assessmentId: string;
let resourceId: string;
let resourceTitle: string;

beforeAll(async () => {
  app = await buildTestApp();
  priya = await signedInBrowser(app, { email: 'priya@plans.example.org', displayName: 'Priya' });
  sam = await signedInBrowser(app, { email: 'sam@plans.example.org', displayName: 'Sam' });
  assessmentId = (await makeSubmittedAssessment(app.services, priya.personId, { defaultLevel: 1 }))
    .id;
  const resource = await makeResource(app.services.database, {
    title: 'Data basics for clinicians',
    areaCodes: ['2.1'],
  });
  resourceId = resource.id;
  resourceTitle = resource.title;
}, 120_000);
afterAll(async () => {
  await app.close();
});

const today = () => todayIn(new Date());
const dateFields = (iso: string) => {
  const p = dateParts(iso);
  return { 'targetDate-day': p.day, 'targetDate-month': p.month, 'targetDate-year': p.year };
};
const summaryLinks = ({ $ }: Page) =>
  $('.nhsuk-error-summary a')
    .map((_i, a) => [[$(a).attr('href'), $(a).text().trim()]])
    .get() as [string, string][];
const location = (r: Page) => String(r.response.headers.location);
const goalIdFrom = (href: string) => /\/plan\/goals\/([0-9a-f-]{36})/.exec(href)?.[1] ?? '';

/** Priya makes a goal for an area through the form; its id. */
async function makeGoal(areaCode = '2.1', browser = priya.browser): Promise<string> {
  await browser.get(`/plan/goals/new?area=${areaCode}`);
  const made = await browser.post('/plan/goals/new', {
    areaCode,
    targetLevel: '2',
    ...dateFields(addMonths(today(), 2)),
    notes: '',
    from: '',
    resource: '',
  });
  expect(made.response.statusCode).toBe(303);
  return goalIdFrom(location(made));
}

describe('the plan page', () => {
  it('sends someone not signed in to sign in', async () => {
    const anonymous = new Browser(app);
    const { response } = await anonymous.get('/plan');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Fplan');
  });

  it('shows the gaps in the latest results, each with a way to make it a goal', async () => {
    const page = await sam.browser.get('/plan');
    expect(page.response.statusCode).toBe(200);
    expect(textOf(page.$, 'h1')).toBe('My development plan');
    expect(page.$('#gaps').length).toBe(0);
    expect(page.$('.nhsuk-header a[href="/plan"]').text()).toContain('My plan');

    const { $ } = await priya.browser.get('/plan');
    const links = $('.app-plan-gaps a')
      .map((_i, a) => $(a).attr('href'))
      .get();
    expect(links[0]).toMatch(new RegExp(`^/plan/goals/new\\?area=[0-9.]+&from=${assessmentId}$`));
    expect(links).toContain(`/plan/goals/new?area=2.1&from=${assessmentId}`);
    expect(textOf($, '.app-plan-gaps')).toContain(
      'Your self-assessed level: level 1. Target for your role: level 2.',
    );
  });

  it('leaves out areas answered wholly "not relevant to my role", and says "below level 1"', async () => {
    const lee = await signedInBrowser(app, { email: 'lee@plans.example.org', displayName: 'Lee' });
    const model = await app.services.frameworks.getFramework(DEFAULT_FRAMEWORK_SLUG);
    const results = resultsFromModel(model, { levels: { '2.1': 0, '2.2': 0 }, defaultLevel: 2 });
    // 2.1: below level 1 because everything answered was "not yet"; 2.2: all "not relevant".
    results.areas = results.areas.map((a) =>
      a.areaCode === '2.2' ? { ...a, answered: 0, notRelevant: a.poolSize } : a,
    );
    expect(results.gaps).toEqual(expect.arrayContaining(['2.1', '2.2']));
    await makeSubmittedAssessment(app.services, lee.personId, { results });
    const { $ } = await lee.browser.get('/plan');
    const links = $('.app-plan-gaps a')
      .map((_i, a) => $(a).attr('href'))
      .get();
    expect(links.some((href) => href.includes('area=2.1&'))).toBe(true);
    expect(links.some((href) => href.includes('area=2.2&'))).toBe(false);
    expect(textOf($, '.app-plan-gaps')).toContain('Your self-assessed level: below level 1.');
  });
});

describe('adding a goal', () => {
  it('prefills the form from a gap', async () => {
    const { response, $ } = await priya.browser.get(
      `/plan/goals/new?area=2.1&from=${assessmentId}`,
    );
    expect(response.statusCode).toBe(200);
    expect($('#areaCode option[selected]').attr('value')).toBe('2.1');
    expect($('input[name="targetLevel"][checked]').attr('value')).toBe('2');
    const p = dateParts(addMonths(today(), 3));
    expect($('#targetDate-day').val()).toBe(p.day);
    expect($('#targetDate-month').val()).toBe(p.month);
    expect($('#targetDate-year').val()).toBe(p.year);
    expect($('input[name="from"]').val()).toBe(assessmentId);
    expect($('.nhsuk-inset-text').text()).toMatch(
      /you were at level 1 .* target for your role is level 2/,
    );
  });

  it('refuses someone else’s results as the source', async () => {
    const { response } = await sam.browser.get(`/plan/goals/new?area=2.1&from=${assessmentId}`);
    expect(response.statusCode).toBe(404);
  });

  it('shows every problem with a summary, keeping what was typed', async () => {
    await priya.browser.get('/plan/goals/new');
    const page = await priya.browser.post('/plan/goals/new', {
      areaCode: '',
      targetLevel: '',
      'targetDate-day': '31',
      'targetDate-month': '2',
      'targetDate-year': '2030',
      notes: 'My careful notes\nover two lines',
      from: '',
      resource: '',
    });
    expect(page.response.statusCode).toBe(422);
    expect(page.$('title').text()).toMatch(/^Error: Add a goal to your plan/);
    expect(summaryLinks(page)).toEqual([
      ['#areaCode', 'Select an area'],
      ['#targetLevel', 'Select the level you want to reach'],
      ['#targetDate-day', 'Target date must be a real date'],
    ]);
    expect(page.$('#targetDate-day').val()).toBe('31');
    expect(page.$('#targetDate-day').hasClass('nhsuk-input--error')).toBe(true);
    expect(page.$('#notes').text()).toBe('My careful notes\nover two lines');
    expect(await countRows(app.services.database, 'plan_goals')).toBe(0);
  });

  it('refuses a form without its CSRF token', async () => {
    const { response } = await priya.browser.post(
      '/plan/goals/new',
      { areaCode: '2.1', targetLevel: '2', ...dateFields(addMonths(today(), 1)) },
      'made-up',
    );
    expect(response.statusCode).toBe(403);
    expect(await countRows(app.services.database, 'plan_goals')).toBe(0);
  });

  it('saves the goal and shows it', async () => {
    await priya.browser.get(`/plan/goals/new?area=2.1&from=${assessmentId}`);
    const made = await priya.browser.post('/plan/goals/new', {
      areaCode: '2.1',
      targetLevel: '2',
      ...dateFields(addMonths(today(), 3)),
      notes: 'Start with the basics',
      from: assessmentId,
      resource: '',
    });
    expect(made.response.statusCode).toBe(303);
    expect(location(made)).toMatch(/^\/plan\/goals\/[0-9a-f-]{36}\?done=created$/);
    const { $ } = await priya.browser.get(location(made));
    expect(textOf($, '.app-notice')).toMatch(/Your goal has been added to your plan\.$/);
    expect(textOf($, '.nhsuk-summary-list')).toContain('Start with the basics');
    expect(textOf($, '.nhsuk-summary-list')).toMatch(/Reach level 2 \(Informed use\) by/);
    const plan = await priya.browser.get('/plan');
    expect(plan.$('#not-started').length).toBe(1);
    expect(plan.$('.app-plan-goal h3').text()).toContain(textOf($, 'h1').replace(/^.* – /, ''));
  });
});

describe('a goal’s learning', () => {
  let goalId: string;
  const goalUrl = () => `/plan/goals/${goalId}`;

  beforeAll(async () => {
    goalId = await makeGoal('2.1');
  });

  it('offers the area’s learning, and asks which to add', async () => {
    const page = await priya.browser.get(goalUrl());
    expect(
      page
        .$('#resourceId option')
        .map((_i, o) => page.$(o).attr('value'))
        .get(),
    ).toContain(resourceId);
    const empty = await priya.browser.post(`${goalUrl()}/resources`, { resourceId: '' });
    expect(empty.response.statusCode).toBe(422);
    expect(empty.$('title').text()).toMatch(/^Error: /);
    expect(summaryLinks(empty)).toEqual([
      ['#resourceId', 'Select the learning you want to add to this goal'],
    ]);
    const unknown = await priya.browser.post(`${goalUrl()}/resources`, {
      resourceId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.response.statusCode).toBe(422);
    expect(summaryLinks(unknown)[0]?.[1]).toBe('Select the learning you want to add from the list');
  });

  it('searches the catalogue', async () => {
    const { $ } = await priya.browser.get(`${goalUrl()}?q=clinicians`);
    expect($('#q').val()).toBe('clinicians');
    expect(
      $('#resourceId option')
        .map((_i, o) => $(o).text())
        .get()
        .join('\n'),
    ).toContain(resourceTitle);
    // Every word, anywhere, in any order (as the catalogue's search).
    const words = await priya.browser.get(
      `${goalUrl()}?q=${encodeURIComponent('clinicians DATA')}`,
    );
    expect(words.$('#resourceId option').text()).toContain(resourceTitle);
    expect(words.$('#more-candidates')).toHaveLength(0);
    const none = await priya.browser.get(`${goalUrl()}?q=zzzz-nothing`);
    expect(none.$('#resourceId').length).toBe(0);
    expect(textOf(none.$, '#no-candidates')).toMatch(/No learning .* matches “zzzz-nothing”/);
  });

  it('adds learning and tracks its status', async () => {
    await priya.browser.get(goalUrl());
    const added = await priya.browser.post(`${goalUrl()}/resources`, { resourceId });
    expect(added.response.statusCode).toBe(303);
    expect(location(added)).toBe(`${goalUrl()}?done=added#learning`);
    const again = await priya.browser.post(`${goalUrl()}/resources`, { resourceId });
    expect(location(again)).toBe(`${goalUrl()}?done=already#learning`);

    const page = await priya.browser.get(goalUrl());
    const item = page.$(`#resource-${resourceId}`);
    expect(item.find('h3').text().trim()).toBe(resourceTitle);
    expect(item.find('.nhsuk-tag').first().text().trim()).toBe('Not started');

    const started = await priya.browser.post(`${goalUrl()}/resources/${resourceId}/status`, {
      status: 'in_progress',
    });
    expect(started.response.statusCode).toBe(303);
    const after = await priya.browser.get(goalUrl());
    expect(after.$(`#resource-${resourceId} .nhsuk-tag`).first().text().trim()).toBe('In progress');
    // The goal itself is now in progress.
    expect(textOf(after.$, '.nhsuk-summary-list')).toContain('In progress');

    const bad = await priya.browser.post(`${goalUrl()}/resources/${resourceId}/status`, {
      status: 'finished',
    });
    expect(bad.response.statusCode).toBe(422);
    expect(summaryLinks(bad)).toEqual([
      [`#status-${resourceId}`, 'Select a status for this learning'],
    ]);
    expect(bad.$(`#status-${resourceId}`).length).toBe(1);
  });

  it('asks for a reflection before marking it done', async () => {
    await priya.browser.get(goalUrl());
    const chosen = await priya.browser.post(`${goalUrl()}/resources/${resourceId}/status`, {
      status: 'done',
    });
    expect(location(chosen)).toBe(`${goalUrl()}/resources/${resourceId}/done`);
    const form = await priya.browser.get(location(chosen));
    expect(form.response.statusCode).toBe(200);
    expect(textOf(form.$, 'h1')).toContain(`Mark as done: ${resourceTitle}`);
    expect(form.$('label[for="learned"]').text().trim()).toBe('What did you learn?');
    expect(form.$('label[for="use"]').text().trim()).toBe('How will you use it?');
    // A character count (counting down with JavaScript), never an HTML maxlength that would cut
    // a pasted reflection off without a word.
    for (const field of ['learned', 'use']) {
      const counter = form.$(`#${field}`).closest('[data-module="nhsuk-character-count"]');
      expect(counter.attr('data-maxlength')).toBe('2000');
      expect(form.$(`#${field}`).attr('maxlength')).toBeUndefined();
      expect(textOf(form.$, `#${field}-info`)).toBe('You can enter up to 2,000 characters');
    }

    const empty = await priya.browser.post(`${goalUrl()}/resources/${resourceId}/done`, {
      learned: '',
      use: '  ',
    });
    expect(empty.response.statusCode).toBe(422);
    expect(empty.$('title').text()).toMatch(/^Error: Mark as done/);
    expect(summaryLinks(empty)).toEqual([
      ['#learned', 'Enter what you learned'],
      ['#use', 'Enter how you will use it'],
    ]);

    const long = 'l'.repeat(2001);
    const tooLong = await priya.browser.post(`${goalUrl()}/resources/${resourceId}/done`, {
      learned: long,
      use: 'Share it at handover',
    });
    expect(tooLong.response.statusCode).toBe(422);
    expect(summaryLinks(tooLong)).toEqual([
      ['#learned', 'What you learned must be 2,000 characters or fewer (you have 2,001)'],
    ]);
    expect(tooLong.$('#learned').text()).toBe(long);
    expect(tooLong.$('#use').text()).toBe('Share it at handover');
    expect(await countRows(app.services.database, 'evidence')).toBe(0);

    const done = await priya.browser.post(`${goalUrl()}/resources/${resourceId}/done`, {
      learned: 'How our data flows',
      use: 'Share it at handover',
    });
    expect(done.response.statusCode).toBe(303);
    expect(location(done)).toBe(`${goalUrl()}?done=completed#learning`);
    const page = await priya.browser.get(location(done));
    expect(textOf(page.$, '.app-notice')).toMatch(/Marked as done\. Your reflection/);
    const item = page.$(`#resource-${resourceId}`);
    expect(item.find('.nhsuk-tag').first().text().trim()).toBe('Done');
    expect(item.find('details').text()).toContain('How our data flows');
    expect(item.find('form').length).toBe(0);
    expect(await countRows(app.services.database, 'evidence')).toBe(1);

    // Back to the form (another tab): it goes to the goal, and a second submit writes nothing.
    const back = await priya.browser.get(`${goalUrl()}/resources/${resourceId}/done`);
    expect(location(back)).toBe(goalUrl());
    await priya.browser.get(goalUrl());
    const twice = await priya.browser.post(`${goalUrl()}/resources/${resourceId}/done`, {
      learned: 'Again',
      use: 'Again',
    });
    expect(location(twice)).toBe(goalUrl());
    expect(await countRows(app.services.database, 'evidence')).toBe(1);
  });

  it('takes learning not yet done off the goal', async () => {
    const other = await makeResource(app.services.database, { areaCodes: ['2.1'] });
    await priya.browser.get(goalUrl());
    await priya.browser.post(`${goalUrl()}/resources`, { resourceId: other.id });
    const off = await priya.browser.post(`${goalUrl()}/resources/${other.id}/remove`, {});
    expect(location(off)).toBe(`${goalUrl()}?done=taken-off#learning`);
    const { $ } = await priya.browser.get(goalUrl());
    expect($(`#resource-${other.id}`).length).toBe(0);
  });
});

describe('changing and removing a goal', () => {
  it('shows the goal in the form, refuses mistakes keeping what was typed, and saves', async () => {
    const goalId = await makeGoal('6.2');
    const form = await priya.browser.get(`/plan/goals/${goalId}/edit`);
    expect(form.$('input[name="status"][checked]').attr('value')).toBe('not_started');
    expect(form.$('input[name="targetLevel"][checked]').attr('value')).toBe('2');

    const bad = await priya.browser.post(`/plan/goals/${goalId}/edit`, {
      status: 'in_progress',
      targetLevel: '3',
      'targetDate-day': '1',
      'targetDate-month': '1',
      'targetDate-year': '2020',
      notes: 'Halfway there',
    });
    expect(bad.response.statusCode).toBe(422);
    expect(summaryLinks(bad)).toEqual([
      ['#targetDate-day', 'Target date must be today or in the future'],
    ]);
    expect(bad.$('input[name="status"][checked]').attr('value')).toBe('in_progress');
    expect(bad.$('input[name="targetLevel"][checked]').attr('value')).toBe('3');
    expect(bad.$('#targetDate-year').val()).toBe('2020');
    expect(bad.$('#notes').text()).toBe('Halfway there');

    const saved = await priya.browser.post(`/plan/goals/${goalId}/edit`, {
      status: 'done',
      targetLevel: '3',
      ...dateFields(addMonths(today(), 1)),
      notes: 'Halfway there',
    });
    expect(location(saved)).toBe(`/plan/goals/${goalId}?done=updated`);
    const { $ } = await priya.browser.get(`/plan/goals/${goalId}`);
    expect(textOf($, '.nhsuk-summary-list')).toMatch(/Reach level 3 .*Done.*Halfway there/);
    const plan = await priya.browser.get('/plan');
    expect(plan.$(`#goal-${goalId}`).closest('ul').attr('aria-labelledby')).toBe('done');
  });

  it('asks before removing a goal, then removes it', async () => {
    const goalId = await makeGoal('3.1');
    const confirm = await priya.browser.get(`/plan/goals/${goalId}/remove`);
    expect(textOf(confirm.$, 'h1')).toMatch(/^Remove your goal for .*\?$/);
    const removed = await priya.browser.post(`/plan/goals/${goalId}/remove`, {});
    expect(location(removed)).toBe('/plan?done=removed');
    expect((await priya.browser.get(`/plan/goals/${goalId}`)).response.statusCode).toBe(404);
  });
});

describe('nobody else', () => {
  it('finds any of another person’s goal pages, or changes anything', async () => {
    const goalId = await makeGoal('5.1.1');
    await priya.browser.get(`/plan/goals/${goalId}`);
    await priya.browser.post(`/plan/goals/${goalId}/resources`, { resourceId });
    for (const url of [
      `/plan/goals/${goalId}`,
      `/plan/goals/${goalId}/edit`,
      `/plan/goals/${goalId}/remove`,
      `/plan/goals/${goalId}/resources/${resourceId}/done`,
      '/plan/goals/not-a-goal',
    ])
      expect((await sam.browser.get(url)).response.statusCode).toBe(404);
    await sam.browser.get('/plan');
    for (const [url, fields] of [
      [`/plan/goals/${goalId}/edit`, { status: 'done', targetLevel: '4', ...dateFields(today()) }],
      [`/plan/goals/${goalId}/remove`, {}],
      [`/plan/goals/${goalId}/resources`, { resourceId }],
      [`/plan/goals/${goalId}/resources/${resourceId}/status`, { status: 'in_progress' }],
      [`/plan/goals/${goalId}/resources/${resourceId}/done`, { learned: 'x', use: 'y' }],
      [`/plan/goals/${goalId}/resources/${resourceId}/remove`, {}],
    ] as const)
      expect((await sam.browser.post(url, fields)).response.statusCode).toBe(404);
    const { $ } = await priya.browser.get(`/plan/goals/${goalId}`);
    expect(textOf($, '.nhsuk-summary-list')).toContain('Not started');
    expect($(`#resource-${resourceId} .nhsuk-tag`).first().text().trim()).toBe('Not started');
  });
});

describe('“Add to my plan” from the catalogue', () => {
  it('asks which goal, or makes a new goal for one of the resource’s areas with it', async () => {
    const resource = await makeResource(app.services.database, {
      title: 'Virtual wards explained',
      areaCodes: ['4.1.1'],
    });
    const goalId = await makeGoal('4.1.1');
    const page = await priya.browser.get(`/plan/add-resource?resource=${resource.id}`);
    expect(page.response.statusCode).toBe(200);
    expect(textOf(page.$, '.nhsuk-card h2')).toBe('Virtual wards explained');
    const values = page
      .$('input[name="goal"]')
      .map((_i, i) => page.$(i).attr('value'))
      .get();
    expect(values[0]).toBe(goalId);
    expect(values).toContain('new:4.1.1');

    const none = await priya.browser.post('/plan/add-resource', { resource: resource.id });
    expect(none.response.statusCode).toBe(422);
    expect(summaryLinks(none)).toEqual([['#goal', 'Select a goal to add this learning to']]);

    const added = await priya.browser.post('/plan/add-resource', {
      resource: resource.id,
      goal: goalId,
    });
    expect(location(added)).toBe(`/plan/goals/${goalId}?done=added#learning`);

    await priya.browser.get(`/plan/add-resource?resource=${resource.id}`);
    const fresh = await priya.browser.post('/plan/add-resource', {
      resource: resource.id,
      goal: 'new:4.1.1',
    });
    expect(location(fresh)).toBe(`/plan/goals/new?area=4.1.1&resource=${resource.id}`);
    const form = await priya.browser.get(location(fresh));
    expect(form.$('input[name="resource"]').val()).toBe(resource.id);
    expect(form.$('main').text()).toContain('“Virtual wards explained” will be added to it');
    const made = await priya.browser.post('/plan/goals/new', {
      areaCode: '4.1.1',
      targetLevel: '3',
      ...dateFields(addMonths(today(), 6)),
      notes: '',
      from: '',
      resource: resource.id,
    });
    const newGoal = await priya.browser.get(location(made));
    expect(newGoal.$(`#resource-${resource.id}`).length).toBe(1);
  });

  it('does not let anyone add another organisation’s resource', async () => {
    const { organisation } = await makeOrganisationWithAdmin(app.services);
    const theirs = await makeResource(app.services.database, { organisationId: organisation.id });
    expect(
      (await priya.browser.get(`/plan/add-resource?resource=${theirs.id}`)).response.statusCode,
    ).toBe(404);
  });
});

describe('download my data', () => {
  it('includes the plan', async () => {
    const download = await priya.browser.get('/account/download');
    const data = JSON.parse(download.response.body) as {
      developmentPlan: { goals: { areaCode: string; resources: { title: string }[] }[] };
    };
    expect(data.developmentPlan.goals.length).toBeGreaterThan(0);
    expect(data.developmentPlan.goals.flatMap((g) => g.resources.map((r) => r.title))).toContain(
      resourceTitle,
    );
  });
});
