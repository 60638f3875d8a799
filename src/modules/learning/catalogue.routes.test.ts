/**
 * Catalogue pages through the real app (PGlite and PostgreSQL), which loads the bundled starter
 * catalogue: browse and filter, one resource, adding and changing through forms (errors → 422),
 * retiring, CSV import (multipart, CSRF-checked) and export, and who gets 403 or 404.
 */
import type { CheerioAPI } from 'cheerio';
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, postMultipart, signedInBrowser } from '../../../test/support/browser.js';
import { textOf } from '../../../test/support/html.js';
import { makeOrganisationWithAdmin } from '../../../test/support/organisations.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { peopleRepository } from '../accounts/people.repository.js';
import { BUNDLED_COLUMNS, CATALOGUE_COLUMNS } from './catalogue.csv.js';

let app: FastifyInstance;
let orgId: string;
let orgName: string;
let educator: Awaited<ReturnType<typeof signedInBrowser>>;
let member: Awaited<ReturnType<typeof signedInBrowser>>;
let outsider: Awaited<ReturnType<typeof signedInBrowser>>;
let platformAdmin: Awaited<ReturnType<typeof signedInBrowser>>;
let people = 0;

async function signedIn(name: string) {
  people += 1;
  return signedInBrowser(app, {
    email: `catalogue-${String(people)}@example.org`,
    displayName: name,
  });
}

beforeAll(async () => {
  app = await buildTestApp();
  const made = await makeOrganisationWithAdmin(app.services, { name: 'Northshire NHS Trust' });
  orgId = made.organisation.id;
  orgName = made.organisation.name;
  const other = await makeOrganisationWithAdmin(app.services, { name: 'Southshire Trust' });
  educator = await signedIn('Eve Educator');
  member = await signedIn('Mo Member');
  outsider = await signedIn('Oz Outsider');
  platformAdmin = await signedIn('Pat Platform');
  await peopleRepository.setPlatformAdmin(
    app.services.database.db,
    platformAdmin.personId,
    true,
    new Date(),
  );
  const join = (organisationId: string, personId: string, roles: ('member' | 'educator')[]) =>
    app.services.organisations.addMembership({ organisationId, personId, unitId: null, roles });
  await join(orgId, educator.personId, ['educator']);
  await join(orgId, member.personId, ['member']);
  await join(other.organisation.id, outsider.personId, ['educator']);
});
afterAll(async () => {
  await app.close();
});

const anonymous = () => new Browser(app);
/** The titles of the results on a browse page, without their visually hidden text. */
const resultTitles = ($: CheerioAPI) =>
  $('.app-resource h3 a')
    .map((_, a) => $(a).contents().first().text().trim())
    .get();

/** A complete add form for a resource (fields as the form posts them). */
function resourceForm(overrides: Record<string, string | string[]> = {}) {
  return {
    organisation: orgId,
    slug: '',
    title: 'Northshire EPR basics',
    provider: 'Northshire NHS Trust',
    url: 'https://www.example.org/epr-basics',
    format: 'e-learning',
    durationMinutes: '40',
    cost: 'free',
    levels: ['1', '2'],
    areaCodes: ['2.1'],
    archetypeCodes: ['U', 'E'],
    summary: 'How to find and record information safely in our electronic patient record.',
    statementIds: '',
    'reviewDate[day]': '31',
    'reviewDate[month]': '3',
    'reviewDate[year]': '2027',
    curatedBy: '',
    ...overrides,
  };
}

describe('browsing the catalogue', () => {
  it('lists the starter catalogue for anyone, without starting a session', async () => {
    const { response, $ } = await anonymous().get('/learning/resources');
    expect(response.statusCode).toBe(200);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
    expect(textOf($, 'h1')).toBe('Learning resources');
    expect(textOf($, '#results-count')).toBe('117 resources in the catalogue');
    expect($('.app-resource')).toHaveLength(20);
    const first = $('.app-resource').first();
    const link = first.find('h3 a');
    expect(link.attr('href')).toMatch(/^https?:\/\//);
    expect(link.attr('rel')).toBe('noopener');
    expect(link.find('.nhsuk-u-visually-hidden').text()).toContain('opens the provider’s website');
    const keys = first
      .find('.nhsuk-summary-list__key')
      .map((_, k) => $(k).text().trim())
      .get();
    expect(keys).toEqual(
      expect.arrayContaining([
        'Provider',
        'Format',
        'Time it takes',
        'Cost',
        'Levels',
        'Review date',
        'Curated by',
      ]),
    );
    expect(first.find('.nhsuk-summary-list__value').last().text().trim()).toBe(
      'digicap starter catalogue',
    );
    expect($('.nhsuk-pagination a[href="/learning/resources?page=2"]')).toHaveLength(1);
    // The filter form is a GET form: it works without JavaScript.
    expect($('form[role="search"]').attr('method')).toBe('get');
    expect($('header a[href="/learning/resources"]').length).toBeGreaterThan(0);
  });

  it('filters by area, level, archetype, format, cost, duration and words, and keeps them on the next page', async () => {
    const api = await app.inject({ url: '/api/v1/resources?area=6.2&level=2&limit=1' });
    const expected = api.json<{ total: number }>().total;
    const { response, $ } = await anonymous().get('/learning/resources?area=6.2&level=2');
    expect(response.statusCode).toBe(200);
    expect(textOf($, '#results-count')).toBe(
      `${String(expected)} resources in Using and implementing AI systems, at level 2`,
    );
    expect($('input[name="area"][value="6.2"]').attr('checked')).toBeDefined();
    expect($('input[name="level"][value="2"]').attr('checked')).toBeDefined();
    expect(
      $('a[href="/learning/resources"]').filter((_, a) => $(a).text() === 'Clear filters'),
    ).toHaveLength(1);
    if (expected > 20)
      expect($('.nhsuk-pagination a').first().attr('href')).toBe(
        '/learning/resources?area=6.2&level=2&page=2',
      );

    const free = await anonymous().get('/learning/resources?cost=free&format=course');
    expect(free.$('.app-resource').length).toBeGreaterThan(0);
    free.$('.app-resource').each((_, r) => {
      const text = free.$(r).text();
      expect(text).toContain('Course');
      expect(text).toContain('Free');
    });

    const timed = await anonymous().get('/learning/resources?duration=60');
    expect(textOf(timed.$, '#results-count')).toMatch(/^\d+ resources? taking at most 1 hour$/);

    const words = await anonymous().get('/learning/resources?q=buyer%27s+guide');
    expect(resultTitles(words.$)).toContain("A Buyer's Guide to AI in Health and Care");
    expect(words.$('input[name="q"]').val()).toBe("buyer's guide");

    const none = await anonymous().get('/learning/resources?q=zzzzzz');
    expect(textOf(none.$, '#results-count')).toBe('0 resources matching “zzzzzz”');
    expect(none.$('.app-resource')).toHaveLength(0);
  });

  it('answers filters that are not valid with 400 and an error summary', async () => {
    const { response, $ } = await anonymous().get('/learning/resources?level=9&area=9.9');
    expect(response.statusCode).toBe(400);
    expect($('title').text()).toMatch(/^Error: /);
    expect(
      $('.nhsuk-error-summary a')
        .map((_, a) => $(a).attr('href'))
        .get(),
    ).toEqual(['#area', '#level']);
  });

  it('shows one resource to anyone, and 404 for ids that do not exist', async () => {
    const list = await anonymous().get('/learning/resources');
    const href =
      list
        .$('.app-resource a')
        .filter((_, a) => list.$(a).text().startsWith('More about'))
        .first()
        .attr('href') ?? '';
    const { response, $ } = await anonymous().get(href);
    expect(response.statusCode).toBe(200);
    expect($('#resource-link').attr('rel')).toBe('noopener');
    expect($('form[action$="/retire"]')).toHaveLength(0);
    // "Add to my plan" is for people signed in.
    expect($('#add-to-plan')).toHaveLength(0);
    const signedIn = await member.browser.get(href);
    const id = href.split('/').pop() ?? '';
    expect(signedIn.$('#add-to-plan').attr('href')).toBe(`/plan/add-resource?resource=${id}`);
    for (const url of [
      '/learning/resources/00000000-0000-0000-0000-000000000000',
      '/learning/resources/nope',
    ])
      expect((await anonymous().get(url)).response.statusCode).toBe(404);
  });
});

describe('adding and changing resources', () => {
  let resourceHref: string;

  it('sends people who are not signed in to sign in, and refuses people who manage nothing', async () => {
    const { response } = await anonymous().get('/learning/resources/new');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Flearning%2Fresources%2Fnew');
    expect((await member.browser.get('/learning/resources/new')).response.statusCode).toBe(403);
    expect((await member.browser.get('/learning/resources/import')).response.statusCode).toBe(403);
  });

  it("shows managers the manage links; the add form is fixed to an educator's one organisation", async () => {
    const list = await educator.browser.get('/learning/resources');
    expect(list.$('a[href="/learning/resources/new"]')).toHaveLength(1);
    expect(list.$(`a[href="/learning/resources/export.csv?organisation=${orgId}"]`)).toHaveLength(
      1,
    );
    expect(list.$('input[name="retired"]')).toHaveLength(1);
    const plain = await member.browser.get('/learning/resources');
    expect(plain.$('a[href="/learning/resources/new"]')).toHaveLength(0);
    expect(plain.$('input[name="retired"]')).toHaveLength(0);

    const { response, $ } = await educator.browser.get('/learning/resources/new');
    expect(response.statusCode).toBe(200);
    expect($('input[type="hidden"][name="organisation"]').val()).toBe(orgId);
    expect($('input[name="organisation"][type="radio"]')).toHaveLength(0);
    expect($('#curatedBy').val()).toBe(orgName);
    expect($('input[name="areaCodes"]')).toHaveLength(16);
  });

  it('re-shows the form with 422, an error summary and what was typed', async () => {
    await educator.browser.get('/learning/resources/new');
    const { response, $ } = await educator.browser.post(
      '/learning/resources/new',
      resourceForm({ title: '', url: 'javascript:alert(1)', levels: [], summary: 'x'.repeat(241) }),
    );
    expect(response.statusCode).toBe(422);
    expect($('title').text()).toMatch(/^Error: Add a learning resource/);
    expect(
      $('.nhsuk-error-summary a')
        .map((_, a) => $(a).attr('href'))
        .get(),
    ).toEqual(['#title', '#url', '#levels', '#summary']);
    expect($('#url').val()).toBe('javascript:alert(1)');
    expect($('#summary').text()).toHaveLength(241);
    expect($('input[name="areaCodes"][value="2.1"]').attr('checked')).toBeDefined();
  });

  it('checks the CSRF token', async () => {
    const { response } = await educator.browser.post(
      '/learning/resources/new',
      resourceForm(),
      'forged',
    );
    expect(response.statusCode).toBe(403);
  });

  it('lets an educator add an organisation resource that only its people see', async () => {
    await educator.browser.get('/learning/resources/new');
    const { response } = await educator.browser.post('/learning/resources/new', resourceForm());
    expect(response.statusCode).toBe(303);
    resourceHref = (response.headers.location ?? '').replace('?done=added', '');
    expect(response.headers.location).toMatch(/^\/learning\/resources\/[0-9a-f-]{36}\?done=added$/);
    const page = await educator.browser.get(response.headers.location ?? '');
    expect(textOf(page.$, '.app-notice')).toContain('The resource has been added.');
    const rows = Object.fromEntries(
      page
        .$('.nhsuk-summary-list__row')
        .map((_, r) => [
          [
            page.$(r).find('dt').text().trim(),
            page.$(r).find('dd').text().replace(/\s+/g, ' ').trim(),
          ],
        ])
        .get() as [string, string][],
    );
    expect(rows).toMatchObject({
      Provider: 'Northshire NHS Trust',
      Format: 'E-learning',
      'Time it takes': '40 minutes',
      Cost: 'Free',
      Levels: 'Level 1 and 2',
      Area: '2.1 Providing direct care with digital technologies',
      Suits: 'Embedders and Users',
      'Who can see it': `Only people in ${orgName}`,
      'Review date': '31 March 2027',
      'Curated by': orgName,
    });
    expect(page.$('form[action$="/retire"]')).toHaveLength(1);

    const mine = await member.browser.get('/learning/resources?q=Northshire+EPR');
    expect(resultTitles(mine.$)).toEqual(['Northshire EPR basics']);
    expect(mine.$('.app-resource .nhsuk-tag').text()).toContain(`Only for ${orgName}`);
    const theirs = await outsider.browser.get('/learning/resources?q=Northshire+EPR');
    expect(resultTitles(theirs.$)).toEqual([]);
    expect((await anonymous().get(resourceHref)).response.statusCode).toBe(404);
    expect((await outsider.browser.get(resourceHref)).response.statusCode).toBe(404);
    expect((await member.browser.get(resourceHref)).response.statusCode).toBe(200);
    // The public API never has an organisation's own resources.
    const api = await app.inject({ url: '/api/v1/resources?q=Northshire+EPR' });
    expect(api.json<{ total: number }>().total).toBe(0);
  });

  it('lets the educator change it; others may not', async () => {
    const form = await educator.browser.get(`${resourceHref}/edit`);
    expect(form.response.statusCode).toBe(200);
    expect(form.$('#title').val()).toBe('Northshire EPR basics');
    expect(form.$('#reviewDate-day').val()).toBe('31');
    const bad = await educator.browser.post(`${resourceHref}/edit`, resourceForm({ cost: '' }));
    expect(bad.response.statusCode).toBe(422);
    expect(bad.$('.nhsuk-error-summary a').attr('href')).toBe('#cost');
    const { response } = await educator.browser.post(
      `${resourceHref}/edit`,
      resourceForm({ title: 'Northshire EPR basics (2027)' }),
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${resourceHref}?done=saved`);
    expect(textOf((await member.browser.get(resourceHref)).$, 'h1')).toContain('(2027)');
    // "Curated by" can be changed, and left blank goes back to the organisation's name.
    const curatedBy = async () => {
      const { $ } = await member.browser.get(resourceHref);
      return textOf($, '.nhsuk-summary-list__row:contains("Curated by") dd');
    };
    const named = { title: 'Northshire EPR basics (2027)', curatedBy: 'Dr Lee, Digital Nursing' };
    await educator.browser.post(`${resourceHref}/edit`, resourceForm(named));
    expect(await curatedBy()).toBe('Dr Lee, Digital Nursing');
    await educator.browser.post(`${resourceHref}/edit`, resourceForm({ ...named, curatedBy: '' }));
    expect(await curatedBy()).toBe(orgName);

    expect((await member.browser.get(`${resourceHref}/edit`)).response.statusCode).toBe(403);
    await member.browser.get(resourceHref);
    expect(
      (await member.browser.post(`${resourceHref}/edit`, resourceForm())).response.statusCode,
    ).toBe(403);
    expect((await outsider.browser.get(`${resourceHref}/edit`)).response.statusCode).toBe(404);
    expect((await platformAdmin.browser.get(`${resourceHref}/edit`)).response.statusCode).toBe(404);
  });

  it('retires it: hidden from members, shown to the educator when asked, and brought back', async () => {
    await member.browser.get('/learning/resources');
    expect((await member.browser.post(`${resourceHref}/retire`, {})).response.statusCode).toBe(403);
    await educator.browser.get(resourceHref);
    const retired = await educator.browser.post(`${resourceHref}/retire`, {});
    expect(retired.response.statusCode).toBe(303);
    expect((await member.browser.get(resourceHref)).response.statusCode).toBe(404);
    const page = await educator.browser.get(resourceHref);
    expect(textOf(page.$, '#retired')).toContain('This resource has been retired');
    expect(page.$('#add-to-plan')).toHaveLength(0);
    const hidden = await educator.browser.get('/learning/resources?q=Northshire+EPR');
    expect(resultTitles(hidden.$)).toEqual([]);
    const shown = await educator.browser.get(
      '/learning/resources?q=Northshire+EPR&retired=include',
    );
    expect(resultTitles(shown.$)).toEqual(['Northshire EPR basics (2027)']);
    expect(shown.$('.app-resource .nhsuk-tag').first().text().trim()).toBe('Retired');
    const back = await educator.browser.post(`${resourceHref}/unretire`, {});
    expect(back.response.headers.location).toBe(`${resourceHref}?done=unretired`);
    expect((await member.browser.get(resourceHref)).response.statusCode).toBe(200);
  });

  it('lets a platform admin choose and manage the shared catalogue', async () => {
    const { $ } = await platformAdmin.browser.get('/learning/resources/new');
    expect($('input[type="hidden"][name="organisation"]').val()).toBe('shared');
    const added = await platformAdmin.browser.post(
      '/learning/resources/new',
      resourceForm({ organisation: 'shared', slug: 'shared-epr', title: 'Shared EPR course' }),
    );
    expect(added.response.statusCode).toBe(303);
    const api = await app.inject({ url: '/api/v1/resources?q=Shared+EPR' });
    expect(api.json<{ resources: { id: string; curatedBy: string }[] }>().resources).toEqual([
      expect.objectContaining({ id: 'shared-epr', curatedBy: 'digicap platform administrators' }),
    ]);
    const again = await platformAdmin.browser.post(
      '/learning/resources/new',
      resourceForm({ organisation: 'shared', slug: 'shared-epr' }),
    );
    expect(again.response.statusCode).toBe(422);
    expect(again.$('.nhsuk-error-summary a').attr('href')).toBe('#slug');
  });
});

describe('CSV import and export', () => {
  const header = [...BUNDLED_COLUMNS, 'review_date'].join(',');
  const line = (id: string, title: string, areas = '6.2') =>
    `${id},"${title}",Northshire NHS Trust,https://www.example.org/${id},course,,free,2,${areas},U,A local course.,,`;
  const csvFile = (...lines: string[]) => ({
    field: 'file',
    filename: 'resources.csv',
    contentType: 'text/csv',
    content: [header, ...lines].join('\r\n'),
  });

  async function importAs(
    browser: Browser,
    file: ReturnType<typeof csvFile>,
    organisation = orgId,
  ) {
    await browser.get('/learning/resources/import');
    return postMultipart(browser, app, '/learning/resources/import', { organisation }, file);
  }

  it('shows the upload form with the columns', async () => {
    const { response, $ } = await educator.browser.get('/learning/resources/import');
    expect(response.statusCode).toBe(200);
    expect($('form[enctype="multipart/form-data"] input[name="_csrf"]')).toHaveLength(1);
    expect($('table caption').text()).toContain('Columns of a catalogue file');
    const columns = $('table tbody tr')
      .map((_, r) => $(r).find('td').first().text().replace('Column', '').trim())
      .get();
    expect(columns).toEqual([...CATALOGUE_COLUMNS]);
  });

  it('imports a good file and reports the counts; the same file again changes nothing', async () => {
    const file = csvFile(line('local-a', 'Local course A'), line('local-b', 'Local course B'));
    const first = await importAs(educator.browser, file);
    expect(first.response.statusCode).toBe(303);
    const done = await educator.browser.get(first.response.headers.location ?? '');
    expect(textOf(done.$, '.app-notice')).toContain(
      `Imported into ${orgName}: 2 resources added, 0 resources updated, 0 resources unchanged.`,
    );
    const again = await importAs(educator.browser, file);
    expect(again.response.headers.location).toContain('added=0&updated=0&unchanged=2');
    const changed = await importAs(
      educator.browser,
      csvFile(line('local-a', 'Local course A, revised'), line('local-c', 'Local course C')),
    );
    expect(changed.response.headers.location).toContain('added=1&updated=1&unchanged=0');
  });

  it('lists every problem by line with 422 and imports nothing', async () => {
    const { response, $ } = await importAs(
      educator.browser,
      csvFile(
        line('local-d', 'Local course Delta'),
        line('local-e', 'Local course Echo', '9.9'),
        'local-f,too,short',
      ),
    );
    expect(response.statusCode).toBe(422);
    expect($('title').text()).toMatch(/^Error: /);
    const items = $('.nhsuk-error-summary__list a')
      .map((_, a) => $(a).text().trim())
      .get();
    expect(items[0]).toMatch(
      /^Line 3: "9\.9" is not an area of the framework\..* \(column: areas\)$/,
    );
    expect(items[1]).toMatch(/^Line 4: This line has 3 values/);
    expect(textOf($, '.nhsuk-error-summary')).toContain('Nothing has been imported');
    const search = await member.browser.get('/learning/resources?q=Delta');
    expect(resultTitles(search.$)).toEqual([]);
  });

  it('refuses files that are not CSV or not UTF-8, and checks the CSRF token', async () => {
    const notCsv = await importAs(educator.browser, { ...csvFile(), filename: 'list.xlsx' });
    expect(notCsv.response.statusCode).toBe(422);
    expect(textOf(notCsv.$, '.nhsuk-error-summary')).toContain('must be a CSV file');
    const latin1 = await importAs(educator.browser, {
      ...csvFile(),
      content: Buffer.from([0x63, 0x61, 0x66, 0xe9]).toString('latin1'),
    });
    expect(latin1.response.statusCode).toBe(422);
    await educator.browser.get('/learning/resources/import');
    const forged = await postMultipart(
      educator.browser,
      app,
      '/learning/resources/import',
      { organisation: orgId },
      csvFile(line('local-g', 'G')),
      'forged',
    );
    expect(forged.response.statusCode).toBe(403);
  });

  it('refuses people who manage nothing, and catalogues they do not manage', async () => {
    const asMember = await importAs(member.browser, csvFile(line('local-h', 'H')));
    expect(asMember.response.statusCode).toBe(403);
    const shared = await importAs(educator.browser, csvFile(line('local-i', 'I')), 'shared');
    expect(shared.response.statusCode).toBe(422);
    expect(textOf(shared.$, '.nhsuk-error-summary')).toContain(
      'Select one of the catalogues you manage',
    );
  });

  it('exports what a person manages, safe from formula injection', async () => {
    await importAs(
      educator.browser,
      csvFile(line('local-formula', '=HYPERLINK(""https://evil.example"")')),
    );
    const { response } = await educator.browser.get(
      `/learning/resources/export.csv?organisation=${orgId}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="digicap-learning-resources-northshire-nhs-trust.csv"',
    );
    const rows = parse<Record<string, string>>(response.body.replace(/^\uFEFF/, ''), {
      columns: true,
    });
    expect(rows.map((r) => r.id)).toEqual(
      expect.arrayContaining(['local-a', 'local-b', 'local-c']),
    );
    expect(rows.find((r) => r.id === 'local-formula')?.title).toBe(
      `'=HYPERLINK("https://evil.example")`,
    );
    expect(rows.some((r) => r.id === 'hee-ai-capability-framework')).toBe(false);

    expect(
      (await member.browser.get(`/learning/resources/export.csv?organisation=${orgId}`)).response
        .statusCode,
    ).toBe(403);
    expect(
      (await educator.browser.get('/learning/resources/export.csv?organisation=shared')).response
        .statusCode,
    ).toBe(400);
    const shared = await platformAdmin.browser.get(
      '/learning/resources/export.csv?organisation=shared',
    );
    expect(shared.response.statusCode).toBe(200);
    const sharedRows = parse<Record<string, string>>(shared.response.body.replace(/^\uFEFF/, ''), {
      columns: true,
    });
    expect(sharedRows.length).toBeGreaterThanOrEqual(117);
  });
});
