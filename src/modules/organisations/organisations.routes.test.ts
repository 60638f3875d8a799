/**
 * Organisation pages through the real app (PGlite and PostgreSQL): who gets which status,
 * validation errors, CSRF, switching organisation, and the platform admin's pages.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../test/support/browser.js';
import { textOf } from '../../../test/support/html.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import type { Role } from './roles.js';

const PASSWORD = 'copper lagoon thistle marble';
let app: FastifyInstance;
let people = 0;

beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

const services = () => app.services;

/** A person with a confirmed account, signed in in a browser of their own. */
async function signedIn(name: string, options: { platformAdmin?: boolean } = {}) {
  people += 1;
  const email = `org-routes-${people}@example.org`;
  const { personId } = await services().accounts.createConfirmedAccount({
    email,
    displayName: name,
    password: PASSWORD,
  });
  if (options.platformAdmin) await services().accounts.setPlatformAdmin(personId, true);
  const browser = new Browser(app);
  await browser.get('/sign-in');
  const { response } = await browser.post('/sign-in', { email, password: PASSWORD });
  expect(response.statusCode).toBe(303);
  return { personId, browser };
}

async function join(organisationId: string, personId: string, roles: Role[], unitId?: string) {
  return services().organisations.addMembership({
    organisationId,
    personId,
    roles,
    unitId: unitId ?? null,
  });
}

async function unitPath(organisationId: string, names: string[]) {
  const { unitId } = await services().database.transaction((tx) =>
    services().organisations.ensureUnitPath(tx, organisationId, names),
  );
  return unitId;
}

let pat: Awaited<ReturnType<typeof signedIn>>;
let orgId: string;
let orgPath: string;
let ada: Awaited<ReturnType<typeof signedIn>>;
let adaMembershipId: string;

beforeAll(async () => {
  pat = await signedIn('Pat Platform', { platformAdmin: true });
  ada = await signedIn('Ada Admin');
});

describe('platform admin: creating an organisation', () => {
  it('shows every error at once, keeping what was typed, then creates it', async () => {
    const form = await pat.browser.get('/admin/organisations/new');
    expect(form.response.statusCode).toBe(200);
    expect(textOf(form.$, 'h1')).toBe('Create an organisation');

    const bad = await pat.browser.post('/admin/organisations/new', {
      name: 'Northshire Hospitals',
      odsCode: 'R!',
    });
    expect(bad.response.statusCode).toBe(422);
    expect(bad.$('title').text()).toMatch(/^Error: Create an organisation/);
    const summary = bad
      .$('.nhsuk-error-summary a')
      .map((_i, a) => bad.$(a).attr('href'))
      .get();
    expect(summary).toEqual(['#type', '#odsCode']);
    expect(bad.$('#odsCode-error').text()).toContain('3 to 10 letters and numbers');
    expect(bad.$('input#name').attr('value')).toBe('Northshire Hospitals');
    expect(bad.$('input#odsCode').attr('value')).toBe('R!');

    const created = await pat.browser.post('/admin/organisations/new', {
      name: 'Northshire Hospitals',
      type: 'trust',
      odsCode: 'rx9',
    });
    expect(created.response.statusCode).toBe(303);
    orgPath = created.response.headers.location as string;
    expect(orgPath).toMatch(/^\/organisations\/[0-9a-f-]{36}$/);
    orgId = orgPath.split('/')[2] as string;

    const again = await pat.browser.post('/admin/organisations/new', {
      name: 'Another',
      type: 'icb',
      odsCode: 'RX9',
    });
    expect(again.response.statusCode).toBe(422);
    expect(again.$('#odsCode-error').text()).toContain('already has ODS code RX9');

    const list = await pat.browser.get('/admin/organisations');
    expect(list.response.statusCode).toBe(200);
    expect(list.$('table a').text()).toContain('Northshire Hospitals');

    // The platform admin sees the organisation they are not a member of.
    const overview = await pat.browser.get(orgPath);
    expect(overview.response.statusCode).toBe(200);
    expect(textOf(overview.$, 'h1')).toBe('Northshire Hospitals');
    expect(textOf(overview.$, '.nhsuk-summary-list')).toContain('RX9');

    adaMembershipId = (await join(orgId, ada.personId, ['admin'])).id;
  });

  it('is for platform admins only', async () => {
    expect((await ada.browser.get('/admin/organisations')).response.statusCode).toBe(403);
    expect((await ada.browser.get('/admin/organisations/new')).response.statusCode).toBe(403);
    const post = await ada.browser.post('/admin/organisations/new', { name: 'X', type: 'trust' });
    expect(post.response.statusCode).toBe(403);
  });
});

describe('organisation pages', () => {
  it('send people who are not signed in to sign in', async () => {
    const response = await app.inject({ url: orgPath });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(orgPath)}`);
  });

  it('are not found for people outside the organisation', async () => {
    const outsider = await signedIn('Olu Outsider');
    for (const suffix of ['', '/units', '/people', '/audit', `/people/${adaMembershipId}`]) {
      const { response } = await outsider.browser.get(`${orgPath}${suffix}`);
      expect(response.statusCode, suffix).toBe(404);
    }
    await outsider.browser.get('/account'); // a page with a form, for a valid CSRF token
    const post = await outsider.browser.post(`${orgPath}/units`, { name: 'Mine' });
    expect(post.response.statusCode).toBe(404);
    expect((await outsider.browser.get('/organisations/not-a-uuid')).response.statusCode).toBe(404);
  });

  it('show a member the overview and units, and forbid admin pages', async () => {
    const mo = await signedIn('Mo Member');
    await join(orgId, mo.personId, ['member']);
    const overview = await mo.browser.get(orgPath);
    expect(overview.response.statusCode).toBe(200);
    const nav = overview
      .$('nav.nhsuk-contents-list a, nav.nhsuk-contents-list .nhsuk-contents-list__current')
      .map((_i, el) => overview.$(el).text().trim())
      .get();
    expect(nav).toEqual(['Overview', 'Units']);
    expect((await mo.browser.get(`${orgPath}/units`)).response.statusCode).toBe(200);
    expect((await mo.browser.get(`${orgPath}/people`)).response.statusCode).toBe(403);
    expect((await mo.browser.get(`${orgPath}/audit`)).response.statusCode).toBe(403);
    const post = await mo.browser.post(`${orgPath}/units`, { name: 'Mine', parentId: '' });
    expect(post.response.statusCode).toBe(403);
  });

  it('let an admin add units, with errors shown inline', async () => {
    const page = await ada.browser.get(`${orgPath}/units`);
    const nav = page
      .$('nav.nhsuk-contents-list li')
      .map((_i, el) => page.$(el).text().trim())
      .get();
    expect(nav).toEqual([
      'Overview',
      'Units',
      'People',
      'Insights',
      'Sharing insights',
      'Invitations',
      'Upload a roster',
      'Audit log',
    ]);
    const added = await ada.browser.post(`${orgPath}/units`, { name: 'Medicine', parentId: '' });
    expect(added.response.statusCode).toBe(303);
    const after = await ada.browser.get(added.response.headers.location as string);
    expect(textOf(after.$, '.app-unit-tree')).toContain('Medicine');
    expect(textOf(after.$, '.nhsuk-inset-text')).toContain('Unit added: Medicine');
    const spoof = await ada.browser.get(`${orgPath}/units?added=Pay+here`);
    expect(spoof.$('.nhsuk-inset-text')).toHaveLength(0);
    const parent = after
      .$('select#parentId option')
      .filter((_i, o) => after.$(o).text() === 'Medicine')
      .attr('value');
    expect(parent).toBeDefined();

    await ada.browser.post(`${orgPath}/units`, { name: 'Cardiology', parentId: parent ?? '' });
    const duplicate = await ada.browser.post(`${orgPath}/units`, {
      name: 'cardiology',
      parentId: parent ?? '',
    });
    expect(duplicate.response.statusCode).toBe(422);
    expect(duplicate.$('title').text()).toMatch(/^Error: Units/);
    expect(duplicate.$('#name-error').text()).toContain('in Medicine');
    expect(duplicate.$('input#name').attr('value')).toBe('cardiology');
    expect(duplicate.$('select#parentId option[selected]').text()).toBe('Medicine');
    const options = duplicate
      .$('select#parentId option')
      .map((_i, o) => duplicate.$(o).text())
      .get();
    expect(options).toEqual(['Top level', 'Medicine', 'Medicine > Cardiology']);

    const empty = await ada.browser.post(`${orgPath}/units`, { name: ' ', parentId: '' });
    expect(empty.response.statusCode).toBe(422);
    expect(textOf(empty.$, '.nhsuk-error-summary')).toContain('Enter a name for the unit');
  });

  it('refuse a form without its CSRF token', async () => {
    await ada.browser.get(`${orgPath}/units`);
    const { response } = await ada.browser.post(
      `${orgPath}/units`,
      { name: 'Forged', parentId: '' },
      'forged',
    );
    expect(response.statusCode).toBe(403);
    const units = await services().organisations.getOrganisation(
      await services().organisations.actorFor(ada.personId),
      orgId,
    );
    expect(units.units.flatten().map((u) => u.name)).not.toContain('Forged');
  });
});

describe('people', () => {
  it('shows a line manager only their part of the tree', async () => {
    const cardiology = await unitPath(orgId, ['Medicine', 'Cardiology']);
    const ward = await unitPath(orgId, ['Medicine', 'Cardiology', 'Ward 5']);
    const surgery = await unitPath(orgId, ['Surgery']);
    const lee = await signedIn('Lee Manager');
    await join(orgId, lee.personId, ['member', 'line_manager'], cardiology);
    const nia = await signedIn('Nia Nurse');
    const niaMembership = await join(orgId, nia.personId, ['member'], ward);
    const sam = await signedIn('Sam Surgeon');
    const samMembership = await join(orgId, sam.personId, ['member'], surgery);

    const list = await lee.browser.get(`${orgPath}/people`);
    expect(list.response.statusCode).toBe(200);
    const names = list
      .$('table tbody tr td:first-child a')
      .map((_i, a) => list.$(a).text())
      .get();
    expect(names).toEqual(['Lee Manager', 'Nia Nurse']);
    expect(textOf(list.$, 'main')).toContain('People in Medicine > Cardiology');

    const nurse = await lee.browser.get(`${orgPath}/people/${niaMembership.id}`);
    expect(nurse.response.statusCode).toBe(200);
    expect(nurse.$('form select#unitId')).toHaveLength(0);
    const other = await lee.browser.get(`${orgPath}/people/${samMembership.id}`);
    expect(other.response.statusCode).toBe(404);
    const change = await lee.browser.post(`${orgPath}/people/${niaMembership.id}`, {
      unitId: ward,
      roles: ['member', 'admin'],
    });
    expect(change.response.statusCode).toBe(403);

    const all = await ada.browser.get(`${orgPath}/people`);
    expect(all.$('table tbody tr')).toHaveLength(5);
  });

  it('lets an admin change roles, refusing a line manager without a unit', async () => {
    const ben = await signedIn('Ben Bank');
    const membership = await join(orgId, ben.personId, ['member']);
    const path = `${orgPath}/people/${membership.id}`;
    const page = await ada.browser.get(path);
    expect(page.$('input[name="roles"][value="member"]').attr('checked')).toBeDefined();

    const bad = await ada.browser.post(path, { unitId: '', roles: 'line_manager' });
    expect(bad.response.statusCode).toBe(422);
    expect(bad.$('#unitId-error').text()).toContain('Select the unit a line manager manages');
    expect(bad.$('input[name="roles"][value="line_manager"]').attr('checked')).toBeDefined();
    expect(bad.$('input[name="roles"][value="member"]').attr('checked')).toBeUndefined();

    const none = await ada.browser.post(path, { unitId: '' });
    expect(none.response.statusCode).toBe(422);
    expect(none.$('#roles-error').text()).toContain('Select at least one role');

    const good = await ada.browser.post(path, { unitId: '', roles: ['member', 'educator'] });
    expect(good.response.statusCode).toBe(303);
    expect(good.response.headers.location).toBe(`${path}?saved=1`);
    const saved = await ada.browser.get(`${path}?saved=1`);
    expect(textOf(saved.$, '.nhsuk-summary-list')).toContain('Member (learner), Educator');
  });

  it('never removes the last admin, and removes others after confirming', async () => {
    const own = `${orgPath}/people/${adaMembershipId}`;
    const demote = await ada.browser.post(own, { unitId: '', roles: 'member' });
    expect(demote.response.statusCode).toBe(422);
    expect(demote.$('#roles-error').text()).toContain('only organisation admin');

    await ada.browser.get(`${own}/remove`);
    const removeSelf = await ada.browser.post(`${own}/remove`, {});
    expect(removeSelf.response.statusCode).toBe(409);
    expect(textOf(removeSelf.$, '.nhsuk-error-summary')).toContain('only organisation admin');

    const kit = await signedIn('Kit Temp');
    const membership = await join(orgId, kit.personId, ['member']);
    expect(
      (await kit.browser.get(`${orgPath}/people/${membership.id}/remove`)).response.statusCode,
    ).toBe(403);
    const confirm = await ada.browser.get(`${orgPath}/people/${membership.id}/remove`);
    expect(confirm.response.statusCode).toBe(200);
    expect(textOf(confirm.$, 'h1')).toBe('Remove Kit Temp from Northshire Hospitals?');
    const removed = await ada.browser.post(`${orgPath}/people/${membership.id}/remove`, {});
    expect(removed.response.statusCode).toBe(303);
    expect(removed.response.headers.location).toBe(`${orgPath}/people?removed=1`);
    expect((await kit.browser.get(orgPath)).response.statusCode).toBe(404);
  });
});

describe('audit log', () => {
  it('lists the organisation’s entries for admins, a page at a time', async () => {
    const page = await ada.browser.get(`${orgPath}/audit`);
    expect(page.response.statusCode).toBe(200);
    const rows = page.$('table tbody tr');
    expect(rows.length).toBeGreaterThan(5);
    const first = rows.first().text().replace(/\s+/g, ' ');
    expect(first).toContain('Person removed');
    expect(first).toContain('Ada Admin');
    expect(first).toContain('Kit Temp');
    expect(textOf(page.$, 'main')).toContain('Organisation created');
    expect((await ada.browser.get(`${orgPath}/audit?page=2`)).response.statusCode).toBe(200);
    expect((await ada.browser.get(`${orgPath}/audit?page=nonsense`)).response.statusCode).toBe(200);
  });
});

describe('your organisations and switching', () => {
  it('shows an empty state to someone in no organisation', async () => {
    const solo = await signedIn('Solo Person');
    const { response, $ } = await solo.browser.get('/organisations');
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'main')).toContain('You do not belong to any organisation');
    expect($('form[action="/organisations/switch"]')).toHaveLength(0);
  });

  it('lets someone in two organisations switch, and only to those', async () => {
    const second = await services().organisations.createOrganisation(
      await services().organisations.actorFor(pat.personId),
      { name: 'Aldgate Practice', type: 'practice' },
    );
    const bea = await signedIn('Bea Bank');
    await join(orgId, bea.personId, ['member']);
    await join(second.id, bea.personId, ['member', 'educator']);

    const before = await bea.browser.get('/organisations');
    const rows = before
      .$('table tbody tr')
      .map((_i, tr) => before.$(tr).text().replace(/\s+/g, ' ').trim())
      .get();
    expect(rows[0]).toContain('Aldgate Practice Current');
    expect(rows[1]).toContain('Northshire Hospitals');

    const missing = await bea.browser.post('/organisations/switch', {});
    expect(missing.response.statusCode).toBe(422);
    expect(textOf(missing.$, '.nhsuk-error-summary')).toContain('Select an organisation');

    const switched = await bea.browser.post('/organisations/switch', {
      organisationId: orgId,
      returnTo: '/organisations',
    });
    expect(switched.response.statusCode).toBe(303);
    expect(switched.response.headers.location).toBe('/organisations');
    const after = await bea.browser.get('/organisations');
    expect(after.$('input[name="organisationId"][checked]').attr('value')).toBe(orgId);
    expect(after.$('table tbody tr').eq(1).text().replace(/\s+/g, ' ')).toContain('Current');

    const elsewhere = await services().organisations.createOrganisation(
      await services().organisations.actorFor(pat.personId),
      { name: 'Not Bea’s', type: 'other' },
    );
    const refused = await bea.browser.post('/organisations/switch', {
      organisationId: elsewhere.id,
    });
    expect(refused.response.statusCode).toBe(404);
    const offsite = await bea.browser.post('/organisations/switch', {
      organisationId: second.id,
      returnTo: '//evil.example',
    });
    expect(offsite.response.headers.location).toBe('/organisations');
  });

  it('links to the organisations from the account page and the header', async () => {
    const { $ } = await ada.browser.get('/account');
    expect($('main a[href="/organisations"]').text()).toBe('Your organisations');
    expect($('.nhsuk-header__navigation a[href="/organisations"]')).toHaveLength(1);
  });
});
