/**
 * GET /dev/outbox and /dev/outbox/:id: the emails the outbox kept, for developers and the
 * end-to-end tests (which follow the links in them). Register only when NODE_ENV is development
 * or test: the pages show single-use links to anyone who can reach them.
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../errors.js';
import type { OutboxMailer } from './outbox-mailer.js';
import { OUTBOX_PATH, outboxMessagePage, outboxPage } from './outbox.presenter.js';

const hide = { schema: { hide: true } };

export function registerOutboxRoutes(
  app: FastifyInstance,
  outbox: Pick<OutboxMailer, 'list' | 'find'>,
): void {
  app.get(OUTBOX_PATH, hide, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return reply.viewAsync('dev/outbox.njk', outboxPage(outbox.list()));
  });

  app.get<{ Params: { id: string } }>(`${OUTBOX_PATH}/:id`, hide, async (request, reply) => {
    const message = outbox.find(request.params.id);
    if (!message) throw new NotFoundError('There is no email with that id in the outbox');
    reply.header('cache-control', 'no-store');
    return reply.viewAsync('dev/outbox-message.njk', outboxMessagePage(message));
  });
}
