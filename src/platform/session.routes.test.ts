/**
 * Sessions and CSRF on a minimal Fastify app with throwaway routes; runs on PGlite and on
 * PostgreSQL. Two app instances share one database, as when the product is scaled out.
 */
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/test-database.js';
import { sessionRepository } from '../modules/accounts/session.repository.js';
import { createSessionStore, hashSessionId } from '../modules/accounts/session-store.js';
import type { Database } from './db/index.js';
import { registerSessions, SESSION_COOKIE } from './session.js';

let database: Database;
let clock = new Date('2026-11-25T09:00:00Z');
const config = { sessionSecret: 's'.repeat(48), sessionIdleMinutes: 30, nodeEnv: 'test' as const };
const timeouts = { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000 };

async function instance(): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(formbody);
  await registerSessions(
    app,
    config,
    createSessionStore(database, timeouts, () => clock),
  );
  app.get('/form', (_request, reply) => ({ token: reply.generateCsrf() }));
  app.post('/submit', () => ({ ok: true }));
  app.post('/sign-in-as', async (request) => {
    await request.session.regenerate();
    request.session.personId = (request.body as { personId: string }).personId;
    return { ok: true };
  });
  app.get('/me', (request) => ({ personId: request.session.personId ?? null }));
  await app.ready();
  return app;
}

let a: FastifyInstance;
let b: FastifyInstance;
beforeAll(async () => {
  database = await createTestDatabase();
  [a, b] = await Promise.all([instance(), instance()]);
});
afterAll(async () => {
  await a.close();
  await b.close();
  await database.close();
});

function cookieFrom(response: { cookies: { name: string; value: string }[] }): string {
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('no session cookie was set');
  return `${SESSION_COOKIE}=${cookie.value}`;
}

async function startForm(app: FastifyInstance) {
  const response = await app.inject({ url: '/form' });
  return {
    cookie: cookieFrom(response),
    token: response.json<{ token: string }>().token,
    response,
  };
}

async function personIdOf(personEmail: string): Promise<string> {
  const result = await database.db.execute(
    sql`insert into people (email, display_name) values (${personEmail}, 'Test Person') returning id`,
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: { id: string }[] }).rows) as {
    id: string;
  }[];
  return rows[0]?.id ?? '';
}

describe('sessions', () => {
  it('are not created for visitors who store nothing', async () => {
    const response = await a.inject({ url: '/me' });
    expect(response.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
  });

  it('use an HttpOnly, SameSite=Lax cookie for the whole site', async () => {
    const { response } = await startForm(a);
    const header = String(response.headers['set-cookie']);
    expect(header).toContain(`${SESSION_COOKIE}=`);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Lax');
    expect(header).toContain('Path=/');
  });

  it('are shared by app instances on one database, and stored only as a hash of the id', async () => {
    const personId = await personIdOf('shared@example.org');
    const { cookie, token } = await startForm(a);
    const signIn = await a.inject({
      method: 'POST',
      url: '/sign-in-as',
      headers: { cookie, 'x-csrf-token': token },
      payload: { personId },
    });
    expect(signIn.statusCode).toBe(200);
    const signedIn = cookieFrom(signIn);
    const me = await b.inject({ url: '/me', headers: { cookie: signedIn } });
    expect(me.json()).toEqual({ personId });
    const rawId = decodeURIComponent(signedIn.split('=')[1] ?? '').split('.')[0] ?? '';
    const stored = await database.db.execute(sql`select id from sessions`);
    const ids = (
      (Array.isArray(stored) ? stored : (stored as { rows: { id: string }[] }).rows) as {
        id: string;
      }[]
    ).map((r) => r.id);
    expect(ids).toContain(hashSessionId(rawId));
    expect(ids).not.toContain(rawId);
  });

  it('get a new id at sign-in, and the old id stops working', async () => {
    const personId = await personIdOf('rotate@example.org');
    const { cookie, token } = await startForm(a);
    const signIn = await a.inject({
      method: 'POST',
      url: '/sign-in-as',
      headers: { cookie, 'x-csrf-token': token },
      payload: { personId },
    });
    const rotated = cookieFrom(signIn);
    expect(rotated).not.toBe(cookie);
    expect((await a.inject({ url: '/me', headers: { cookie } })).json()).toEqual({
      personId: null,
    });
    expect((await a.inject({ url: '/me', headers: { cookie: rotated } })).json()).toEqual({
      personId,
    });
  });

  it('end after the idle timeout, and after the absolute timeout however active', async () => {
    const personId = await personIdOf('timeouts@example.org');
    const { cookie, token } = await startForm(a);
    const signedIn = cookieFrom(
      await a.inject({
        method: 'POST',
        url: '/sign-in-as',
        headers: { cookie, 'x-csrf-token': token },
        payload: { personId },
      }),
    );
    const start = clock;
    try {
      // Active every 20 minutes: the idle timeout (30) never passes…
      for (let minutes = 20; minutes < 8 * 60; minutes += 20) {
        clock = new Date(start.getTime() + minutes * 60_000);
        expect(
          (await a.inject({ url: '/me', headers: { cookie: signedIn } })).json(),
          `${minutes} min`,
        ).toEqual({ personId });
      }
      // …but the absolute timeout (8 hours) does.
      clock = new Date(start.getTime() + 8 * 3_600_000 + 60_000);
      expect((await a.inject({ url: '/me', headers: { cookie: signedIn } })).json()).toEqual({
        personId: null,
      });

      const fresh = await startForm(a);
      const other = cookieFrom(
        await a.inject({
          method: 'POST',
          url: '/sign-in-as',
          headers: { cookie: fresh.cookie, 'x-csrf-token': fresh.token },
          payload: { personId },
        }),
      );
      clock = new Date(clock.getTime() + 31 * 60_000);
      expect((await a.inject({ url: '/me', headers: { cookie: other } })).json()).toEqual({
        personId: null,
      });
    } finally {
      clock = start;
    }
  });

  it('can all be ended for a person ("sign out everywhere")', async () => {
    const personId = await personIdOf('everywhere@example.org');
    const cookies: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { cookie, token } = await startForm(i % 2 === 0 ? a : b);
      cookies.push(
        cookieFrom(
          await a.inject({
            method: 'POST',
            url: '/sign-in-as',
            headers: { cookie, 'x-csrf-token': token },
            payload: { personId },
          }),
        ),
      );
    }
    expect(await sessionRepository.deleteForPerson(database.db, personId)).toBe(3);
    for (const cookie of cookies)
      expect((await b.inject({ url: '/me', headers: { cookie } })).json()).toEqual({
        personId: null,
      });
  });
});

describe('CSRF protection', () => {
  it('refuses a state-changing request without a token', async () => {
    const { cookie } = await startForm(a);
    const response = await a.inject({
      method: 'POST',
      url: '/submit',
      headers: { cookie },
      payload: { x: '1' },
    });
    expect(response.statusCode).toBe(403);
  });

  it('refuses a request with no session at all', async () => {
    const response = await a.inject({
      method: 'POST',
      url: '/submit',
      payload: { _csrf: 'made-up' },
    });
    expect(response.statusCode).toBe(403);
  });

  it('refuses a token that belongs to another session', async () => {
    const mine = await startForm(a);
    const theirs = await startForm(a);
    const response = await a.inject({
      method: 'POST',
      url: '/submit',
      headers: { cookie: mine.cookie },
      payload: { _csrf: theirs.token },
    });
    expect(response.statusCode).toBe(403);
  });

  it('accepts the session’s token as a form field or a header', async () => {
    const { cookie, token } = await startForm(a);
    const asField = await a.inject({
      method: 'POST',
      url: '/submit',
      headers: { cookie },
      payload: { _csrf: token },
    });
    expect(asField.statusCode).toBe(200);
    const asHeader = await b.inject({
      method: 'POST',
      url: '/submit',
      headers: { cookie, 'x-csrf-token': token },
    });
    expect(asHeader.statusCode).toBe(200);
  });
});
