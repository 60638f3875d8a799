/**
 * Single sign-on pages: GET /sign-in/sso sends the browser to the provider (remembering state,
 * nonce, PKCE verifier and where to return in the session); GET /sign-in/sso/callback completes
 * the sign-in with a new session id. Registered in the sessions context, and only when SSO is
 * configured: otherwise both are 404s.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { safeReturnTo } from '../../platform/forms.js';
import {
  type PendingSso,
  type SsoFailure,
  SsoFailedError,
  type SsoRefusal,
  SsoRefusedError,
  type SsoService,
  SsoUnavailableError,
} from './sso.service.js';

declare module 'fastify' {
  interface Session {
    /** A single sign-on in progress: set when the browser leaves for the provider. */
    sso?: PendingSso;
  }
}

const hide = { schema: { hide: true } };

interface ProblemPage {
  pageTitle: string;
  paragraphs: string[];
  /** Offer to start again at the provider. */
  retry: boolean;
}

function problemFor(error: SsoFailedError | SsoRefusedError | SsoUnavailableError, name: string) {
  if (error instanceof SsoUnavailableError)
    return {
      pageTitle: 'Sorry, you cannot sign in with single sign-on at the moment',
      paragraphs: [
        `We could not reach ${name}. Try again in a few minutes.`,
        'If you have a digicap password, you can sign in with your email address and password instead.',
      ],
      retry: true,
    };
  if (error instanceof SsoRefusedError) {
    const why: Record<SsoRefusal, string> = {
      'email-not-verified': `${name} did not confirm that your email address belongs to you, so we cannot use it to sign you in or create your account.`,
      'no-email': `${name} did not tell us your email address, so we cannot sign you in or create your account.`,
    };
    return {
      pageTitle: `You cannot sign in with ${name}`,
      paragraphs: [
        why[error.reason],
        'Ask your IT service desk to check your account, or sign in with your email address and password if you have a digicap account.',
      ],
      retry: false,
    };
  }
  const why: Record<SsoFailure, { title: string; text: string }> = {
    cancelled: {
      title: 'You did not sign in',
      text: `${name} did not sign you in, perhaps because you cancelled. You can try again.`,
    },
    'provider-error': {
      title: 'Your sign-in did not work',
      text: `${name} could not sign you in. Try again, and if it keeps happening, ask your IT service desk.`,
    },
    'no-pending-sign-in': {
      title: 'Your sign-in did not work',
      text: 'This sign-in was not started from this browser, or it has already been used. Start again.',
    },
    expired: {
      title: 'Your sign-in took too long',
      text: 'For your security, a sign-in must be finished within a few minutes. Start again.',
    },
    'invalid-response': {
      title: 'Your sign-in did not work',
      text: `We could not check what ${name} sent back, so we have not signed you in. Start again.`,
    },
  };
  const { title, text } = why[error.reason];
  return { pageTitle: title, paragraphs: [text], retry: true };
}

async function renderProblem(
  reply: FastifyReply,
  sso: SsoService,
  page: ProblemPage,
  status: number,
  returnTo: string | undefined,
) {
  reply.header('cache-control', 'no-store');
  const query = returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : '';
  return reply.status(status).viewAsync('accounts/views/sso-problem.njk', {
    ...page,
    providerName: sso.displayName,
    retryHref: page.retry ? `/sign-in/sso${query}` : undefined,
    signInHref: `/sign-in${query}`,
  });
}

const isSsoError = (
  error: unknown,
): error is SsoFailedError | SsoRefusedError | SsoUnavailableError =>
  error instanceof SsoFailedError ||
  error instanceof SsoRefusedError ||
  error instanceof SsoUnavailableError;

export function registerSsoRoutes(app: FastifyInstance, sso: SsoService): void {
  app.get<{ Querystring: { returnTo?: string } }>('/sign-in/sso', hide, async (request, reply) => {
    const returnTo = safeReturnTo(request.query.returnTo);
    if (request.session.personId) return reply.redirect(returnTo ?? '/account', 303);
    try {
      const { url, pending } = await sso.start(returnTo);
      request.session.sso = pending;
      reply.header('cache-control', 'no-store');
      return await reply.redirect(url, 303);
    } catch (error) {
      if (!(error instanceof SsoUnavailableError)) throw error;
      request.log.warn({ detail: error.detail }, 'single sign-on provider unavailable');
      return renderProblem(reply, sso, problemFor(error, sso.displayName), 503, returnTo);
    }
  });

  app.get('/sign-in/sso/callback', hide, async (request, reply) => {
    // Single use: whatever happens next, this browser's pending sign-in is spent.
    const pending = request.session.sso;
    delete request.session.sso;
    const queryString = request.url.includes('?')
      ? request.url.slice(request.url.indexOf('?'))
      : '';
    try {
      const person = await sso.finish({
        query: new URLSearchParams(queryString),
        pending,
        ip: request.ip,
      });
      // A new session id at sign-in: a session fixed before sign-in is worthless after it.
      await request.session.regenerate();
      request.session.personId = person.personId;
      request.session.displayName = person.displayName;
      return await reply.redirect(pending?.returnTo ?? '/account', 303);
    } catch (error) {
      if (!isSsoError(error)) throw error;
      request.log.warn(
        {
          reason: error.name,
          ...('reason' in error ? { code: error.reason } : {}),
          ...('detail' in error ? { detail: error.detail } : {}),
        },
        'single sign-on did not complete',
      );
      return renderProblem(
        reply,
        sso,
        problemFor(error, sso.displayName),
        error.statusCode,
        pending?.returnTo,
      );
    }
  });
}
