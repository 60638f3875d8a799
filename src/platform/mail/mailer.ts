/**
 * Outgoing email. Services are given a Mailer and only ever call send(). Which kind they get is
 * decided once, from configuration: SMTP (nodemailer) when an SMTP URL is configured, otherwise
 * the in-memory outbox that development and test read at /dev/outbox.
 */
import type { FastifyBaseLogger } from 'fastify';
import { createOutboxMailer, type OutboxMailer } from './outbox-mailer.js';
import { createSmtpMailer, type SmtpMailer } from './smtp-mailer.js';

export interface MailMessage {
  /** One address, e.g. "jo.bloggs@nhs.net". */
  to: string;
  subject: string;
  /** The plain-text body: always sent, and what the outbox shows. */
  text: string;
  /** An optional HTML alternative of the same content. */
  html?: string;
}

export interface Mailer {
  /** Delivers the message (or keeps it, for the outbox); rejects with a clear Error on failure. */
  send(message: MailMessage): Promise<void>;
}

export interface MailConfig {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465. */
  smtpUrl?: string;
  /** The From header, e.g. "digicap <no-reply@digicap.example>". */
  from: string;
}

/** SMTP when `smtpUrl` is set, otherwise the outbox. Narrow on `kind` to reach the outbox. */
export function createMailer(
  config: MailConfig,
  logger: FastifyBaseLogger,
): SmtpMailer | OutboxMailer {
  if (config.smtpUrl) return createSmtpMailer({ ...config, smtpUrl: config.smtpUrl }, logger);
  logger.info('no SMTP server configured: emails go to the development outbox at /dev/outbox');
  return createOutboxMailer(logger);
}
