/**
 * The development outbox: a Mailer that keeps the most recent messages in memory instead of
 * sending them, for /dev/outbox to list. Each message is logged by recipient and subject only:
 * bodies carry single-use links (confirm email, reset password), which must never reach a log.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { MailMessage, Mailer } from './mailer.js';

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | undefined;
  sentAt: Date;
}

export interface OutboxMailer extends Mailer {
  readonly kind: 'outbox';
  /** Kept messages, newest first. */
  list(): readonly OutboxMessage[];
  find(id: string): OutboxMessage | undefined;
}

export interface OutboxOptions {
  /** How many messages to keep; older ones are dropped. Default 200. */
  capacity?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

export function createOutboxMailer(
  logger: FastifyBaseLogger,
  { capacity = 200, now = () => new Date() }: OutboxOptions = {},
): OutboxMailer {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`Outbox capacity must be a whole number of at least 1 (got ${capacity})`);
  }
  // Newest first, so list() is a copy and nothing is re-sorted.
  const messages: OutboxMessage[] = [];
  return {
    kind: 'outbox',
    send(message: MailMessage): Promise<void> {
      const kept: OutboxMessage = {
        id: randomUUID(),
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        sentAt: now(),
      };
      messages.unshift(kept);
      if (messages.length > capacity) messages.length = capacity;
      logger.info(
        { mail: { id: kept.id, to: kept.to, subject: kept.subject } },
        `email kept in the development outbox: /dev/outbox/${kept.id}`,
      );
      return Promise.resolve();
    },
    list: () => [...messages],
    find: (id) => messages.find((m) => m.id === id),
  };
}
