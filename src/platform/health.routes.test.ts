/** GET /health reports the database; runs on PGlite and PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { parseHtml } from '../../test/support/html.js';
import { buildTestApp } from '../../test/support/test-app.js';

describe('GET /health', () => {
  it('is 200 {"status":"ok"} while the database answers, and 503 once it does not', async () => {
    const app = await buildTestApp();
    try {
      const ok = await app.inject({ url: '/health' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
      expect(ok.headers['cache-control']).toBe('no-store');

      await app.services.database.close();
      const down = await app.inject({ url: '/health' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'error', checks: { database: 'unreachable' } });

      // A page that needs the database now fails with the NHS-styled 500 page, no stack trace.
      const page = await app.inject({ url: '/' });
      expect(page.statusCode).toBe(500);
      const $ = parseHtml(page.body);
      expect($('h1').text()).toBe('Sorry, there is a problem with the service');
      expect($('header.nhsuk-header').length).toBe(1);
      expect($('pre').length).toBe(0);
      expect(page.body).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      await app.close();
    }
  });
});
