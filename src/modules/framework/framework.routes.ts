/**
 * The framework explorer's pages. Thin: parse the query, ask the service, present, render.
 * Everything is GET and works without JavaScript.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { NotFoundError } from '../../platform/errors.js';
import { parseExplorerQuery } from './explorer-query.form.js';
import {
  archetypePage,
  archetypesPage,
  areaPage,
  domainPage,
  type ExplorerContext,
  frameworkPage,
  levelsPage,
  statementPage,
  statementsPage,
  versionsPage,
} from './explorer.presenter.js';
import type { FrameworkModel } from './framework.model.js';
import type { FrameworkService } from './framework.service.js';

interface SlugParams {
  slug: string;
}

const hide = { schema: { hide: true } };

export function registerFrameworkRoutes(app: FastifyInstance, frameworks: FrameworkService): void {
  async function explorerContext(model: FrameworkModel, query: unknown): Promise<ExplorerContext> {
    const { filter, errors } = parseExplorerQuery((query ?? {}) as Record<string, unknown>);
    if (!filter.q) return { filter, errors };
    const rows = await frameworks.searchStatements(model, filter.q);
    return { filter, errors, hits: new Map(rows.map((r) => [r.id, r.highlighted])) };
  }

  const render = (
    reply: FastifyReply,
    template: string,
    ctx: ExplorerContext | undefined,
    view: object,
  ) => reply.status(ctx && ctx.errors.length > 0 ? 400 : 200).viewAsync(template, view);

  app.get('/', hide, async (_request, reply) => {
    const list = await frameworks.listFrameworks();
    return reply.viewAsync('framework/views/home.njk', {
      pageTitle: 'Build your digital, data and AI capability',
      frameworks: list.map((f) => ({ ...f, href: `/frameworks/${f.slug}` })),
    });
  });

  app.get('/frameworks', hide, async (_request, reply) => {
    const list = await frameworks.listFrameworks();
    return reply.viewAsync('framework/views/frameworks.njk', {
      pageTitle: 'Capability frameworks',
      breadcrumbArgs: [{ text: 'Home', href: '/' }],
      frameworks: list.map((f) => ({ ...f, href: `/frameworks/${f.slug}` })),
    });
  });

  app.get<{ Params: SlugParams }>('/frameworks/:slug', hide, async (request, reply) => {
    const model = await frameworks.getFramework(request.params.slug);
    const ctx = await explorerContext(model, request.query);
    return render(reply, 'framework/views/framework.njk', ctx, frameworkPage(model, ctx));
  });

  app.get<{ Params: SlugParams & { code: string } }>(
    '/frameworks/:slug/domains/:code',
    hide,
    async (request, reply) => {
      const model = await frameworks.getFramework(request.params.slug);
      const domain = model.nodesByCode.get(request.params.code);
      if (!domain || domain.parentCode !== null)
        throw new NotFoundError(`There is no domain ${request.params.code}`);
      const ctx = await explorerContext(model, request.query);
      return render(
        reply,
        'framework/views/statement-list.njk',
        ctx,
        domainPage(model, domain, ctx),
      );
    },
  );

  app.get<{ Params: SlugParams & { code: string } }>(
    '/frameworks/:slug/areas/:code',
    hide,
    async (request, reply) => {
      const model = await frameworks.getFramework(request.params.slug);
      const area = model.nodesByCode.get(request.params.code);
      if (!area?.isArea) throw new NotFoundError(`There is no area ${request.params.code}`);
      // Domain 1 is itself an area: its one canonical page is the domain page.
      if (area.parentCode === null)
        return reply.redirect(`/frameworks/${model.slug}/domains/${area.code}`, 301);
      const ctx = await explorerContext(model, request.query);
      return render(reply, 'framework/views/statement-list.njk', ctx, areaPage(model, area, ctx));
    },
  );

  app.get<{ Params: SlugParams }>('/frameworks/:slug/statements', hide, async (request, reply) => {
    const model = await frameworks.getFramework(request.params.slug);
    const ctx = await explorerContext(model, request.query);
    return render(reply, 'framework/views/statement-list.njk', ctx, statementsPage(model, ctx));
  });

  app.get<{ Params: SlugParams & { id: string } }>(
    '/frameworks/:slug/statements/:id',
    hide,
    async (request, reply) => {
      const model = await frameworks.getFramework(request.params.slug);
      const statement = model.statementsById.get(request.params.id);
      if (!statement) throw new NotFoundError(`There is no statement ${request.params.id}`);
      return reply.viewAsync('framework/views/statement.njk', statementPage(model, statement));
    },
  );

  app.get<{ Params: SlugParams }>('/frameworks/:slug/levels', hide, async (request, reply) => {
    const model = await frameworks.getFramework(request.params.slug);
    return reply.viewAsync('framework/views/levels.njk', levelsPage(model));
  });

  app.get<{ Params: SlugParams }>('/frameworks/:slug/archetypes', hide, async (request, reply) => {
    const model = await frameworks.getFramework(request.params.slug);
    return reply.viewAsync('framework/views/archetypes.njk', archetypesPage(model));
  });

  app.get<{ Params: SlugParams & { code: string } }>(
    '/frameworks/:slug/archetypes/:code',
    hide,
    async (request, reply) => {
      const model = await frameworks.getFramework(request.params.slug);
      const archetype = model.archetype(request.params.code.toUpperCase());
      if (!archetype) throw new NotFoundError(`There is no archetype ${request.params.code}`);
      if (archetype.code !== request.params.code) {
        return reply.redirect(`/frameworks/${model.slug}/archetypes/${archetype.code}`, 301);
      }
      return reply.viewAsync('framework/views/archetype.njk', archetypePage(model, archetype));
    },
  );

  app.get<{ Params: SlugParams }>('/frameworks/:slug/versions', hide, async (request, reply) => {
    const model = await frameworks.getFramework(request.params.slug);
    const versions = await frameworks.listVersions(model.slug);
    return reply.viewAsync('framework/views/versions.njk', versionsPage(model, versions));
  });
}
