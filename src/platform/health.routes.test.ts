/** GET /health reports the database; runs on PGlite and PostgreSQL. */
import { describe, expect, it } from 'vitest';
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
    } finally {
      await app.close();
    }
  });
});
