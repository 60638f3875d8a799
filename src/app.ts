/**
 * buildApp(config): the whole application as a Fastify instance, without listening. The order of
 * registration below is the request pipeline, and doubles as the security story:
 *   request id → security headers + CSP nonce → compression → static files → views → routes →
 *   not-found and error pages.
 */
import { randomUUID } from 'node:crypto';
import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import {
  createServices,
  loadBundledContent,
  loadBundledLearningCatalogue,
  type ServiceOverrides,
  type Services,
} from './composition.js';
import type { Config } from './config.js';
import {
  registerAccountRoutes,
  registerProfileRoutes,
  registerSsoRoutes,
} from './modules/accounts/index.js';
import {
  registerAssessmentRoutes,
  registerResultsRoutes,
  registerSharingRoutes,
} from './modules/assessment/index.js';
import { registerFrameworkModule } from './modules/framework/index.js';
import {
  registerInvitationRoutes,
  registerOrganisationRoutes,
} from './modules/organisations/index.js';
import { registerCatalogueApi, registerCatalogueRoutes } from './modules/learning/index.js';
import { registerMyLearningRoutes, registerPreferencesRoutes } from './modules/learning/index.js';
import {
  evidenceFilesSweepJob,
  registerEvidenceRoutes,
  registerPortfolioRoutes,
} from './modules/learning/index.js';
import { registerPlanRoutes, remindersJob } from './modules/learning/index.js';
import { registerValidationRoutes } from './modules/learning/index.js';
import { registerInsightsRoutes, startInsightsWorker } from './modules/insights/index.js';
import { registerHomeRoutes } from './modules/home/index.js';
import { seedDemo } from './demo/demo-seed.js';
import { registerAssets } from './platform/assets.js';
import { registerErrorPages } from './platform/error-pages.js';
import { registerHealth } from './platform/health.js';
import { housekeepingJob } from './platform/housekeeping.js';
import { createScheduler } from './platform/jobs/jobs.js';
import { registerOutboxRoutes } from './platform/mail/index.js';
import { createPageCache } from './platform/page-cache.js';
import { registerSecurity } from './platform/security.js';
import { registerSessionReader, registerSessions } from './platform/session.js';
import { registerViews } from './platform/views.js';

export interface AppOverrides extends ServiceOverrides {
  logger?: FastifyServerOptions['logger'];
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** Every route, as registered: the authorisation matrix test checks it covers them all. */
    routeTable: readonly { method: string; url: string }[];
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildApp(
  config: Config,
  overrides: AppOverrides = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: overrides.logger ?? {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
    // Honour a well-formed x-request-id from a proxy, otherwise mint one; it is in every log
    // line. (requestIdHeader is off so that genReqId, which validates, always decides.)
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    bodyLimit: 1_048_576,
    trustProxy: config.trustProxy,
    // A URL Fastify cannot even parse (e.g. "/%") gets a plain 400 with safe headers.
    frameworkErrors: (error, _request, genericReply) => {
      // Fastify types this reply generically; here it is a plain reply.
      const reply = genericReply as unknown as FastifyReply;
      void reply
        .code(400)
        .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
        .header('x-content-type-options', 'nosniff')
        .type('text/plain; charset=utf-8')
        .send(
          `Bad request: ${error.code === 'FST_ERR_BAD_URL' ? 'the web address is not valid' : error.message}\n`,
        );
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const routeTable: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });
  app.decorate('routeTable', routeTable);

  const services = await createServices(config, app.log, overrides);
  app.decorate('services', services);
  // The app owns the database it is given: closing the app closes it, and so does failing to start.
  app.addHook('onClose', async () => {
    await services.database.close();
  });
  try {
    const synced = await loadBundledContent(config, services);
    for (const s of synced) {
      app.log.info(
        { framework: s.slug, version: s.version, created: s.created },
        'framework content ready',
      );
    }
    const catalogue = await loadBundledLearningCatalogue(config, services);
    if (catalogue) {
      const { file, ...counts } = catalogue;
      app.log.info({ file, ...counts }, 'learning catalogue ready');
    }
    if (config.demoData) {
      const demo = await seedDemo(services, config, app.log);
      if (!demo.seeded) app.log.info({ reason: demo.reason }, 'demo data not added');
      // So the demo's insights show at once (and in e2e runs, where no background worker runs).
      else await services.readModel.processQueue();
    }
    await registerPlugins(app, config, services);
    await app.ready();
  } catch (error) {
    await services.database.close();
    throw error;
  }
  return app;
}

async function registerPlugins(
  app: FastifyInstance,
  config: Config,
  services: Services,
): Promise<void> {
  await registerSecurity(app, config);
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(formbody);
  await registerAssets(app, config);
  await registerViews(app, config);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'digicap API',
        version: '1.0.0',
        description:
          'Read access to the capability frameworks digicap assesses against, and to the shared learning catalogue.',
      },
      tags: [
        {
          name: 'frameworks',
          description: 'Capability frameworks, their structure and statements',
        },
        {
          name: 'learning resources',
          description: 'The shared learning catalogue, mapped to the framework',
        },
      ],
    },
    hideUntagged: true,
  });

  // Before the child contexts below, which inherit the handlers in force when they are created.
  registerErrorPages(app, config);
  registerHealth(app, services.database);
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  // Public pages: read-only, so they only read the session (cheaply) to show who is signed in.
  await app.register(async (publicPages) => {
    await registerSessionReader(publicPages, config, services.sessionStore);
    registerFrameworkModule(publicPages, {
      frameworks: services.frameworks,
      pages: createPageCache(),
    });
    // After the framework API, whose ApiError schema it uses.
    registerCatalogueApi(publicPages, services.catalogue);
    // Development and test only: these pages show single-use links from emails.
    if (!config.isProduction && services.mailer.kind === 'outbox') {
      registerOutboxRoutes(publicPages, services.mailer);
    }
  });

  // Everything that changes state: full sessions, and a CSRF check on every non-GET request.
  await app.register(async (withSessions) => {
    await registerSessions(withSessions, config, services.sessionStore);
    registerAccountRoutes(withSessions, services.accounts, services.profiles, {
      sso: services.sso && { displayName: services.sso.displayName, issuer: services.sso.issuer },
    });
    // Single sign-on (start and callback write the session): 404s unless OIDC_* are set.
    if (services.sso) registerSsoRoutes(withSessions, services.sso);
    registerProfileRoutes(withSessions, services.profiles);
    registerOrganisationRoutes(withSessions, services.organisations);
    await registerInvitationRoutes(withSessions, {
      invitations: services.invitations,
      organisations: services.organisations,
      accounts: services.accounts,
    });
    registerAssessmentRoutes(withSessions, {
      assessments: services.assessments,
      profiles: services.profiles,
      frameworks: services.frameworks,
    });
    registerResultsRoutes(withSessions, services.results, {
      recommendations: services.recommendations,
      validations: services.validation,
    });
    registerSharingRoutes(withSessions, {
      sharing: services.sharing,
      results: services.results,
      validations: services.validation,
    });
    await registerCatalogueRoutes(withSessions, { catalogue: services.catalogue });
    registerMyLearningRoutes(withSessions, services.recommendations, {
      validations: services.validation,
    });
    registerPreferencesRoutes(withSessions, services.learningPreferences);
    // Evidence (the file upload is the one multipart route here) and the portfolio.
    await registerEvidenceRoutes(withSessions, { evidence: services.evidence });
    registerPortfolioRoutes(withSessions, { portfolio: services.portfolio });
    registerPlanRoutes(withSessions, { plans: services.plans, validations: services.validation });
    registerValidationRoutes(withSessions, { validation: services.validation });
    registerHomeRoutes(withSessions, { assessments: services.assessments, home: services.home });
    registerInsightsRoutes(withSessions, {
      insights: services.insights,
      organisations: services.organisations,
    });
  });

  // Erased people's files are deleted in the background: stop that before the database closes.
  app.addHook('preClose', () => {
    services.evidence.close();
    return Promise.resolve();
  });

  // Background jobs: each runs in one instance per interval (a lease in scheduled_jobs), never in
  // tests (which run jobs themselves). `node dist/cli.js send-reminders` runs the reminders once.
  if (config.nodeEnv !== 'test') {
    const scheduler = createScheduler({ database: services.database, logger: app.log });
    scheduler.register(housekeepingJob(services));
    scheduler.register(remindersJob(services.reminders));
    scheduler.register(evidenceFilesSweepJob(services.evidence));
    scheduler.start();
    app.addHook('preClose', () => scheduler.stop());
    // The insights read model's queue, emptied in the background (one instance at a time).
    const insightsWorker = startInsightsWorker({ readModel: services.readModel, logger: app.log });
    app.addHook('preClose', () => insightsWorker.stop());
  }
}
