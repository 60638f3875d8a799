/**
 * A person's own results: the results page (printable), the PDF report, CSV and JSON exports,
 * "My progress" and the comparison of two assessments. Every page needs a signed-in person and
 * shows only their own submitted assessments: anyone else's is "not found". The owner's own
 * assessment still in progress has no results yet: the results page sends them to its task list
 * (303), and the downloads answer 409 saying so (a redirect would save a web page as the file).
 * Thin: parse → service → presenter → view.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import { parseCompareQuery } from './history.forms.js';
import { comparePage, progressPage } from './history.presenter.js';
import { resultsPage } from './results.presenter.js';
import { type ResultsRecommendations, resultsLearningSection } from './results.learning.js';
import type { ResultsValidatedLevel, ResultsValidations } from './results.validated.js';
import {
  AssessmentNotSubmittedError,
  CompareFieldError,
  type ResultsService,
} from './results.service.js';

const VIEWS = 'assessment/views';

type AssessmentParams = { Params: { id: string } };

/** A file to download: never cached, never shown inline. */
function download(reply: FastifyReply, filename: string, type: string, body: string | Buffer) {
  return reply
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .type(type)
    .send(body);
}

export function registerResultsRoutes(
  app: FastifyInstance,
  results: ResultsService,
  options: {
    recommendations?: ResultsRecommendations | undefined;
    /** Levels validated by a line manager or educator, shown beside the person's own. */
    validations?: ResultsValidations | undefined;
  } = {},
): void {
  /**
   * "Learning for your gaps" (the owner's page only), when the app has a recommender. The
   * results still show if recommending fails: the error is logged, the section left out.
   */
  async function learningSection(
    request: FastifyRequest,
    assessment: Parameters<ResultsRecommendations['forResults']>[1],
  ) {
    if (!options.recommendations) return undefined;
    try {
      const gaps = await options.recommendations.forResults(personIdOf(request), assessment);
      return resultsLearningSection(gaps);
    } catch (error) {
      request.log.error({ err: error }, 'learning for the results page failed');
      return undefined;
    }
  }

  /**
   * The person's validated levels, when the app keeps them. The results, PDF, exports and
   * comparison still work if reading them fails: the error is logged and they are left out (the
   * exports say they are not available, so a missing level is not read as "none validated").
   */
  async function validatedLevels(
    request: FastifyRequest,
  ): Promise<ResultsValidatedLevel[] | undefined> {
    if (!options.validations) return undefined;
    try {
      return await options.validations.validatedLevels(personIdOf(request));
    } catch (error) {
      request.log.error({ err: error }, 'reading validated levels failed; left out');
      return undefined;
    }
  }

  app.get<AssessmentParams>('/assessments/:id/results', signedInOnly, async (request, reply) => {
    let assessment;
    try {
      assessment = await results.getOwn(personIdOf(request), request.params.id);
    } catch (error) {
      if (!(error instanceof AssessmentNotSubmittedError)) throw error;
      return reply.redirect(`/assessments/${encodeURIComponent(error.assessmentId)}`, 303);
    }
    const view = resultsPage({
      assessmentId: assessment.id,
      ownerName: assessment.ownerName,
      results: assessment.results,
      ...(await results.displayContext(assessment.results)),
      audience: 'owner',
      validated: await validatedLevels(request),
    });
    const learning = await learningSection(request, assessment);
    return renderPage(reply, `${VIEWS}/results.njk`, { ...view, learning });
  });

  app.get<AssessmentParams>('/assessments/:id/report.pdf', signedInOnly, async (request, reply) => {
    const { filename, pdf } = await results.reportPdf(personIdOf(request), request.params.id, {
      validated: await validatedLevels(request),
    });
    return download(reply, filename, 'application/pdf', pdf);
  });

  app.get<AssessmentParams>('/assessments/:id/export.csv', signedInOnly, async (request, reply) => {
    const { filename, csv } = await results.exportCsv(personIdOf(request), request.params.id, {
      validated: await validatedLevels(request),
    });
    return download(reply, filename, 'text/csv; charset=utf-8', csv);
  });

  app.get<AssessmentParams>(
    '/assessments/:id/export.json',
    signedInOnly,
    async (request, reply) => {
      const { filename, data } = await results.exportJson(personIdOf(request), request.params.id, {
        validated: await validatedLevels(request),
      });
      return download(
        reply,
        filename,
        'application/json; charset=utf-8',
        JSON.stringify(data, null, 2),
      );
    },
  );

  app.get('/progress', signedInOnly, async (request, reply) => {
    const history = await results.history(personIdOf(request));
    return renderPage(reply, `${VIEWS}/progress.njk`, progressPage(history));
  });

  app.get('/progress/compare', signedInOnly, async (request, reply) => {
    const personId = personIdOf(request);
    const values = parseCompareQuery(request.query);
    try {
      const { from, to } = await results.compare(personId, values);
      const currentAreaCodes = await results.currentAreaCodes(to.results.frameworkSlug);
      const view = comparePage(from, to, {
        currentAreaCodes,
        validated: await validatedLevels(request),
      });
      return await renderPage(reply, `${VIEWS}/progress-compare.njk`, view);
    } catch (error) {
      if (!(error instanceof CompareFieldError)) throw error;
      const history = await results.history(personId);
      const view = progressPage(history, { values, errors: error.errors });
      return renderPage(reply, `${VIEWS}/progress.njk`, view, 422);
    }
  });
}
