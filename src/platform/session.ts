/**
 * Sessions and CSRF. Server-side sessions (store: accounts/session-store.ts) behind an HttpOnly,
 * SameSite=Lax cookie that is Secure outside development; a session is created only when
 * something is stored in it. Every state-changing request (anything but GET, HEAD, OPTIONS)
 * must carry the session's CSRF token (a `_csrf` form field or an `x-csrf-token` header):
 * deny by default, in tests too.
 */
import fastifyCookie, { Signer } from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifySession from '@fastify/session';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import type { DatabaseSessionStore } from '../modules/accounts/session-store.js';

declare module 'fastify' {
  interface Session {
    /** The signed-in person, when there is one. */
    personId?: string;
    /** Their name, for the page header (saves a query on every page). */
    displayName?: string;
    /** The organisation the person is working in now, when they belong to several. */
    currentOrganisationId?: string;
  }
}

export const SESSION_COOKIE = 'digicap_session';

/** Who is signed in, for the page header: set by either plugin below, read by the views. */
export interface Viewer {
  personId: string;
  displayName: string;
}

function setViewer(reply: FastifyReply, viewer: Viewer | undefined): void {
  reply.locals = { ...reply.locals, currentUser: viewer };
}
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
  app.addHook('onRequest', async (request, reply) => {
    const { personId, displayName } = request.session;
    setViewer(
      reply,
      personId ? { personId, displayName: displayName ?? 'Your account' } : undefined,
    );
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method)) {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });
}

/**
 * For public pages, which never change state: reads the session only when the cookie is
 * present, to show who is signed in. Unlike @fastify/session, it builds nothing for visitors
 * without a cookie (most explorer traffic), which keeps cached public pages cheap
 * (docs/decisions/004-page-cache.md). Pages here have no CSRF check because they take no
 * state-changing requests: register those in the sessions context.
 */
export async function registerSessionReader(
  app: FastifyInstance,
  config: Pick<Config, 'sessionSecret'>,
  store: DatabaseSessionStore,
): Promise<void> {
  await app.register(fastifyCookie);
  const signer = new Signer(config.sessionSecret, 'sha256');
  app.addHook('onRequest', async (request, reply) => {
    const raw = request.cookies[SESSION_COOKIE];
    if (!raw) return;
    const { valid, value } = signer.unsign(raw);
    if (!valid || !value) return;
    const session = await new Promise<{ personId?: string; displayName?: string } | null>(
      (resolve, reject) => {
        store.get(value, (error, found) => {
          if (error) reject(error instanceof Error ? error : new Error('session store failed'));
          else resolve(found ?? null);
        });
      },
    );
    if (session?.personId) {
      setViewer(reply, {
        personId: session.personId,
        displayName: session.displayName ?? 'Your account',
      });
    }
  });
}
