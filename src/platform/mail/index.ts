/** Outgoing email: the Mailer port, its SMTP and development-outbox kinds, and the outbox pages. */
export { createMailer, type MailConfig, type MailMessage, type Mailer } from './mailer.js';
export { createSmtpMailer, MailDeliveryError, type SmtpMailer } from './smtp-mailer.js';
export {
  createOutboxMailer,
  type OutboxMailer,
  type OutboxMessage,
  type OutboxOptions,
} from './outbox-mailer.js';
export { registerOutboxRoutes } from './outbox.routes.js';
