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

  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse) {
    const set = response.cookies.find((c) => c.name === SESSION_COOKIE);
    if (set) this.cookie = set.value ? `${SESSION_COOKIE}=${set.value}` : '';
  }

  async get(url: string) {
    const response = await this.app.inject({
      url,
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
      headers: this.cookie ? { cookie: this.cookie } : {},
      payload: { ...fields, _csrf: csrf },
    });
    this.remember(response);
    return { response, $: parseHtml(response.body) };
  }
}
