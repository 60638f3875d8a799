/**
 * Single sign-on end to end against a real OpenID provider (oidc-provider on 127.0.0.1): the app
 * sends the browser to the provider, the test signs in there through the provider's own login
 * form (following its redirects with a cookie jar, as a browser would), and the provider's
 * redirect comes back to the app's callback. Runs on PGlite and PostgreSQL.
 */
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../test/support/browser.js';
import { parseHtml, textOf } from '../../../test/support/html.js';
import { startOidcProvider, type TestOidcProvider } from '../../../test/support/oidc-provider.js';
import { buildTestApp } from '../../../test/support/test-app.js';

const APP_ORIGIN = 'http://localhost:3000';
const PROVIDER_NAME = 'Test Identity';
const PASSWORD = 'harbour meadow lantern pebble';

let provider: TestOidcProvider;
let app: FastifyInstance;

beforeAll(async () => {
  provider = await startOidcProvider({
    redirectUris: [`${APP_ORIGIN}/sign-in/sso/callback`],
    accounts: [
      {
        username: 'ada',
        email: 'Ada.Lovelace@nhs.example',
        email_verified: true,
        name: 'Ada Lovelace',
      },
      { username: 'unverified', email: 'eve@nhs.example', email_verified: false, name: 'Eve' },
      { username: 'no-email', name: 'Nobody' },
      // Like Microsoft Entra ID: an email claim, but no email_verified at all.
      { username: 'entra-style', email: 'entra@nhs.example', name: 'Ena Tra' },
      {
        username: 'grace-sso',
        email: 'grace@nhs.example',
        email_verified: true,
        name: 'G. Hopper',
      },
      {
        username: 'mallory-target',
        email: 'target@nhs.example',
        email_verified: true,
        given_name: 'Tamsin',
        family_name: 'Target',
      },
    ],
  });
  app = await buildTestApp({
    PUBLIC_URL: APP_ORIGIN,
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_DISPLAY_NAME: PROVIDER_NAME,
  });
});
afterAll(async () => {
  await app.close();
  await provider.close();
});

/** A browser's view of the provider: follows nothing by itself, keeps the provider's cookies. */
class ProviderSession {
  private cookies = new Map<string, string>();

  async request(url: string, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      headers,
      body: form ? new URLSearchParams(form).toString() : null,
      redirect: 'manual',
    });
    for (const set of response.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(set)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

/**
 * From the app's redirect to the provider, through the provider's login form (typing
 * `username`, or pressing Cancel), to the URL the provider sends the browser back to.
 */
async function throughProvider(
  authorizeUrl: string,
  username: string,
  choice: 'login' | 'abort' = 'login',
): Promise<URL> {
  const session = new ProviderSession();
  let url = authorizeUrl;
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(`${APP_ORIGIN}/`)) return new URL(url);
    const response = await session.request(url);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location') ?? '', url).href;
      continue;
    }
    const html = await response.text();
    expect(response.status, html).toBe(200);
    const action = parseHtml(html)(`form[action$="/${choice}"]`).attr('action');
    if (!action) throw new Error(`no ${choice} form at the provider: ${html}`);
    const submitted = await session.request(
      new URL(action, url).href,
      choice === 'login' ? { login: username } : {},
    );
    expect(submitted.status).toBe(303);
    url = new URL(submitted.headers.get('location') ?? '', url).href;
  }
  throw new Error('too many redirects at the provider');
}

/** Starts SSO in the app, signs in at the provider and returns the app's callback response. */
async function signInWithSso(
  browser: Browser,
  username: string,
  options: { start?: string; choice?: 'login' | 'abort'; tamper?: (url: URL) => void } = {},
) {
  const start = await browser.get(options.start ?? '/sign-in/sso');
  expect(start.response.statusCode).toBe(303);
  const authorize = new URL(String(start.response.headers.location));
  expect(authorize.origin).toBe(provider.issuer);
  const callback = await throughProvider(authorize.href, username, options.choice);
  expect(callback.pathname).toBe('/sign-in/sso/callback');
  options.tamper?.(callback);
  return browser.get(callback.pathname + callback.search);
}

const findPerson = (email: string) => app.services.accounts.findPersonByEmail(email);
const actions = async (personId: string) =>
  (await app.services.audit.listForPerson(personId, 50)).map((e) => ({
    action: e.action,
    details: e.details,
  }));

describe('single sign-on', () => {
  it('offers "Sign in with <provider>" on the sign-in page, keeping where to return', async () => {
    const page = await new Browser(app).get('/sign-in');
    const button = page.$('a.nhsuk-button[href^="/sign-in/sso"]');
    expect(button.text().trim()).toBe(`Sign in with ${PROVIDER_NAME}`);
    expect(button.attr('href')).toBe('/sign-in/sso');
    const withReturn = await new Browser(app).get('/sign-in?returnTo=/account/delete');
    expect(withReturn.$('a.nhsuk-button[href^="/sign-in/sso"]').attr('href')).toBe(
      '/sign-in/sso?returnTo=%2Faccount%2Fdelete',
    );
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce, and no secret', async () => {
    const start = await new Browser(app).get('/sign-in/sso');
    expect(start.response.statusCode).toBe(303);
    expect(start.response.headers['cache-control']).toBe('no-store');
    const url = new URL(String(start.response.headers.location));
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: provider.clientId,
      redirect_uri: `${APP_ORIGIN}/sign-in/sso/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    for (const name of ['state', 'nonce', 'code_challenge'])
      expect(url.searchParams.get(name)).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(url.href).not.toContain(provider.clientSecret);
  });

  it('creates an account on a first sign-in with a verified email, then reuses it', async () => {
    const browser = new Browser(app);
    await browser.get('/sign-in');
    const before = browser.cookie;
    const first = await signInWithSso(browser, 'ada');
    expect(first.response.statusCode).toBe(303);
    expect(first.response.headers.location).toBe('/account');
    expect(browser.cookie).not.toBe(before); // a new session id at sign-in

    const person = await findPerson('ada.lovelace@nhs.example');
    expect(person).toMatchObject({
      displayName: 'Ada Lovelace',
      email: 'ada.lovelace@nhs.example',
    });
    if (!person) throw new Error('no account');
    expect(await app.services.accounts.findPerson(person.id)).toMatchObject({ hasPassword: false });
    expect(await actions(person.id)).toEqual(
      expect.arrayContaining([
        { action: 'account.registered', details: { via: 'sso' } },
        {
          action: 'sso.identity-linked',
          details: { issuer: provider.issuer, existingAccount: false },
        },
        { action: 'sign-in.succeeded', details: { method: 'sso' } },
      ]),
    );

    const account = await browser.get('/account');
    expect(account.response.statusCode).toBe(200);
    expect(textOf(account.$, '.nhsuk-header__account')).toContain('Ada Lovelace');
    const rows = account
      .$('.nhsuk-summary-list__row')
      .toArray()
      .map((row) => account.$(row).text().replace(/\s+/g, ' ').trim());
    expect(rows).toContain(`How you sign in With ${PROVIDER_NAME}`);
    expect(account.$('a[href="/account/password"]')).toHaveLength(0);
    const noPassword = await browser.get('/account/password');
    expect(textOf(noPassword.$, 'h1')).toBe('Your account has no password');

    // Signing in again, in another browser, finds the same person through (issuer, sub).
    const again = new Browser(app);
    const second = await signInWithSso(again, 'ada', {
      start: '/sign-in/sso?returnTo=/account/delete',
    });
    expect(second.response.headers.location).toBe('/account/delete');
    const page = await again.get('/account');
    expect(textOf(page.$, '.nhsuk-header__account')).toContain('Ada Lovelace');
    expect((await findPerson('ada.lovelace@nhs.example'))?.id).toBe(person.id);
    expect(await app.services.accounts.listIdentities(person.id)).toHaveLength(1);
  });

  it('links an existing password account by verified email; both ways of signing in then work', async () => {
    await app.services.accounts.createConfirmedAccount({
      email: 'grace@nhs.example',
      displayName: 'Grace Hopper',
      password: PASSWORD,
    });
    const existing = await findPerson('grace@nhs.example');
    if (!existing) throw new Error('no account');

    const browser = new Browser(app);
    const signedIn = await signInWithSso(browser, 'grace-sso');
    expect(signedIn.response.headers.location).toBe('/account');
    const account = await browser.get('/account');
    // The existing account, with its own name, not a new one named from the provider's claims.
    expect(textOf(account.$, '.nhsuk-header__account')).toContain('Grace Hopper');
    expect(textOf(account.$, '.nhsuk-summary-list')).toContain(
      `With your email address and password or ${PROVIDER_NAME}`,
    );
    expect(account.$('a[href="/account/password"]')).toHaveLength(1);
    expect(await app.services.accounts.findPerson(existing.id)).toMatchObject({
      hasPassword: true,
    });
    expect(await actions(existing.id)).toContainEqual({
      action: 'sso.identity-linked',
      details: { issuer: provider.issuer, existingAccount: true },
    });

    const withPassword = new Browser(app);
    await withPassword.get('/sign-in');
    const passwordSignIn = await withPassword.post('/sign-in', {
      email: 'grace@nhs.example',
      password: PASSWORD,
    });
    expect(passwordSignIn.response.headers.location).toBe('/account');
  });

  it('removes the password of an unconfirmed account it links (nobody proved they owned it)', async () => {
    // Someone registers the address first, with a password of their choosing, never confirming.
    await app.services.accounts.register({
      displayName: 'Not Tamsin',
      email: 'target@nhs.example',
      password: PASSWORD,
    });
    const squatted = await findPerson('target@nhs.example');
    if (!squatted) throw new Error('no account');

    const signedIn = await signInWithSso(new Browser(app), 'mallory-target');
    expect(signedIn.response.headers.location).toBe('/account');
    expect(await app.services.accounts.findPerson(squatted.id)).toMatchObject({
      hasPassword: false,
    });
    expect(await actions(squatted.id)).toContainEqual({
      action: 'sso.identity-linked',
      details: { issuer: provider.issuer, existingAccount: true, unconfirmedPasswordRemoved: true },
    });
    const attacker = new Browser(app);
    await attacker.get('/sign-in');
    const refused = await attacker.post('/sign-in', {
      email: 'target@nhs.example',
      password: PASSWORD,
    });
    expect(refused.response.statusCode).toBe(401);
  });

  it('refuses an email address the provider does not vouch for, and one it does not give', async () => {
    const browser = new Browser(app);
    const refused = await signInWithSso(browser, 'unverified');
    expect(refused.response.statusCode).toBe(403);
    expect(textOf(refused.$, 'h1')).toBe(`You cannot sign in with ${PROVIDER_NAME}`);
    expect(textOf(refused.$, 'main')).toContain('did not confirm that your email address');
    expect(refused.$('a[href="/sign-in"]').text()).toContain('email address and password');
    expect(await findPerson('eve@nhs.example')).toBeUndefined();
    const account = await browser.get('/account');
    expect(account.response.statusCode).toBe(303);

    const noEmail = await signInWithSso(new Browser(app), 'no-email');
    expect(noEmail.response.statusCode).toBe(403);
    expect(textOf(noEmail.$, 'main')).toContain('did not tell us your email address');

    // No email_verified at all is not vouching either, unless OIDC_TRUST_EMAIL says so (below).
    const entra = await signInWithSso(new Browser(app), 'entra-style');
    expect(entra.response.statusCode).toBe(403);
    expect(await findPerson('entra@nhs.example')).toBeUndefined();
  });

  it('with OIDC_TRUST_EMAIL, accepts an email claim sent without email_verified, but not "false"', async () => {
    const trusting = await buildTestApp({
      PUBLIC_URL: APP_ORIGIN,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_DISPLAY_NAME: PROVIDER_NAME,
      OIDC_TRUST_EMAIL: 'true',
    });
    try {
      const accepted = await signInWithSso(new Browser(trusting), 'entra-style');
      expect(accepted.response.headers.location).toBe('/account');
      expect(await trusting.services.accounts.findPersonByEmail('entra@nhs.example')).toMatchObject(
        { displayName: 'Ena Tra' },
      );
      const refused = await signInWithSso(new Browser(trusting), 'unverified');
      expect(refused.response.statusCode).toBe(403);
    } finally {
      await trusting.close();
    }
  });

  it('refuses a tampered state, and a callback that was already used or never started', async () => {
    const browser = new Browser(app);
    let genuine: URL | undefined;
    const tampered = await signInWithSso(browser, 'ada', {
      tamper: (url) => {
        genuine = new URL(url);
        url.searchParams.set('state', 'x'.repeat(43));
      },
    });
    expect(tampered.response.statusCode).toBe(400);
    expect(textOf(tampered.$, 'h1')).toBe('Your sign-in did not work');
    expect(tampered.$('a.nhsuk-button').attr('href')).toBe('/sign-in/sso');
    expect((await browser.get('/account')).response.statusCode).toBe(303);

    // The genuine response is now useless too: the pending sign-in was spent.
    if (!genuine) throw new Error('no callback');
    const replayed = await browser.get(genuine.pathname + genuine.search);
    expect(replayed.response.statusCode).toBe(400);
    expect(textOf(replayed.$, 'main')).toContain('not started from this browser');
    expect((await browser.get('/account')).response.statusCode).toBe(303);

    const stranger = await new Browser(app).get('/sign-in/sso/callback?code=abc&state=def');
    expect(stranger.response.statusCode).toBe(400);
  });

  it('says plainly when the person cancels at the provider', async () => {
    const cancelled = await signInWithSso(new Browser(app), 'ada', {
      start: '/sign-in/sso?returnTo=/account',
      choice: 'abort',
    });
    expect(cancelled.response.statusCode).toBe(400);
    expect(textOf(cancelled.$, 'h1')).toBe('You did not sign in');
    expect(cancelled.$('a.nhsuk-button').attr('href')).toBe('/sign-in/sso?returnTo=%2Faccount');
    expect(cancelled.$('a[href="/sign-in?returnTo=%2Faccount"]')).toHaveLength(1);
  });

  it('lets someone without a password download their data and delete their account', async () => {
    const browser = new Browser(app);
    provider.setAccount({
      username: 'leaving',
      email: 'leaving@nhs.example',
      email_verified: true,
      name: 'Lee Ving',
    });
    await signInWithSso(browser, 'leaving');

    const download = await app.inject({
      url: '/account/download',
      headers: { cookie: browser.cookie },
    });
    expect(download.statusCode).toBe(200);
    const data = download.json<{ singleSignOnIdentities: Record<string, unknown>[] }>();
    expect(data.singleSignOnIdentities).toEqual([
      {
        issuer: provider.issuer,
        email: 'leaving@nhs.example',
        linkedAt: expect.any(String) as unknown,
        lastUsedAt: expect.any(String) as unknown,
      },
    ]);
    expect(download.body).not.toMatch(/token|subject|"sub"/i);

    const form = await browser.get('/account/delete');
    expect(form.$('input[type="password"]')).toHaveLength(0);
    expect(form.$('input[type="checkbox"][name="understood"]').attr('id')).toBe('understood');
    const unticked = await browser.post('/account/delete', {});
    expect(unticked.response.statusCode).toBe(422);
    expect(unticked.$('title').text()).toMatch(/^Error: /);
    expect(unticked.$('.nhsuk-error-summary a').attr('href')).toBe('#understood');
    await browser.get('/account/delete');
    const deleted = await browser.post('/account/delete', { understood: 'yes' });
    expect(deleted.response.headers.location).toBe('/account-deleted');
    expect(await findPerson('leaving@nhs.example')).toBeUndefined();

    // The identity went with the account: signing in again makes a new one.
    const again = await signInWithSso(new Browser(app), 'leaving');
    expect(again.response.headers.location).toBe('/account');
    expect(await findPerson('leaving@nhs.example')).toBeDefined();
  });
});

describe('single sign-on when the provider cannot be reached', () => {
  it('shows a page saying to try later or use a password, not an error', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => {
          resolve(free);
        });
      });
    });
    const down = await buildTestApp({
      OIDC_ISSUER: `http://127.0.0.1:${port}`,
      OIDC_CLIENT_ID: 'digicap',
      OIDC_CLIENT_SECRET: 'never shown anywhere',
      OIDC_DISPLAY_NAME: PROVIDER_NAME,
    });
    try {
      const page = await new Browser(down).get('/sign-in/sso?returnTo=/account');
      expect(page.response.statusCode).toBe(503);
      expect(textOf(page.$, 'h1')).toBe(
        'Sorry, you cannot sign in with single sign-on at the moment',
      );
      expect(textOf(page.$, 'main')).toContain(`We could not reach ${PROVIDER_NAME}`);
      expect(page.$('a[href="/sign-in?returnTo=%2Faccount"]').text()).toContain('password');
      expect(page.response.body).not.toContain('never shown anywhere');
    } finally {
      await down.close();
    }
  });
});

describe('without single sign-on configured', () => {
  it('has no button and no SSO routes', async () => {
    const plain = await buildTestApp();
    try {
      const signIn = await new Browser(plain).get('/sign-in');
      expect(signIn.response.statusCode).toBe(200);
      expect(signIn.$('a[href^="/sign-in/sso"]')).toHaveLength(0);
      expect((await plain.inject('/sign-in/sso')).statusCode).toBe(404);
      expect((await plain.inject('/sign-in/sso/callback?code=a&state=b')).statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
