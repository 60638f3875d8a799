/**
 * `/home`: the signed-in person's home page. A learner sees their self-assessment and learning;
 * a line manager, an insights viewer or an organisation admin sees their work first: requests
 * waiting for them, results shared with them, their team's or organisation's participation and,
 * for admins, invitations not yet accepted.
 */
import type { FastifyInstance } from 'fastify';
import { personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import { type AssessmentService, learnerHomePage } from '../assessment/index.js';
import type { HomeService } from './home.service.js';

export function registerHomeRoutes(
  app: FastifyInstance,
  deps: { assessments: AssessmentService; home: HomeService },
): void {
  const { assessments, home } = deps;
  app.get('/home', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const [inProgress, latestSubmitted, work] = await Promise.all([
      assessments.getInProgress(personId),
      assessments.getLatestSubmitted(personId),
      home.work(personId, request.ip),
    ]);
    const plan = inProgress ? await assessments.plan(inProgress) : undefined;
    const learner = learnerHomePage({
      displayName: request.session.displayName,
      inProgress: inProgress && plan ? { assessment: inProgress, plan } : undefined,
      latestSubmitted,
    });
    return renderPage(reply, 'home/views/home.njk', {
      ...learner,
      work,
      hasWork: work.workplaces.length > 0,
    });
  });
}
