/**
 * Sessions and CSRF. Server-side sessions (store: accounts/session-store.ts) behind an HttpOnly,
 * SameSite=Lax cookie that is Secure outside development; a session is created only when
 * something is stored in it. Every state-changing request (anything but GET, HEAD, OPTIONS)
 * must carry the session's CSRF token (a `_csrf` form field or an `x-csrf-token` header):
 * deny by default, in tests too.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifySession from '@fastify/session';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { DatabaseSessionStore } from '../modules/accounts/session-store.js';

declare module 'fastify' {
  interface Session {
    /** The signed-in person, when there is one. */
    personId?: string;
    /** Their name, for the page header (saves a query on every page). */
    displayName?: string;
  }
}

export const SESSION_COOKIE = 'digicap_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function registerSessions(
  app: FastifyInstance,
  config: Pick<Config, 'sessionSecret' | 'sessionIdleMinutes' | 'nodeEnv'>,
  store: DatabaseSessionStore,
): Promise<void> {
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: config.sessionSecret,
    cookieName: SESSION_COOKIE,
    store,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.nodeEnv !== 'development' && config.nodeEnv !== 'test',
      path: '/',
      maxAge: config.sessionIdleMinutes * 60_000,
    },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method)) {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });
}
