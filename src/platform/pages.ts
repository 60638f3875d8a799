/**
 * Helpers every page route uses: render a page with its CSRF token and no caching, the error
 * summary's arguments, and the guard for pages that need a signed-in person.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError } from './errors.js';
import { errorSummaryItems, type FieldError } from './forms.js';

/** Renders a personal (never cached) page with the session's CSRF token for its forms. */
export function renderPage(reply: FastifyReply, template: string, view: object, status = 200) {
  reply.header('cache-control', 'no-store');
  return reply.status(status).viewAsync(template, { ...view, csrfToken: reply.generateCsrf() });
}

/**
 * Arguments for the NHS.UK error summary, or undefined when there are no errors; a description,
 * when given, goes between the title and the list.
 */
export function errorSummaryArgs(errors: FieldError[], descriptionText?: string) {
  return errors.length > 0
    ? { titleText: 'There is a problem', descriptionText, errorList: errorSummaryItems(errors) }
    : undefined;
}

export const signedInPersonId = (request: FastifyRequest): string | undefined =>
  request.session.personId;

/** preHandler for pages that need a signed-in person: anyone else is sent to sign in. */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!signedInPersonId(request)) {
    const returnTo = request.method === 'GET' ? `?returnTo=${encodeURIComponent(request.url)}` : '';
    await reply.redirect(`/sign-in${returnTo}`, 303);
  }
}

/** Route options for a page only signed-in people may use (hidden from the API description). */
export const signedInOnly = { schema: { hide: true }, preHandler: requireSignIn };

/** The signed-in person on a route guarded by requireSignIn. */
export function personIdOf(request: FastifyRequest): string {
  const personId = signedInPersonId(request);
  if (!personId) throw new ForbiddenError('Sign in to see this page');
  return personId;
}
