/**
 * Register → confirm → sign in → account → sign out through the real app, with cookies and
 * CSRF tokens handled as a browser would. Runs on PGlite and PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../../../test/support/html.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { Browser } from '../../../test/support/browser.js';
import type { OutboxMailer } from '../../platform/mail/index.js';
import { SESSION_COOKIE } from '../../platform/session.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

const outbox = () => app.services.mailer as OutboxMailer;
const PASSWORD = 'harbour meadow lantern pebble';

function confirmationPath(email: string): string {
  const text =
    outbox()
      .list()
      .find((m) => m.to === email)?.text ?? '';
  const path = /http:\/\/localhost:\d+(\/confirm-email\/[A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!path) throw new Error(`no confirmation link for ${email}`);
  return path;
}

describe('register, confirm, sign in, sign out', () => {
  it('works end to end, with the session id changed at sign-in', async () => {
    const browser = new Browser(app);
    const form = await browser.get('/register');
    expect(textOf(form.$, 'h1')).toBe('Create an account');
    expect(form.$('input#password').attr('autocomplete')).toBe('new-password');

    const created = await browser.post('/register', {
      displayName: 'Grace Okafor',
      email: 'grace@example.org',
      password: PASSWORD,
    });
    expect(created.response.statusCode).toBe(303);
    expect(created.response.headers.location).toBe('/register/check-your-email');

    const confirmPage = await browser.get(confirmationPath('grace@example.org'));
    expect(textOf(confirmPage.$, 'h1')).toBe('Confirm your email address');
    const confirmed = await browser.post(confirmPage.$('form').attr('action') ?? '', {});
    expect(confirmed.response.headers.location).toBe('/sign-in?confirmed=1');

    const signInPage = await browser.get('/sign-in?confirmed=1');
    expect(textOf(signInPage.$, '.nhsuk-inset-text')).toContain('Your email address is confirmed');
    const before = browser.cookie;
    const signedIn = await browser.post('/sign-in', {
      email: 'Grace@Example.org',
      password: PASSWORD,
    });
    expect(signedIn.response.statusCode).toBe(303);
    expect(signedIn.response.headers.location).toBe('/account');
    expect(browser.cookie).not.toBe(before);

    const account = await browser.get('/account');
    expect(textOf(account.$, 'h1')).toBe('Your account');
    expect(textOf(account.$, '.nhsuk-summary-list')).toContain('grace@example.org');
    expect(textOf(account.$, '.nhsuk-header__account')).toContain('Grace Okafor');

    // Explorer pages show the signed-in header, not a cached anonymous copy.
    const explorer = await browser.get('/frameworks/ai-digital-healthcare/levels');
    expect(textOf(explorer.$, '.nhsuk-header__account')).toContain('Grace Okafor');
    const anonymous = await new Browser(app).get('/frameworks/ai-digital-healthcare/levels');
    expect(textOf(anonymous.$, '.nhsuk-header__account')).toBe('Sign in');

    await browser.get('/sign-out');
    const out = await browser.post('/sign-out', {});
    expect(out.response.headers.location).toBe('/');
    const after = await browser.get('/account');
    expect(after.response.statusCode).toBe(303);
    expect(after.response.headers.location).toBe('/sign-in?returnTo=%2Faccount');
  });

  it('shows every missing field in an error summary, keeping what was typed except the password', async () => {
    const browser = new Browser(app);
    await browser.get('/register');
    const { response, $ } = await browser.post('/register', {
      displayName: 'Ann',
      email: 'not-an-email',
      password: '',
    });
    expect(response.statusCode).toBe(422);
    expect($('title').text()).toMatch(/^Error: /);
    expect(
      $('.nhsuk-error-summary a')
        .toArray()
        .map((a) => $(a).attr('href')),
    ).toEqual(['#email', '#password']);
    expect($('input#displayName').val()).toBe('Ann');
    expect($('input#email').val()).toBe('not-an-email');
    expect($('input#password').val()).toBeUndefined();
  });

  it('explains a weak password beside the password field', async () => {
    const browser = new Browser(app);
    await browser.get('/register');
    const { response, $ } = await browser.post('/register', {
      displayName: 'Bo',
      email: 'bo@example.org',
      password: 'Password123!',
    });
    expect(response.statusCode).toBe(422);
    expect(textOf($, '#password-error')).toContain('common passwords');
  });

  it('says the same about a wrong password and an unknown account', async () => {
    const browser = new Browser(app);
    await browser.get('/sign-in');
    const unknown = await browser.post('/sign-in', {
      email: 'nobody@example.org',
      password: PASSWORD,
    });
    await browser.get('/sign-in');
    const wrong = await browser.post('/sign-in', {
      email: 'grace@example.org',
      password: 'definitely not it',
    });
    expect(unknown.response.statusCode).toBe(401);
    expect(wrong.response.statusCode).toBe(401);
    expect(textOf(unknown.$, '.nhsuk-error-summary a')).toBe(
      'Enter a correct email address and password',
    );
    expect(textOf(wrong.$, '.nhsuk-error-summary a')).toBe(
      textOf(unknown.$, '.nhsuk-error-summary a'),
    );
  });

  it('explains a used confirmation link', async () => {
    const browser = new Browser(app);
    const page = await browser.get('/confirm-email/not-a-real-token');
    const { response, $ } = await browser.post(page.$('form').attr('action') ?? '', {});
    expect(response.statusCode).toBe(400);
    expect(textOf($, 'main p')).toContain('This link has expired or has already been used');
  });

  it('refuses a sign-in without the form’s CSRF token', async () => {
    const browser = new Browser(app);
    await browser.get('/sign-in');
    const { response } = await browser.post(
      '/sign-in',
      { email: 'grace@example.org', password: PASSWORD },
      'forged',
    );
    expect(response.statusCode).toBe(403);
  });

  it('sends people who are not signed in from /account to sign in', async () => {
    const response = await app.inject({ url: '/account' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Faccount');
  });

  it('resets a forgotten password by email, signing the person out everywhere', async () => {
    const phone = new Browser(app);
    await phone.get('/register');
    await phone.post('/register', {
      displayName: 'Nia Ward',
      email: 'nia@example.org',
      password: PASSWORD,
    });
    const confirm = await phone.get(confirmationPath('nia@example.org'));
    await phone.post(confirm.$('form').attr('action') ?? '', {});
    await phone.get('/sign-in');
    await phone.post('/sign-in', { email: 'nia@example.org', password: PASSWORD });
    expect((await phone.get('/account')).response.statusCode).toBe(200);

    const laptop = new Browser(app);
    const form = await laptop.get('/forgotten-password');
    expect(textOf(form.$, 'h1')).toBe('Reset your password');
    const asked = await laptop.post('/forgotten-password', { email: 'nia@example.org' });
    expect(asked.response.headers.location).toBe('/forgotten-password/check-your-email');
    const unknown = await laptop.post('/forgotten-password', {
      email: 'nobody-at-all@example.org',
    });
    expect(unknown.response.headers.location).toBe('/forgotten-password/check-your-email');

    const text =
      outbox()
        .list()
        .find((m) => m.to === 'nia@example.org' && m.subject === 'Reset your digicap password')
        ?.text ?? '';
    const resetPath =
      /http:\/\/localhost:\d+(\/reset-password\/[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
    const resetForm = await laptop.get(resetPath);
    expect(textOf(resetForm.$, 'h1')).toBe('Choose a new password');
    const weak = await laptop.post(resetPath, { password: 'Password123!' });
    expect(weak.response.statusCode).toBe(422);
    expect(textOf(weak.$, '#password-error')).toContain('common passwords');
    const done = await laptop.post(resetPath, { password: 'granite willow ember parade' });
    expect(done.response.headers.location).toBe('/sign-in?reset=1');

    // The phone's session has ended, and the used link no longer works.
    expect((await phone.get('/account')).response.headers.location).toBe(
      '/sign-in?returnTo=%2Faccount',
    );
    expect((await laptop.get(resetPath)).response.statusCode).toBe(400);
    await laptop.get('/sign-in');
    const signedIn = await laptop.post('/sign-in', {
      email: 'nia@example.org',
      password: 'granite willow ember parade',
    });
    expect(signedIn.response.headers.location).toBe('/account');
  });

  it('changes a password from the account, ending other sessions, and signs out everywhere', async () => {
    const here = new Browser(app);
    const there = new Browser(app);
    for (const b of [here, there]) {
      await b.get('/sign-in');
      await b.post('/sign-in', {
        email: 'nia@example.org',
        password: 'granite willow ember parade',
      });
    }
    const form = await here.get('/account/password');
    expect(textOf(form.$, 'h1')).toBe('Change your password');
    const wrong = await here.post('/account/password', {
      currentPassword: 'not my password',
      newPassword: 'mosaic tundra beacon falcon',
    });
    expect(wrong.response.statusCode).toBe(422);
    expect(wrong.$('.nhsuk-error-summary a').attr('href')).toBe('#currentPassword');
    await here.get('/account/password');
    const changed = await here.post('/account/password', {
      currentPassword: 'granite willow ember parade',
      newPassword: 'mosaic tundra beacon falcon',
    });
    expect(changed.response.headers.location).toBe('/account?changed=1');
    expect((await here.get('/account?changed=1')).response.statusCode).toBe(200);
    expect((await there.get('/account')).response.headers.location).toBe(
      '/sign-in?returnTo=%2Faccount',
    );

    const account = await here.get('/account');
    await here.post(account.$('form[action="/sign-out-everywhere"]').attr('action') ?? '', {});
    expect((await here.get('/account')).response.headers.location).toBe(
      '/sign-in?returnTo=%2Faccount',
    );
  });

  it('downloads a person’s data as JSON, then deletes the account after the password', async () => {
    const browser = new Browser(app);
    await browser.get('/register');
    await browser.post('/register', {
      displayName: 'Tamsin Reed',
      email: 'tamsin@example.org',
      password: PASSWORD,
    });
    const confirm = await browser.get(confirmationPath('tamsin@example.org'));
    await browser.post(confirm.$('form').attr('action') ?? '', {});
    await browser.get('/sign-in');
    await browser.post('/sign-in', { email: 'tamsin@example.org', password: PASSWORD });

    const download = await app.inject({
      url: '/account/download',
      headers: { cookie: browser.cookie },
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="digicap-my-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const data = download.json<{
      account: { name: string; email: string };
      securityEvents: { action: string }[];
    }>();
    expect(data.account).toMatchObject({ name: 'Tamsin Reed', email: 'tamsin@example.org' });
    expect(data.securityEvents.map((e) => e.action)).toContain('sign-in.succeeded');
    expect(download.body).not.toContain('argon2');

    const page = await browser.get('/account/delete');
    expect(textOf(page.$, 'h1')).toBe('Delete your account');
    const wrong = await browser.post('/account/delete', { password: 'not my password' });
    expect(wrong.response.statusCode).toBe(422);
    await browser.get('/account/delete');
    const deleted = await browser.post('/account/delete', { password: PASSWORD });
    expect(deleted.response.headers.location).toBe('/account-deleted');
    expect((await browser.get('/account')).response.headers.location).toBe(
      '/sign-in?returnTo=%2Faccount',
    );
    await browser.get('/sign-in');
    const again = await browser.post('/sign-in', {
      email: 'tamsin@example.org',
      password: PASSWORD,
    });
    expect(again.response.statusCode).toBe(401);
  });

  it('has privacy and cookie pages that list the one cookie', async () => {
    const privacy = await new Browser(app).get('/privacy');
    expect(textOf(privacy.$, 'h1')).toBe('Privacy notice');
    const cookies = await new Browser(app).get('/cookies');
    expect(cookies.$('table tbody tr').length).toBe(1);
    expect(textOf(cookies.$, 'table tbody td')).toBe(SESSION_COOKIE);
  });
});
