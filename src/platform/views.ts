/**
 * Server-rendered pages: Nunjucks through @fastify/view, with nhsuk-frontend's templates and
 * macros on the search path (GUIDE.md). Every render gets the CSP nonce, the service name and the
 * current path from reply.locals.
 */
import path from 'node:path';
import fastifyView from '@fastify/view';
import type { FastifyInstance } from 'fastify';
import nunjucks from 'nunjucks';
import type { Config } from '../config.js';
import { loadAssetManifest, nhsukDir } from './assets.js';

export const SERVICE_NAME = 'digicap';

declare module 'fastify' {
  interface FastifyReply {
    locals?: Record<string, unknown>;
  }
}

export async function registerViews(app: FastifyInstance, config: Config): Promise<void> {
  const asset = loadAssetManifest(config);
  const nhsuk = nhsukDir();
  const searchPaths = [
    path.join(config.rootDir, 'src', 'views'),
    path.join(config.rootDir, 'src', 'modules'),
    path.join(nhsuk, 'components'),
    path.join(nhsuk, 'macros'),
    nhsuk,
    path.dirname(nhsuk),
  ];
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: searchPaths,
    production: config.nodeEnv !== 'development',
    options: {
      autoescape: true,
      throwOnUndefined: false,
      trimBlocks: true,
      lstripBlocks: true,
      onConfigure: (env: nunjucks.Environment) => {
        env.addGlobal('asset', asset);
        env.addGlobal('serviceName', SERVICE_NAME);
        env.addFilter(
          'plural',
          (n: number, one: string, many?: string) => `${n} ${n === 1 ? one : (many ?? `${one}s`)}`,
        );
      },
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    // currentUser (who is signed in) is added by platform/session.ts's hooks, which run later.
    reply.locals = {
      cspNonce: reply.cspNonce.script,
      currentPath: request.url.split('?')[0],
    };
  });
}
