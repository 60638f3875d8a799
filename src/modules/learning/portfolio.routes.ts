/**
 * The portfolio page and its exports (PDF and JSON). Only the signed-in person's own portfolio:
 * the URLs name nobody, so there is nobody else's to ask for. Thin: service → presenter → view.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import { parsePortfolioQuery, portfolioPage } from './portfolio.presenter.js';
import type { PortfolioService } from './portfolio.service.js';

/** A file to download: never cached, never shown inline. */
function download(reply: FastifyReply, filename: string, type: string, body: string | Buffer) {
  return reply
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .type(type)
    .send(body);
}

export function registerPortfolioRoutes(
  app: FastifyInstance,
  { portfolio }: { portfolio: PortfolioService },
): void {
  app.get('/portfolio', signedInOnly, async (request, reply) => {
    const { area } = parsePortfolioQuery(request.query);
    const deleted = (request.query as Record<string, unknown>).deleted === '1';
    const view = portfolioPage(await portfolio.load(personIdOf(request)), {
      area,
      ...(deleted ? { notice: 'deleted' as const } : {}),
    });
    return renderPage(reply, 'learning/views/portfolio/index.njk', view);
  });

  app.get('/portfolio/export.pdf', signedInOnly, async (request, reply) => {
    const { filename, pdf } = await portfolio.exportPdf(personIdOf(request));
    return download(reply, filename, 'application/pdf', pdf);
  });

  app.get('/portfolio/export.json', signedInOnly, async (request, reply) => {
    const { filename, data } = await portfolio.exportJson(personIdOf(request));
    return download(
      reply,
      filename,
      'application/json; charset=utf-8',
      JSON.stringify(data, null, 2),
    );
  });
}
