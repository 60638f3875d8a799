/**
 * A signed-in client for app.inject(), as a browser behind the TLS proxy of a production
 * deployment: it says the request came over https (X-Forwarded-Proto, with TRUST_PROXY set), so
 * the Secure session cookie is kept, and it times each page without parsing it.
 */
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { parseHtml } from '../../test/support/html.js';
import { SESSION_COOKIE } from '../../src/platform/session.js';

let addressCounter = 0;

export class SignedInClient {
  private constructor(
    private readonly app: FastifyInstance,
    private readonly cookie: string,
    private readonly remoteAddress: string,
  ) {}

  static async signIn(app: FastifyInstance, email: string, password: string) {
    addressCounter += 1;
    const remoteAddress = `198.51.100.${String(addressCounter % 250)}`;
    const headers = { 'x-forwarded-proto': 'https' };
    const form = await app.inject({ url: '/sign-in', remoteAddress, headers });
    let cookie = cookieOf(form.cookies) ?? '';
    const csrf = parseHtml(form.body)('input[name="_csrf"]').attr('value') ?? '';
    const signIn = await app.inject({
      method: 'POST',
      url: '/sign-in',
      remoteAddress,
      headers: { ...headers, ...(cookie ? { cookie } : {}) },
      payload: { email, password, _csrf: csrf },
    });
    if (signIn.statusCode !== 303)
      throw new Error(`could not sign in ${email}: ${String(signIn.statusCode)}`);
    cookie = cookieOf(signIn.cookies) ?? cookie;
    if (!cookie) throw new Error(`no session cookie for ${email}`);
    return new SignedInClient(app, cookie, remoteAddress);
  }

  /** GET a page: its status, body size and milliseconds. */
  async get(url: string): Promise<{ status: number; bytes: number; ms: number; body: string }> {
    const start = performance.now();
    const response = await this.app.inject({
      url,
      remoteAddress: this.remoteAddress,
      headers: { 'x-forwarded-proto': 'https', cookie: this.cookie },
    });
    const ms = performance.now() - start;
    return {
      status: response.statusCode,
      bytes: response.rawPayload.length,
      ms,
      body: response.body,
    };
  }
}

function cookieOf(cookies: readonly { name: string; value: string }[]): string | undefined {
  const set = cookies.find((c) => c.name === SESSION_COOKIE);
  return set?.value ? `${SESSION_COOKIE}=${set.value}` : undefined;
}
