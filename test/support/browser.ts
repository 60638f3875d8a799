/**
 * A browser for page tests through app.inject(): keeps the session cookie and reads the CSRF
 * token from the last form it saw, as a real browser would submit it.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SESSION_COOKIE } from '../../src/platform/session.js';
import { parseHtml } from './html.js';

export class Browser {
  cookie = '';
  lastCsrf = '';

  /** `remoteAddress` lets a test act from its own IP address (sign-in is rate limited per IP). */
  constructor(
    private readonly app: FastifyInstance,
    private readonly remoteAddress = '127.0.0.1',
  ) {}

  private remember(response: LightMyRequestResponse) {
    const set = response.cookies.find((c) => c.name === SESSION_COOKIE);
    if (set) this.cookie = set.value ? `${SESSION_COOKIE}=${set.value}` : '';
  }

  async get(url: string) {
    const response = await this.app.inject({
      url,
      remoteAddress: this.remoteAddress,
      headers: this.cookie ? { cookie: this.cookie } : {},
    });
    this.remember(response);
    const $ = parseHtml(response.body);
    this.lastCsrf = $('input[name="_csrf"]').attr('value') ?? this.lastCsrf;
    return { response, $ };
  }

  async post(url: string, fields: Record<string, string | string[]>, csrf = this.lastCsrf) {
    const response = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.remoteAddress,
      headers: this.cookie ? { cookie: this.cookie } : {},
      payload: { ...fields, _csrf: csrf },
    });
    this.remember(response);
    return { response, $: parseHtml(response.body) };
  }
}

/**
 * Posts multipart/form-data (a file upload) the way a browser's form does, with the CSRF field.
 * Kept here so page tests and the authorisation matrix share one encoder.
 */
export async function postMultipart(
  browser: Browser,
  app: FastifyInstance,
  url: string,
  fields: Record<string, string>,
  file: { field: string; filename: string; contentType: string; content: string },
  csrf = browser.lastCsrf,
) {
  const boundary = `----digicapTest${String(Date.now())}`;
  const parts = Object.entries({ _csrf: csrf, ...fields }).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n${file.content}\r\n`,
  );
  const response = await app.inject({
    method: 'POST',
    url,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(browser.cookie ? { cookie: browser.cookie } : {}),
    },
    payload: `${parts.join('')}--${boundary}--\r\n`,
  });
  return { response, $: parseHtml(response.body) };
}

/** Creates a confirmed account through the accounts service and signs it in; returns both. */
export async function signedInBrowser(
  app: FastifyInstance,
  person: { email: string; displayName: string; password?: string },
): Promise<{ browser: Browser; personId: string }> {
  const password = person.password ?? TEST_PASSWORD;
  const existing = await app.services.accounts.findPersonByEmail(person.email);
  const personId =
    existing?.id ??
    (
      await app.services.accounts.createConfirmedAccount({
        email: person.email,
        displayName: person.displayName,
        password,
      })
    ).personId;
  const browser = new Browser(app, nextTestAddress());
  await browser.get('/sign-in');
  const signIn = await browser.post('/sign-in', { email: person.email, password });
  if (signIn.response.statusCode !== 303)
    throw new Error(`could not sign in ${person.email}: ${String(signIn.response.statusCode)}`);
  await browser.get('/account');
  return { browser, personId };
}

/** A password that passes the policy, for test accounts. */
export const TEST_PASSWORD = 'copper lantern meadow finch';

let addressCounter = 0;
/** A fresh loopback-style address from TEST-NET-2 per call, so rate limits per IP never trip. */
export function nextTestAddress(): string {
  addressCounter += 1;
  return `198.51.${String(Math.floor(addressCounter / 250) % 250)}.${String((addressCounter % 250) + 1)}`;
}
