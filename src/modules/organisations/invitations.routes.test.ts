/**
 * Invitation pages through the real app (PGlite and PostgreSQL): the list and its actions,
 * inviting one person, the roster upload (multipart, CSRF-checked), the page an invitation link
 * opens, and who gets 403 or 404.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, signedInBrowser, TEST_PASSWORD } from '../../../test/support/browser.js';
import { parseHtml, textOf } from '../../../test/support/html.js';
import { makeOrganisationWithAdmin } from '../../../test/support/organisations.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import type { OutboxMailer } from '../../platform/mail/index.js';
import { SESSION_COOKIE } from '../../platform/session.js';

let app: FastifyInstance;
let admin: Awaited<ReturnType<typeof signedInBrowser>>;
let orgId: string;
let base: string;
let people = 0;

const outbox = () => app.services.mailer as OutboxMailer;

function linkTo(email: string): string {
  const message = outbox()
    .list()
    .find((m) => m.to === email);
  const token = /\/invitations\/([A-Za-z0-9_-]+)/.exec(message?.text ?? '')?.[1];
  if (!token) throw new Error(`no invitation was sent to ${email}`);
  return token;
}
const sentTo = (email: string) =>
  outbox()
    .list()
    .filter((m) => m.to === email).length;

async function signedIn(name: string) {
  people += 1;
  return signedInBrowser(app, {
    email: `inv-routes-${String(people)}@example.org`,
    displayName: name,
  });
}

beforeAll(async () => {
  app = await buildTestApp();
  admin = await signedIn('Alex Admin');
  const { organisation } = await makeOrganisationWithAdmin(app.services, {
    name: 'Northshire NHS Trust',
    adminId: admin.personId,
  });
  orgId = organisation.id;
  base = `/organisations/${orgId}`;
});
afterAll(async () => {
  await app.close();
});

/** A multipart/form-data body as a browser sends it: the CSRF field, then the file. */
function multipart(
  fields: Record<string, string>,
  file?: { filename: string; content: string | Buffer },
) {
  const boundary = `----digicap${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(
  browser: Browser,
  file?: { filename: string; content: string | Buffer },
  csrf?: string,
) {
  const page = await browser.get(`${base}/roster`);
  const token =
    csrf ?? page.$('form[enctype="multipart/form-data"] input[name="_csrf"]').attr('value') ?? '';
  const body = multipart({ _csrf: token }, file);
  const response = await app.inject({
    method: 'POST',
    url: `${base}/roster`,
    payload: body.payload,
    headers: { ...body.headers, cookie: browser.cookie },
  });
  return { response, $: parseHtml(response.body) };
}

const ROSTER = [
  'email,name,profession,unit path,role',
  'ann.roster@example.org,Ann Roster,Physiotherapist,Therapies > Physiotherapy,member',
  'bo.roster@example.org,Bo Roster,,Therapies,line manager',
  '',
].join('\n');

describe('the roster upload', () => {
  it('shows the columns, an example file and the upload form', async () => {
    const { response, $ } = await admin.browser.get(`${base}/roster`);
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toContain('Upload a roster');
    expect($('form[enctype="multipart/form-data"] input[type="file"][name="file"]')).toHaveLength(
      1,
    );
    expect($('table caption').first().text()).toContain('Columns of a roster file');
    const template = await admin.browser.get(`${base}/roster/template.csv`);
    expect(template.response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(template.response.body.split('\r\n')[0]).toBe('email,name,profession,unit path,role');
  });

  it('refuses an upload without the CSRF token, importing nothing', async () => {
    const before = await app.services.invitations.listInvitations(
      await app.services.organisations.actorFor(admin.personId),
      orgId,
    );
    const { response } = await upload(
      admin.browser,
      { filename: 'r.csv', content: ROSTER },
      'forged',
    );
    expect(response.statusCode).toBe(403);
    const noToken = await app.inject({
      method: 'POST',
      url: `${base}/roster`,
      ...(() => {
        const body = multipart({}, { filename: 'r.csv', content: ROSTER });
        return {
          payload: body.payload,
          headers: { ...body.headers, cookie: admin.browser.cookie },
        };
      })(),
    });
    expect(noToken.statusCode).toBe(403);
    const after = await app.services.invitations.listInvitations(
      await app.services.organisations.actorFor(admin.personId),
      orgId,
    );
    expect(after.invitations).toHaveLength(before.invitations.length);
    expect(sentTo('ann.roster@example.org')).toBe(0);
  });

  it('lists every problem with its line in the error summary (422) and imports nothing', async () => {
    const bad = [
      'email,name,profession,unit path,role',
      'not-an-email,Ann,,,',
      'c@example.org,,,,',
      'd@example.org,Di,,,line manager',
    ].join('\n');
    const { response, $ } = await upload(admin.browser, { filename: 'bad.csv', content: bad });
    expect(response.statusCode).toBe(422);
    expect($('title').text()).toMatch(/^Error: /);
    const items = $('.nhsuk-error-summary__list li')
      .map((_i, el) => $(el).text().trim())
      .get();
    expect(items).toEqual([
      'Line 2: Enter an email address in the correct format, like name@example.com (column: email)',
      "Line 3: Enter the person's name (column: name)",
      'Line 4: A line manager needs a unit path: the unit they manage (column: unit path)',
    ]);
    expect($('.nhsuk-error-summary__list a').first().attr('href')).toBe('#file');
    expect(textOf($, '.nhsuk-error-message')).toContain('Fix the 3 problems in the file');
    expect(sentTo('d@example.org')).toBe(0);
  });

  it('explains a missing file, a spreadsheet and a file that is not UTF-8', async () => {
    for (const [file, message] of [
      [undefined, 'Select a CSV file'],
      [{ filename: 'roster.xlsx', content: 'PK...' }, 'must be a CSV file'],
      [{ filename: 'roster.csv', content: Buffer.from([0x4a, 0xf6, 0x72, 0x67]) }, 'UTF-8'],
    ] as const) {
      const { response, $ } = await upload(admin.browser, file);
      expect(response.statusCode).toBe(422);
      expect(textOf($, '.nhsuk-error-summary')).toContain(message);
    }
  });

  it('imports a good file, emails each person once, and says what happened', async () => {
    const { response } = await upload(admin.browser, { filename: 'roster.csv', content: ROSTER });
    expect(response.statusCode).toBe(303);
    const location = response.headers.location ?? '';
    expect(location).toBe(
      `${base}/invitations?imported=1&invited=2&updated=0&unchanged=0&units=2&notSent=0`,
    );
    const list = await admin.browser.get(location);
    expect(textOf(list.$, '.nhsuk-inset-text')).toContain(
      'Roster imported: 2 people invited, 0 people updated, 0 people unchanged. 2 new units were created.',
    );
    const rows = list
      .$('tbody tr')
      .map((_i, el) => list.$(el).find('td span').first().text().trim())
      .get();
    expect(rows).toEqual(
      expect.arrayContaining(['ann.roster@example.org', 'bo.roster@example.org']),
    );
    expect(sentTo('ann.roster@example.org')).toBe(1);

    const again = await upload(admin.browser, { filename: 'roster.csv', content: ROSTER });
    expect(again.response.headers.location).toContain('invited=0&updated=0&unchanged=2');
    expect(sentTo('ann.roster@example.org')).toBe(1);
  });
});

describe('the invitations list, revoke and resend', () => {
  it('invites one person from the form, with errors shown first', async () => {
    const form = await admin.browser.get(`${base}/invitations/new`);
    expect(form.response.statusCode).toBe(200);
    expect(form.$('select#professionCode option').length).toBeGreaterThan(5);
    const bad = await admin.browser.post(`${base}/invitations/new`, {
      email: 'nope',
      displayName: '',
      roles: ['line_manager'],
    });
    expect(bad.response.statusCode).toBe(422);
    expect(
      bad
        .$('.nhsuk-error-summary__list a')
        .map((_i, el) => bad.$(el).attr('href'))
        .get(),
    ).toEqual(['#email', '#displayName', '#unitId']);
    expect(bad.$('input#email').attr('value')).toBe('nope');

    const good = await admin.browser.post(`${base}/invitations/new`, {
      email: 'Casey.One@example.org',
      displayName: 'Casey One',
      professionCode: '',
      unitId: '',
      roles: 'member',
    });
    expect(good.response.statusCode).toBe(303);
    expect(good.response.headers.location).toBe(`${base}/invitations?sent=1`);
    expect(sentTo('casey.one@example.org')).toBe(1);

    const twice = await admin.browser.post(`${base}/invitations/new`, {
      email: 'casey.one@example.org',
      displayName: 'Casey One',
      roles: 'member',
    });
    expect(twice.response.statusCode).toBe(422);
    expect(textOf(twice.$, '.nhsuk-error-message')).toContain('already has an invitation');
  });

  it('resends and revokes with CSRF-checked buttons', async () => {
    const list = await admin.browser.get(`${base}/invitations`);
    const row = list
      .$('tbody tr')
      .filter((_i, el) => list.$(el).text().includes('casey.one@example.org'));
    const resend = row.find('form[action$="/resend"]').attr('action') ?? '';
    const revoke = row.find('form[action$="/revoke"]').attr('action') ?? '';
    expect(resend).toMatch(/\/invitations\/[0-9a-f-]{36}\/resend$/);
    expect(row.find('button').first().text()).toBe('Resend the invitation to Casey One');

    const forged = await admin.browser.post(resend, {}, 'forged');
    expect(forged.response.statusCode).toBe(403);
    expect(sentTo('casey.one@example.org')).toBe(1);
    const forgedRevoke = await admin.browser.post(revoke, {}, 'forged');
    expect(forgedRevoke.response.statusCode).toBe(403);

    await admin.browser.get(`${base}/invitations`);
    const resent = await admin.browser.post(resend, {});
    expect(resent.response.headers.location).toBe(`${base}/invitations?resent=1`);
    expect(sentTo('casey.one@example.org')).toBe(2);

    const revoked = await admin.browser.post(revoke, {});
    expect(revoked.response.headers.location).toBe(`${base}/invitations?revoked=1`);
    const after = await admin.browser.get(`${base}/invitations?revoked=1`);
    const afterRow = after
      .$('tbody tr')
      .filter((_i, el) => after.$(el).text().includes('casey.one@example.org'));
    expect(afterRow.find('.nhsuk-tag').text().trim()).toBe('Revoked');
    expect(afterRow.find('form')).toHaveLength(0);
    const link = await new Browser(app).get(`/invitations/${linkTo('casey.one@example.org')}`);
    expect(link.response.statusCode).toBe(410);

    const again = await admin.browser.post(revoke, {});
    expect(again.response.statusCode).toBe(409);
  });

  it('is only for this organisation’s admins: 403 for its members, 404 for others', async () => {
    const member = await signedIn('Mo Member');
    await app.services.organisations.addMembership({
      organisationId: orgId,
      personId: member.personId,
      unitId: null,
      roles: ['member', 'educator'],
    });
    const outsider = await signedIn('Olu Outsider');
    const invitation = (
      await app.services.invitations.listInvitations(
        await app.services.organisations.actorFor(admin.personId),
        orgId,
      )
    ).invitations[0];
    const pages = [
      `${base}/invitations`,
      `${base}/invitations/new`,
      `${base}/roster`,
      `${base}/roster/template.csv`,
    ];
    for (const page of pages) {
      expect((await member.browser.get(page)).response.statusCode, page).toBe(403);
      expect((await outsider.browser.get(page)).response.statusCode, page).toBe(404);
      const anonymous = await new Browser(app).get(page);
      expect(anonymous.response.statusCode).toBe(303);
      expect(anonymous.response.headers.location).toMatch(/^\/sign-in\?returnTo=/);
    }
    await member.browser.get('/account');
    const posts = [
      `${base}/invitations/${invitation?.id ?? ''}/revoke`,
      `${base}/invitations/${invitation?.id ?? ''}/resend`,
      `${base}/invitations/new`,
    ];
    for (const url of posts) {
      expect((await member.browser.post(url, { email: 'x@example.org' })).response.statusCode).toBe(
        403,
      );
    }
    const memberUpload = await upload(member.browser, { filename: 'r.csv', content: ROSTER });
    expect(memberUpload.response.statusCode).toBe(403);
    await outsider.browser.get('/account');
    expect(
      (await outsider.browser.post(`${base}/invitations/${invitation?.id ?? ''}/revoke`, {}))
        .response.statusCode,
    ).toBe(404);
    expect(
      (await admin.browser.get(`${base}/invitations/not-a-uuid/revoke`)).response.statusCode,
    ).toBe(404);
    await admin.browser.get(`${base}/invitations`);
    expect(
      (await admin.browser.post(`${base}/invitations/not-a-uuid/revoke`, {})).response.statusCode,
    ).toBe(404);
  });
});

describe('the invitation link', () => {
  async function invite(email: string, roles: string[] = ['member']) {
    await admin.browser.get(`${base}/invitations/new`);
    const { response } = await admin.browser.post(`${base}/invitations/new`, {
      email,
      displayName: 'Invited Person',
      roles,
    });
    expect(response.statusCode).toBe(303);
    return linkTo(email);
  }

  it('says plainly when a link does not work', async () => {
    const { response, $ } = await new Browser(app).get('/invitations/made-up-token');
    expect(response.statusCode).toBe(400);
    expect(textOf($, 'h1')).toBe('This invitation does not work');
    expect(textOf($, 'main')).toContain('ask the person who invited you for a new invitation');
  });

  it('lets a new person create an account and join, signed in; the link then stops working', async () => {
    const token = await invite('newcomer@example.org', ['member', 'educator']);
    const visitor = new Browser(app);
    const page = await visitor.get(`/invitations/${token}`);
    expect(page.response.statusCode).toBe(200);
    expect(textOf(page.$, 'h1')).toBe('Join Northshire NHS Trust');
    expect(textOf(page.$, '.nhsuk-summary-list')).toContain('Member (learner), Educator');
    expect(page.$('input#displayName').attr('value')).toBe('Invited Person');
    // Looking does not use the link up.
    expect((await visitor.get(`/invitations/${token}`)).response.statusCode).toBe(200);

    const weak = await visitor.post(`/invitations/${token}/account`, {
      displayName: 'Nia Newcomer',
      password: 'password',
    });
    expect(weak.response.statusCode).toBe(422);
    expect(weak.$('.nhsuk-error-summary__list a').attr('href')).toBe('#password');
    expect(weak.$('input#displayName').attr('value')).toBe('Nia Newcomer');

    const cookieBefore = visitor.cookie;
    const joined = await visitor.post(`/invitations/${token}/account`, {
      displayName: 'Nia Newcomer',
      password: TEST_PASSWORD,
    });
    expect(joined.response.statusCode).toBe(303);
    expect(joined.response.headers.location).toBe(`/organisations/${orgId}`);
    expect(visitor.cookie).not.toBe(cookieBefore);
    expect(visitor.cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    const account = await visitor.get('/account');
    expect(account.response.statusCode).toBe(200);
    expect(textOf(account.$, 'main')).toContain('Nia Newcomer');
    const person = await app.services.accounts.findPersonByEmail('newcomer@example.org');
    const actor = await app.services.organisations.actorFor(person?.id ?? '');
    expect(actor.memberships.get(orgId)?.roles).toEqual(['member', 'educator']);

    const used = await new Browser(app).get(`/invitations/${token}`);
    expect(used.response.statusCode).toBe(410);
    expect(textOf(used.$, 'main')).toContain('already been used');
  });

  it('asks someone with an account to sign in, then accepts', async () => {
    const existing = await signedIn('Existing Person');
    const email = (await app.services.accounts.findPerson(existing.personId))?.email ?? '';
    const token = await invite(email);
    const visitor = new Browser(app);
    const page = await visitor.get(`/invitations/${token}`);
    expect(page.$('a.nhsuk-button').attr('href')).toBe(
      `/sign-in?returnTo=${encodeURIComponent(`/invitations/${token}`)}`,
    );
    expect(page.$('input[type="password"]')).toHaveLength(0);

    const signedInPage = await existing.browser.get(`/invitations/${token}`);
    expect(signedInPage.$('form button').text().trim()).toBe('Accept invitation');
    const accepted = await existing.browser.post(`/invitations/${token}`, {});
    expect(accepted.response.statusCode).toBe(303);
    expect(accepted.response.headers.location).toBe(`/organisations/${orgId}`);
    const actor = await app.services.organisations.actorFor(existing.personId);
    expect(actor.memberships.has(orgId)).toBe(true);
  });

  it('refuses someone signed in with another address, naming the invited one masked', async () => {
    const token = await invite('rightful@example.org');
    const other = await signedIn('Wrong Person');
    const page = await other.browser.get(`/invitations/${token}`);
    expect(page.response.statusCode).toBe(200);
    expect(textOf(page.$, '.nhsuk-card--warning')).toContain('r***@example.org');
    expect(textOf(page.$, 'main')).not.toContain('rightful@example.org');
    const refused = await other.browser.post(`/invitations/${token}`, {});
    expect(refused.response.statusCode).toBe(403);
    expect((await app.services.organisations.actorFor(other.personId)).memberships.has(orgId)).toBe(
      false,
    );
  });

  it('refuses accepting without the CSRF token', async () => {
    const token = await invite('csrf-check@example.org');
    const visitor = new Browser(app);
    await visitor.get(`/invitations/${token}`);
    const forged = await visitor.post(
      `/invitations/${token}/account`,
      { displayName: 'X', password: TEST_PASSWORD },
      'forged',
    );
    expect(forged.response.statusCode).toBe(403);
    expect(await app.services.accounts.findPersonByEmail('csrf-check@example.org')).toBeUndefined();
  });
});
