/** GET /health: 200 {"status":"ok"} when the database answers, 503 when it does not. */
import type { FastifyInstance } from 'fastify';
import type { Database } from './db/index.js';

const HEALTH_TIMEOUT_MS = 2_000;

export function registerHealth(app: FastifyInstance, database: Database): void {
  app.get(
    '/health',
    {
      schema: {
        hide: true,
        response: {
          200: {
            type: 'object',
            properties: {
              status: { type: 'string' },
              checks: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
          503: {
            type: 'object',
            properties: {
              status: { type: 'string' },
              checks: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
        },
      },
      logLevel: 'warn',
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          database.ping(),
          new Promise((_resolve, reject) => {
            timer = setTimeout(() => {
              reject(new Error(`no answer in ${HEALTH_TIMEOUT_MS} ms`));
            }, HEALTH_TIMEOUT_MS);
          }),
        ]);
        return { status: 'ok', checks: { database: 'ok' } };
      } catch (error) {
        request.log.error({ err: error }, 'health check: database unreachable');
        return await reply
          .status(503)
          .send({ status: 'error', checks: { database: 'unreachable' } });
      } finally {
        clearTimeout(timer);
      }
    },
  );
}
