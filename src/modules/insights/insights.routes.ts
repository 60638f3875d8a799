/**
 * Insights pages: an organisation's (`/organisations/{id}/insights`), an integrated care board's
 * view of the organisations sharing with it (`…/insights/shared`), the national view for
 * platform admins (`/insights`), their CSV and XLSX exports, and an admin's page for sharing
 * with an ICB. Thin: parse the GET query → service (policy, read model, release function,
 * audit) → presenter → view. Filters are plain GET parameters, so every view is a link.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { personIdOf, renderPage, signedInOnly } from '../../platform/pages.js';
import type { Actor, OrganisationsService } from '../organisations/index.js';
import {
  BREAKDOWN_LABELS,
  type InsightsQueryValues,
  parseInsightsQuery,
} from './insights-query.form.js';
import { insightsCsv, insightsXlsx } from './insights.export.js';
import { insightsPageView } from './insights.presenter.js';
import { sharingPageView } from './insights-sharing.presenter.js';
import {
  type InsightsPage,
  type InsightsQuery,
  InsightsQueryError,
  type InsightsService,
} from './insights.service.js';

const VIEWS = 'insights/views';
type OrgParams = { Params: { organisationId: string }; Querystring: Record<string, unknown> };
type ShareParams = { Params: { organisationId: string; shareId: string } };
type Loader = (
  actor: Actor,
  query: InsightsQuery,
  ip: string,
  recordAs?: 'page' | 'export',
) => Promise<InsightsPage>;

export function registerInsightsRoutes(
  app: FastifyInstance,
  deps: { insights: InsightsService; organisations: Pick<OrganisationsService, 'actorFor'> },
): void {
  const { insights, organisations } = deps;
  const actorOf = (request: FastifyRequest) => organisations.actorFor(personIdOf(request));

  /** Loads the page for the query, or, for a query that does not fit, the default with errors. */
  async function load(request: FastifyRequest, loader: Loader) {
    const actor = await actorOf(request);
    const parsed = parseInsightsQuery(request.query);
    if (parsed.errors.length === 0) {
      try {
        return {
          actor,
          page: await loader(actor, parsed.query, request.ip),
          values: parsed.values,
          errors: [],
        };
      } catch (error) {
        if (!(error instanceof InsightsQueryError)) throw error;
        parsed.errors.push({ field: error.field, text: error.message });
      }
    }
    const page = await loader(actor, { filters: {}, by: [] }, request.ip);
    return { actor, page, values: parsed.values, errors: parsed.errors };
  }

  function describe(page: InsightsPage, values: InsightsQueryValues) {
    const view = insightsPageView(
      { personId: '', isPlatformAdmin: false, memberships: new Map() },
      page,
      values,
    );
    const f = page.framework.data;
    const named = [
      values.profession &&
        `profession: ${f.professions.find((p) => p.code === values.profession)?.name ?? 'not recorded'}`,
      values.setting &&
        `work setting: ${f.workSettings.find((w) => w.code === values.setting)?.name ?? 'not recorded'}`,
      values.archetype &&
        `archetype: ${f.archetypes.find((a) => a.code === values.archetype)?.name ?? values.archetype}`,
      page.query.by.length > 0 &&
        `by ${page.query.by.map((b) => BREAKDOWN_LABELS[b].toLowerCase()).join(' then ')}`,
    ].filter(Boolean);
    return {
      title: `${page.scope.organisation?.name ?? 'Every organisation'}: ${view.heading}`,
      scopeText: view.scopeText,
      filtersText: named.length > 0 ? named.join('; ') : 'none',
    };
  }

  function routes(path: string, loader: (request: FastifyRequest<OrgParams>) => Loader) {
    app.get<OrgParams>(path, signedInOnly, async (request, reply) => {
      const { actor, page, values, errors } = await load(request, loader(request));
      return renderPage(
        reply,
        `${VIEWS}/insights.njk`,
        insightsPageView(actor, page, errors.length > 0 ? values : values, errors),
        errors.length > 0 ? 422 : 200,
      );
    });
    const download =
      (format: 'csv' | 'xlsx') =>
      async (request: FastifyRequest<OrgParams>, reply: FastifyReply) => {
        const actor = await actorOf(request);
        const parsed = parseInsightsQuery(request.query);
        if (parsed.errors.length > 0)
          return reply
            .code(400)
            .type('text/plain; charset=utf-8')
            .send(`${parsed.errors.map((e) => `${e.field}: ${e.text}`).join('\n')}\n`);
        let page: InsightsPage;
        try {
          page = await loader(request)(actor, parsed.query, request.ip, 'export');
        } catch (error) {
          if (!(error instanceof InsightsQueryError)) throw error;
          return reply
            .code(400)
            .type('text/plain; charset=utf-8')
            .send(`${error.field}: ${error.message}\n`);
        }
        await insights.recordExport(actor, page, format, request.ip);
        const context = describe(page, parsed.values);
        const stamp = page.generatedAt.toISOString().slice(0, 10);
        reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
        if (format === 'csv')
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="digicap-insights-${stamp}.csv"`)
            .send(insightsCsv(page, context));
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="digicap-insights-${stamp}.xlsx"`)
          .send(await insightsXlsx(page, context));
      };
    app.get<OrgParams>(`${path}/export.csv`, signedInOnly, download('csv'));
    app.get<OrgParams>(`${path}/export.xlsx`, signedInOnly, download('xlsx'));
  }

  routes(
    '/organisations/:organisationId/insights',
    (request) => (actor, query, ip, recordAs) =>
      insights.organisationPage(actor, request.params.organisationId, query, ip, recordAs),
  );
  routes(
    '/organisations/:organisationId/insights/shared',
    (request) => (actor, query, ip, recordAs) =>
      insights.systemPage(actor, request.params.organisationId, query, ip, recordAs),
  );
  routes(
    '/insights',
    () => (actor, query, ip, recordAs) => insights.nationalPage(actor, query, ip, recordAs),
  );

  // Sharing with an integrated care board (organisation admins).
  async function renderSharing(
    request: FastifyRequest<{ Params: { organisationId: string } }>,
    reply: FastifyReply,
    form: { errors?: { field: string; text: string }[]; notice?: string } = {},
    status = 200,
  ) {
    const actor = await actorOf(request);
    const view = await insights.sharingPage(actor, request.params.organisationId);
    return renderPage(reply, `${VIEWS}/sharing.njk`, sharingPageView(actor, view, form), status);
  }

  app.get<{ Params: { organisationId: string }; Querystring: { done?: string } }>(
    '/organisations/:organisationId/insights/sharing',
    signedInOnly,
    (request, reply) =>
      renderSharing(request, reply, {
        ...(request.query.done === 'shared'
          ? { notice: 'Your organisation now shares its insights.' }
          : request.query.done === 'withdrawn'
            ? { notice: 'Sharing withdrawn.' }
            : {}),
      }),
  );

  // No body at all (an empty POST) leaves `request.body` undefined.
  app.post<{ Params: { organisationId: string }; Body: { organisationId?: unknown } | undefined }>(
    '/organisations/:organisationId/insights/sharing',
    signedInOnly,
    async (request, reply) => {
      const actor = await actorOf(request);
      const receiver =
        typeof request.body?.organisationId === 'string' ? request.body.organisationId : '';
      try {
        await insights.share(actor, request.params.organisationId, receiver, request.ip);
      } catch (error) {
        if (!(error instanceof InsightsQueryError)) throw error;
        return renderSharing(
          request,
          reply,
          { errors: [{ field: 'organisationId', text: error.message }] },
          422,
        );
      }
      return reply.redirect(
        `/organisations/${encodeURIComponent(request.params.organisationId)}/insights/sharing?done=shared`,
        303,
      );
    },
  );

  app.post<ShareParams>(
    '/organisations/:organisationId/insights/sharing/:shareId/withdraw',
    signedInOnly,
    async (request, reply) => {
      const actor = await actorOf(request);
      await insights.withdrawShare(
        actor,
        request.params.organisationId,
        request.params.shareId,
        request.ip,
      );
      return reply.redirect(
        `/organisations/${encodeURIComponent(request.params.organisationId)}/insights/sharing?done=withdrawn`,
        303,
      );
    },
  );
}
