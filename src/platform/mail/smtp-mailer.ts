/**
 * Email through an SMTP server with nodemailer. One connection per message (no pool): the app
 * sends a handful of emails (confirmations, resets, invitations), not bulk mail. No retry loop
 * of our own: a failure rejects with a MailDeliveryError that names the server but never the
 * password, and the caller decides what the person sees.
 */
import type { FastifyBaseLogger } from 'fastify';
import nodemailer, { type SMTPSentMessageInfo } from 'nodemailer';
import type { MailConfig, MailMessage, Mailer } from './mailer.js';

export interface SmtpMailer extends Mailer {
  readonly kind: 'smtp';
}

/** A message the SMTP server did not take. Its message names the server, never the password. */
export class MailDeliveryError extends Error {
  override name = 'MailDeliveryError';
  constructor(
    message: string,
    /** nodemailer's error code (ECONNECTION, ESOCKET, EAUTH, EENVELOPE, ETIMEDOUT…). */
    readonly code: string | undefined,
    /** The SMTP reply code, when the server answered (535, 550…). */
    readonly responseCode: number | undefined,
  ) {
    super(message);
  }

  /** A 5xx reply: sending the same message again will fail the same way. */
  get permanent(): boolean {
    return this.responseCode !== undefined && this.responseCode >= 500;
  }
}

/**
 * Time limits for one delivery (nodemailer's defaults are minutes, which would hold a request
 * open). Query parameters on the URL override them, e.g. `?socketTimeout=60000`.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

interface SmtpTarget {
  /** host:port, for messages. */
  server: string;
  /** The password as written in the URL and decoded, to scrub from messages. */
  secrets: string[];
}

function parseSmtpUrl(smtpUrl: string): SmtpTarget {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('The SMTP URL is not a valid URL (expected smtp://user:pass@host:587)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(
      `The SMTP URL must start smtp:// or smtps:// (got ${url.protocol}//), e.g. smtp://user:pass@host:587`,
    );
  }
  if (!url.hostname) throw new Error('The SMTP URL has no host name');
  const port = url.port || (url.protocol === 'smtps:' ? '465' : '587');
  const secrets = new Set<string>();
  if (url.password) {
    secrets.add(url.password);
    try {
      secrets.add(decodeURIComponent(url.password));
    } catch {
      // Not valid percent-encoding: nodemailer uses it as written, which is already listed.
    }
  }
  return { server: `${url.hostname}:${port}`, secrets: [...secrets].filter((s) => s.length > 0) };
}

function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}

function deliveryError(error: unknown, target: SmtpTarget): MailDeliveryError {
  const e = (error ?? {}) as { message?: unknown; code?: unknown; responseCode?: unknown };
  const reason = typeof e.message === 'string' && e.message ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  return new MailDeliveryError(
    scrub(
      `Could not send email through the SMTP server ${target.server}: ${reason}${code ? ` (${code})` : ''}`,
      target.secrets,
    ),
    code,
    responseCode,
  );
}

export function createSmtpMailer(
  config: MailConfig & { smtpUrl: string },
  logger: FastifyBaseLogger,
): SmtpMailer {
  const target = parseSmtpUrl(config.smtpUrl);
  const transport = nodemailer.createTransport({ ...TIMEOUTS, url: config.smtpUrl });
  logger.info({ smtp: target.server }, 'emails are sent through SMTP');
  return {
    kind: 'smtp',
    async send(message: MailMessage): Promise<void> {
      let info: SMTPSentMessageInfo;
      try {
        info = await transport.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html === undefined ? {} : { html: message.html }),
        });
      } catch (error) {
        throw deliveryError(error, target);
      }
      if (info.rejected.length > 0) {
        throw new MailDeliveryError(
          scrub(
            `The SMTP server ${target.server} refused the recipient: ${info.response}`,
            target.secrets,
          ),
          'EENVELOPE',
          undefined,
        );
      }
      // Subject and message id only: the address is personal data and the body holds links.
      logger.info({ mail: { messageId: info.messageId, subject: message.subject } }, 'email sent');
    },
  };
}
