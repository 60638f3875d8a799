/**
 * The validation pages: the person's requests, asking a line manager or an educator to validate
 * a level, one request (withdrawing it; the decision form for the person asked), the files of the
 * evidence offered, and the queue of requests to decide. Every page needs a signed-in person; the
 * service checks validation.policy.ts, and anything not allowed is "not found". Thin: parse →
 * service → presenter → view, POST-redirect-GET.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../platform/forms.js';
import { personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import { sendEvidenceFile } from './evidence.routes.js';
import { type AskTyped, parseAskForm, parseDecisionForm } from './validation.forms.js';
import {
  askPage,
  doneKey,
  NEW_VALIDATION_HREF,
  NOTICES,
  queuePage,
  requestPage,
  TO_DECIDE_HREF,
  VALIDATION_PATH,
  validationHref,
  validationIndexPage,
} from './validation.presenter.js';
import { ValidationFieldError, type ValidationService } from './validation.service.js';

const VIEWS = 'learning/views/validation';

type IdParams = { Params: { id: string } };
type DoneQuery = { Querystring: { done?: unknown } };

const noticeFor = (query: { done?: unknown } | undefined) =>
  typeof query?.done === 'string' ? NOTICES.get(query.done) : undefined;

export function registerValidationRoutes(
  app: FastifyInstance,
  deps: { validation: ValidationService },
): void {
  const { validation } = deps;

  app.get<DoneQuery>(VALIDATION_PATH, signedInOnly, async (request, reply) => {
    const overview = await validation.overview(personIdOf(request));
    const view = validationIndexPage(overview, { notice: noticeFor(request.query) });
    return renderPage(reply, `${VIEWS}/index.njk`, view);
  });

  // Asking ---------------------------------------------------------------------------------------

  async function renderAsk(
    reply: FastifyReply,
    personId: string,
    options: { areaCode?: string; typed?: AskTyped; errors?: FieldError[] },
  ) {
    const context = await validation.askContext(personId);
    const errors = options.errors ?? [];
    return renderPage(
      reply,
      `${VIEWS}/new.njk`,
      askPage(context, options),
      errors.length > 0 ? 422 : 200,
    );
  }

  app.get<{ Querystring: { area?: unknown } }>(
    NEW_VALIDATION_HREF,
    signedInOnly,
    (request, reply) =>
      renderAsk(reply, personIdOf(request), {
        areaCode: typeof request.query.area === 'string' ? request.query.area : '',
      }),
  );

  app.post(NEW_VALIDATION_HREF, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const context = await validation.askContext(personId);
    const parsed = parseAskForm(request.body, {
      areaCodes: new Set(context.areas.map((a) => a.code)),
    });
    if (!parsed.values) return renderAsk(reply, personId, parsed);
    try {
      const { requestId, emailed } = await validation.ask(personId, parsed.values, request.ip);
      return await reply.redirect(
        `${validationHref(requestId)}?done=${doneKey('asked', emailed)}`,
        303,
      );
    } catch (error) {
      if (!(error instanceof ValidationFieldError)) throw error;
      return renderAsk(reply, personId, { typed: parsed.typed, errors: error.errors });
    }
  });

  // The queue (before /:id, though the router prefers the static path anyway) -------------------

  app.get(TO_DECIDE_HREF, signedInOnly, async (request, reply) => {
    const requests = await validation.queue(personIdOf(request));
    return renderPage(reply, `${VIEWS}/to-decide.njk`, queuePage(requests));
  });

  // One request ------------------------------------------------------------------------------------

  app.get<IdParams & DoneQuery>(`${VALIDATION_PATH}/:id`, signedInOnly, async (request, reply) => {
    const data = await validation.view(personIdOf(request), request.params.id, {
      ip: request.ip,
    });
    const view = requestPage(data, { notice: noticeFor(request.query) });
    return renderPage(reply, `${VIEWS}/show.njk`, view);
  });

  app.post<IdParams>(`${VALIDATION_PATH}/:id/withdraw`, signedInOnly, async (request, reply) => {
    await validation.withdraw(personIdOf(request), request.params.id, request.ip);
    return reply.redirect(`${validationHref(request.params.id)}?done=withdrawn`, 303);
  });

  async function renderDecisionErrors(
    request: FastifyRequest<IdParams>,
    reply: FastifyReply,
    typed: ReturnType<typeof parseDecisionForm>['typed'],
    errors: FieldError[],
  ) {
    const data = await validation.decisionPage(personIdOf(request), request.params.id);
    return renderPage(reply, `${VIEWS}/show.njk`, requestPage(data, { typed, errors }), 422);
  }

  app.post<IdParams>(`${VALIDATION_PATH}/:id/decision`, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const parsed = parseDecisionForm(request.body);
    if (!parsed.values) return renderDecisionErrors(request, reply, parsed.typed, parsed.errors);
    let emailed: boolean;
    try {
      ({ emailed } = await validation.decide(
        personId,
        request.params.id,
        parsed.values,
        request.ip,
      ));
    } catch (error) {
      if (!(error instanceof ValidationFieldError)) throw error;
      return renderDecisionErrors(request, reply, parsed.typed, error.errors);
    }
    return reply.redirect(
      `${validationHref(request.params.id)}?done=${doneKey(parsed.values.outcome, emailed)}`,
      303,
    );
  });

  app.get<{ Params: { id: string; evidenceId: string } }>(
    `${VALIDATION_PATH}/:id/evidence/:evidenceId/file`,
    signedInOnly,
    async (request, reply) => {
      const file = await validation.openEvidenceFile(
        personIdOf(request),
        request.params.id,
        request.params.evidenceId,
        request.ip,
      );
      return sendEvidenceFile(reply, file);
    },
  );
}
