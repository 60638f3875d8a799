/**
 * The framework explorer's pages. Thin: parse the query, ask the service, present, render.
 * Everything is GET and works without JavaScript.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PageCache } from '../../platform/page-cache.js';
import {
  filterQueryString,
  type ParsedExplorerQuery,
  parseExplorerQuery,
} from './explorer-query.form.js';
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

/**
 * Explorer pages are the same for every visitor of a framework version, so they are served
 * through the page cache, keyed by version, path and the canonical filter. Requests with invalid
 * filters are rendered afresh (400) and never cached.
 */
export function registerFrameworkRoutes(
  app: FastifyInstance,
  frameworks: FrameworkService,
  pages: PageCache,
): void {
  async function explorerContext(
    model: FrameworkModel,
    { filter, errors, submittedQ }: ParsedExplorerQuery,
  ): Promise<ExplorerContext> {
    if (!filter.q) return { filter, errors, submittedQ };
    const { rows, searchable } = await frameworks.searchStatements(model, filter.q);
    return {
      filter,
      errors,
      submittedQ,
      hits: new Map(rows.map((r) => [r.id, r.highlighted])),
      emptySearch: !searchable,
    };
  }

  const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? request.url;

  /** A page that takes the explorer's filters. */
  async function filteredPage(
    request: FastifyRequest,
    reply: FastifyReply,
    model: FrameworkModel,
    template: string,
    present: (ctx: ExplorerContext) => object,
  ) {
    const parsed = parseExplorerQuery((request.query ?? {}) as Record<string, unknown>);
    if (parsed.errors.length > 0) {
      return reply.status(400).viewAsync(template, present(await explorerContext(model, parsed)));
    }
    const key = `${model.versionInfo.versionId}:${pathOf(request)}?${filterQueryString(parsed.filter)}`;
    return pages.send(reply, key, async (cspNonce) =>
      reply.viewAsync(template, { ...present(await explorerContext(model, parsed)), cspNonce }),
    );
  }

  /** A page that depends only on its path and the framework version. */
  function fixedPage(
    request: FastifyRequest,
    reply: FastifyReply,
    model: FrameworkModel,
    template: string,
    view: () => object,
  ) {
    return pages.send(reply, `${model.versionInfo.versionId}:${pathOf(request)}`, (cspNonce) =>
      reply.viewAsync(template, { ...view(), cspNonce }),
    );
  }

  async function frameworksList() {
    const list = await frameworks.listFrameworks();
    return {
      key: list.map((f) => `${f.slug}@${f.version}`).join(','),
      frameworks: list.map((f) => ({ ...f, href: `/frameworks/${f.slug}` })),
    };
  }

  app.get('/', hide, async (_request, reply) => {
    const { key, frameworks: list } = await frameworksList();
    return pages.send(reply, `home:${key}`, (cspNonce) =>
      reply.viewAsync('framework/views/home.njk', {
        pageTitle: 'Build your digital, data and AI capability',
        frameworks: list,
        cspNonce,
      }),
    );
  });

  app.get('/frameworks', hide, async (_request, reply) => {
    const { key, frameworks: list } = await frameworksList();
    return pages.send(reply, `frameworks:${key}`, (cspNonce) =>
      reply.viewAsync('framework/views/frameworks.njk', {
        pageTitle: 'Capability frameworks',
        breadcrumbArgs: [{ text: 'Home', href: '/' }],
        frameworks: list,
        cspNonce,
      }),
    );
  });

  app.get<{ Params: SlugParams }>('/frameworks/:slug', hide, async (request, reply) => {
    const model = await frameworks.getFramework(request.params.slug);
    return filteredPage(request, reply, model, 'framework/views/framework.njk', (ctx) =>
      frameworkPage(model, ctx),
    );
  });

  app.get<{ Params: SlugParams & { code: string } }>(
    '/frameworks/:slug/domains/:code',
    hide,
    async (request, reply) => {
      const model = await frameworks.getFramework(request.params.slug);
      const domain = frameworks.domain(model, request.params.code);
      return filteredPage(request, reply, model, 'framework/views/statement-list.njk', (ctx) =>
        domainPage(model, domain, ctx),
      );
    },
  );

  app.get<{ Params: SlugParams & { code: string } }>(
    '/frameworks/:slug/areas/:code',
    hide,
    async (request, reply) => {
      const model = await frameworks.getFramework(request.params.slug);
      const area = frameworks.area(model, request.params.code);
      // Domain 1 is itself an area: its one canonical page is the domain page.
      if (area.parentCode === null)
        return reply.redirect(`/frameworks/${model.slug}/domains/${area.code}`, 301);
      return filteredPage(request, reply, model, 'framework/views/statement-list.njk', (ctx) =>
        areaPage(model, area, ctx),
      );
    },
  );

  app.get<{ Params: SlugParams }>('/frameworks/:slug/statements', hide, async (request, reply) => {
    const model = await frameworks.getFramework(request.params.slug);
    return filteredPage(request, reply, model, 'framework/views/statement-list.njk', (ctx) =>
      statementsPage(model, ctx),
    );
  });

  app.get<{ Params: SlugParams & { id: string } }>(
    '/frameworks/:slug/statements/:id',
    hide,
    async (request, reply) => {
      const model = await frameworks.getFramework(request.params.slug);
      const statement = frameworks.statement(model, request.params.id);
      return fixedPage(request, reply, model, 'framework/views/statement.njk', () =>
        statementPage(model, statement),
      );
    },
  );

  app.get<{ Params: SlugParams }>('/frameworks/:slug/levels', hide, async (request, reply) => {
    const model = await frameworks.getFramework(request.params.slug);
    return fixedPage(request, reply, model, 'framework/views/levels.njk', () => levelsPage(model));
  });

  app.get<{ Params: SlugParams }>('/frameworks/:slug/archetypes', hide, async (request, reply) => {
    const model = await frameworks.getFramework(request.params.slug);
    return fixedPage(request, reply, model, 'framework/views/archetypes.njk', () =>
      archetypesPage(model),
    );
  });

  app.get<{ Params: SlugParams & { code: string } }>(
    '/frameworks/:slug/archetypes/:code',
    hide,
    async (request, reply) => {
      const model = await frameworks.getFramework(request.params.slug);
      const archetype = frameworks.archetype(model, request.params.code);
      if (archetype.code !== request.params.code) {
        return reply.redirect(`/frameworks/${model.slug}/archetypes/${archetype.code}`, 301);
      }
      return fixedPage(request, reply, model, 'framework/views/archetype.njk', () =>
        archetypePage(model, archetype),
      );
    },
  );

  app.get<{ Params: SlugParams }>('/frameworks/:slug/versions', hide, async (request, reply) => {
    const model = await frameworks.getFramework(request.params.slug);
    const versions = await frameworks.listVersions(model.slug);
    return reply.viewAsync('framework/views/versions.njk', versionsPage(model, versions));
  });
}
