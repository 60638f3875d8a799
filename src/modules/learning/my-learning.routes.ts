/**
 * "My learning" (GET /learning) and dismissing a suggestion or bringing it back (POST
 * /learning/resources/:id/dismiss and /undismiss). The signed-in person's own: there is no
 * person in the address. A form's `returnTo` (a path on this site only) says where to go back
 * to, /learning by default, so the buttons work the same with JavaScript off. Thin.
 */
import type { FastifyInstance } from 'fastify';
import { safeReturnTo, values } from '../../platform/forms.js';
import { personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import { myLearningPage, type MyLearningNotice } from './my-learning.presenter.js';
import { MY_LEARNING_PATH } from './preferences.presenter.js';
import type { RecommendationsService } from './recommendations.service.js';
import type { ValidationService } from './validation.service.js';

const VIEW = 'learning/views/learning/my-learning.njk';

type IdParams = { Params: { id: string } };
type NoticeQuery = { Querystring: { done?: unknown; dismissed?: unknown; undismissed?: unknown } };

const one = (raw: unknown) => values(raw)[0];

/** Back to where the form was, with a notice when that is My learning. */
function backTo(body: unknown, param: 'dismissed' | 'undismissed', resourceId: string) {
  const returnTo = safeReturnTo(one((body as Record<string, unknown> | null)?.returnTo));
  const url = new URL(returnTo ?? MY_LEARNING_PATH, 'http://digicap.invalid');
  if (url.pathname === MY_LEARNING_PATH) url.searchParams.set(param, resourceId);
  return `${url.pathname}${url.search}${url.hash}`;
}

export function registerMyLearningRoutes(
  app: FastifyInstance,
  recommendations: RecommendationsService,
  /** Levels validated by a line manager or educator, shown beside the person's own. */
  options: { validations?: Pick<ValidationService, 'validatedLevels'> | undefined } = {},
): void {
  app.get<NoticeQuery>(MY_LEARNING_PATH, signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const [learning, dismissed, validated] = await Promise.all([
      recommendations.forPerson(personId),
      recommendations.dismissed(personId),
      options.validations?.validatedLevels(personId),
    ]);
    let notice: MyLearningNotice | undefined;
    const dismissedId = one(request.query.dismissed);
    const undismissedId = one(request.query.undismissed);
    if (one(request.query.done) === 'preferences') notice = { kind: 'preferences' };
    else if (dismissedId) {
      const title = await recommendations.titleOf(personId, dismissedId);
      if (title) notice = { kind: 'dismissed', resourceId: dismissedId, title };
    } else if (undismissedId) {
      const title = await recommendations.titleOf(personId, undismissedId);
      if (title) notice = { kind: 'undismissed', title };
    }
    return renderPage(reply, VIEW, myLearningPage(learning, dismissed, { notice, validated }));
  });

  app.post<IdParams>('/learning/resources/:id/dismiss', signedInOnly, async (request, reply) => {
    const { id } = request.params;
    await recommendations.dismiss(personIdOf(request), id);
    return reply.redirect(backTo(request.body, 'dismissed', id), 303);
  });

  app.post<IdParams>('/learning/resources/:id/undismiss', signedInOnly, async (request, reply) => {
    const { id } = request.params;
    await recommendations.undismiss(personIdOf(request), id);
    return reply.redirect(backTo(request.body, 'undismissed', id), 303);
  });
}
