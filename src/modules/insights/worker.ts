/**
 * Runs the read model's queue in the background in every app instance: a short poll (an empty
 * queue costs one tiny query), and the lock inside processQueue lets only one instance work at a
 * time. A submitted assessment therefore reaches the insights within about a second, far inside
 * the 60 seconds promised.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ReadModel } from './read-model.service.js';

export const INSIGHTS_POLL_MS = 500;

export function startInsightsWorker(options: {
  readModel: Pick<ReadModel, 'processQueue'>;
  logger: Pick<FastifyBaseLogger, 'error'>;
  intervalMs?: number;
}) {
  const intervalMs = options.intervalMs ?? INSIGHTS_POLL_MS;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = () => {
    running = options.readModel
      .processQueue()
      .then(() => undefined)
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'insights read model update failed; will retry');
      })
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
