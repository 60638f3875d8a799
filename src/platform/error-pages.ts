/**
 * Not-found and error responses: NHS-styled pages for people, JSON under /api. Domain errors
 * carry their status; anything unexpected is a 500 whose details are logged, and shown only in
 * development.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { DomainError } from './errors.js';

const titles: Record<number, string> = {
  400: 'There is a problem with the request',
  403: 'You do not have permission to see this page',
  404: 'Page not found',
  405: 'Method not allowed',
  409: 'This could not be done',
  413: 'The request was too large',
  415: 'The request format is not supported',
  429: 'Too many requests',
};

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url === '/health';
}

/** @fastify/csrf-protection's errors: the form's token is missing, wrong or from another session. */
function isCsrfError(error: FastifyError | Error): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('FST_CSRF');
}

function statusOf(error: FastifyError | Error): number {
  if (error instanceof DomainError) return error.statusCode;
  const status = (error as FastifyError).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

async function send(
  request: FastifyRequest,
  reply: FastifyReply,
  config: Config,
  status: number,
  message: string,
  error?: Error,
): Promise<unknown> {
  reply.status(status).header('cache-control', 'no-store');
  if (wantsJson(request)) {
    return reply.send({
      statusCode: status,
      error: titles[status] ?? 'Internal server error',
      message,
    });
  }
  const template =
    status === 404 ? 'errors/404.njk' : status >= 500 ? 'errors/500.njk' : 'errors/problem.njk';
  try {
    return await reply.viewAsync(template, {
      pageTitle: titles[status] ?? 'Sorry, there is a problem with the service',
      message,
      status,
      detail: config.nodeEnv === 'development' && error ? error.stack : undefined,
    });
  } catch (renderError) {
    request.log.error({ err: renderError }, 'error page failed to render');
    return reply.type('text/plain; charset=utf-8').send(`${status} ${titles[status] ?? 'Error'}`);
  }
}

export function registerErrorPages(app: FastifyInstance, config: Config): void {
  app.setNotFoundHandler(async (request, reply) =>
    send(
      request,
      reply,
      config,
      404,
      'If you typed the web address, check it is correct. If you pasted it, check you copied all of it.',
    ),
  );
  app.setErrorHandler(async (error: FastifyError | Error, request, reply) => {
    const status = statusOf(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else
      request.log.info({ err: { message: error.message, statusCode: status } }, 'request refused');
    const message =
      status >= 500
        ? 'Try again later.'
        : isCsrfError(error)
          ? 'This form has expired or did not come from digicap. Go back, reload the page and try again.'
          : error.message;
    return send(request, reply, config, status, message, error);
  });
}
