/**
 * Sharing pages. The owner: who has their results, the form to share with a line manager or an
 * educator, and withdrawing a share. The other person: what is shared with them, and each
 * shared assessment's results, read-only, while it is shared (every view audited). Thin: the
 * service checks sharing.policy.ts; anything not allowed is "not found". The owner's own
 * assessment still in progress cannot be shared yet: the sharing page tells them so, and the
 * forms answer 409 saying so.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import { AssessmentNotSubmittedError, type ResultsService } from './results.service.js';
import type { ResultsValidations } from './results.validated.js';
import { parseShareForm } from './sharing.forms.js';
import {
  sharedResultsPage,
  sharedWithMePage,
  sharingNotSubmittedPage,
  sharingPage,
} from './sharing.presenter.js';
import { SharingFieldError, type SharingService } from './sharing.service.js';

const VIEWS = 'assessment/views';

type AssessmentParams = { Params: { id: string } };
type ShareParams = { Params: { id: string; shareId: string } };

/**
 * The notice after sharing or withdrawing, by the `?done=` the redirect adds. A Map, not an
 * object: `?done=constructor` or `?done=__proto__` must find nothing, not Object.prototype's.
 */
const NOTICES = new Map([
  ['shared', 'Your results have been shared.'],
  ['withdrawn', 'The share has been withdrawn: they can no longer see these results.'],
]);

export function registerSharingRoutes(
  app: FastifyInstance,
  deps: {
    sharing: SharingService;
    results: Pick<ResultsService, 'displayContext'>;
    /** Levels validated by a line manager or educator, shown beside the person's own. */
    validations?: ResultsValidations | undefined;
  },
): void {
  const { sharing, results } = deps;

  async function renderSharing(
    reply: FastifyReply,
    personId: string,
    assessmentId: string,
    options: Parameters<typeof sharingPage>[1] = {},
    status = 200,
  ) {
    const view = await sharing.overview(personId, assessmentId);
    return renderPage(reply, `${VIEWS}/sharing.njk`, sharingPage(view, options), status);
  }

  app.get<AssessmentParams & { Querystring: { done?: string } }>(
    '/assessments/:id/sharing',
    signedInOnly,
    async (request, reply) => {
      try {
        return await renderSharing(reply, personIdOf(request), request.params.id, {
          notice:
            typeof request.query.done === 'string' ? NOTICES.get(request.query.done) : undefined,
        });
      } catch (error) {
        if (!(error instanceof AssessmentNotSubmittedError)) throw error;
        const view = sharingNotSubmittedPage(error.assessmentId);
        return renderPage(reply, `${VIEWS}/sharing-not-submitted.njk`, view);
      }
    },
  );

  app.post<AssessmentParams>('/assessments/:id/shares', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const { id } = request.params;
    const { sharedWith } = parseShareForm(request.body);
    try {
      await sharing.share(personId, id, sharedWith, request.ip);
    } catch (error) {
      if (!(error instanceof SharingFieldError)) throw error;
      return renderSharing(
        reply,
        personId,
        id,
        { errors: error.errors, selected: sharedWith },
        422,
      );
    }
    return reply.redirect(`/assessments/${encodeURIComponent(id)}/sharing?done=shared`, 303);
  });

  app.post<ShareParams>(
    '/assessments/:id/shares/:shareId/withdraw',
    signedInOnly,
    async (request, reply) => {
      const { id, shareId } = request.params;
      await sharing.withdraw(personIdOf(request), id, shareId, request.ip);
      return reply.redirect(`/assessments/${encodeURIComponent(id)}/sharing?done=withdrawn`, 303);
    },
  );

  app.get('/shared-with-me', signedInOnly, async (request, reply) => {
    const rows = await sharing.sharedWithMe(personIdOf(request));
    return renderPage(reply, `${VIEWS}/shared-with-me.njk`, sharedWithMePage(rows));
  });

  app.get<{ Params: { shareId: string } }>(
    '/shared-with-me/:shareId',
    signedInOnly,
    async (request, reply) => {
      const view = await sharing.viewShared(
        personIdOf(request),
        request.params.shareId,
        request.ip,
      );
      const context = await results.displayContext(view.assessment.results);
      // Read only once the service has allowed the view; the page still shows without them.
      const validated = await deps.validations
        ?.validatedLevels(view.assessment.personId)
        .catch((error: unknown) => {
          request.log.error({ err: error }, 'validated levels for a shared view failed');
          return undefined;
        });
      return renderPage(
        reply,
        `${VIEWS}/shared-results.njk`,
        sharedResultsPage(view, { ...context, validated }),
      );
    },
  );
}
