/** The development outbox and the choice between it and SMTP. */
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createMailer } from './mailer.js';
import { createOutboxMailer } from './outbox-mailer.js';

/** A real (pino) logger whose JSON lines are kept for the test to read. */
function capturingLogger(): { logger: FastifyBaseLogger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const app = Fastify({
    logger: { level: 'info', stream: { write: (line: string) => written.push(line) } },
  });
  return {
    logger: app.log,
    lines: () => written.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const silent = Fastify({ logger: false }).log;

describe('createOutboxMailer', () => {
  it('keeps messages newest first, each with an id, the message and when it was sent', async () => {
    let tick = 0;
    const outbox = createOutboxMailer(silent, {
      now: () => new Date(Date.UTC(2026, 0, 1, 9, tick++)),
    });
    await outbox.send({ to: 'a@example.org', subject: 'First', text: 'one' });
    await outbox.send({ to: 'b@example.org', subject: 'Second', text: 'two', html: '<p>two</p>' });

    const [second, first] = outbox.list();
    expect(outbox.list()).toHaveLength(2);
    expect(second).toMatchObject({
      to: 'b@example.org',
      subject: 'Second',
      text: 'two',
      html: '<p>two</p>',
      sentAt: new Date(Date.UTC(2026, 0, 1, 9, 1)),
    });
    expect(first).toMatchObject({ subject: 'First', html: undefined });
    expect(first?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first?.id).not.toBe(second?.id);
    expect(outbox.find(first?.id ?? '')).toBe(first);
    expect(outbox.find('no-such-id')).toBeUndefined();
  });

  it('keeps only the most recent messages, up to its capacity', async () => {
    const outbox = createOutboxMailer(silent, { capacity: 3 });
    for (let i = 1; i <= 5; i++) {
      await outbox.send({ to: 'a@example.org', subject: `Message ${i}`, text: '' });
    }
    expect(outbox.list().map((m) => m.subject)).toEqual(['Message 5', 'Message 4', 'Message 3']);
  });

  it('keeps 200 messages by default', async () => {
    const outbox = createOutboxMailer(silent);
    for (let i = 1; i <= 201; i++) {
      await outbox.send({ to: 'a@example.org', subject: `Message ${i}`, text: '' });
    }
    expect(outbox.list()).toHaveLength(200);
    expect(outbox.list().at(-1)?.subject).toBe('Message 2');
  });

  it('hands out copies: changing the list does not change the outbox', async () => {
    const outbox = createOutboxMailer(silent);
    await outbox.send({ to: 'a@example.org', subject: 'Kept', text: '' });
    (outbox.list() as unknown[]).length = 0;
    expect(outbox.list()).toHaveLength(1);
  });

  it('refuses a capacity that is not a whole number of at least 1', () => {
    expect(() => createOutboxMailer(silent, { capacity: 0 })).toThrow(/at least 1/);
    expect(() => createOutboxMailer(silent, { capacity: 2.5 })).toThrow(/whole number/);
  });

  it('logs the recipient and subject at info level, never the body', async () => {
    const { logger, lines } = capturingLogger();
    const outbox = createOutboxMailer(logger);
    const link = 'http://localhost:3000/confirm-email?token=SECRET-TOKEN-123';
    await outbox.send({
      to: 'jo@example.org',
      subject: 'Confirm your email address',
      text: `Confirm: ${link}`,
      html: `<a href="${link}">Confirm</a>`,
    });

    const logged = lines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 30,
      mail: { to: 'jo@example.org', subject: 'Confirm your email address' },
    });
    expect(JSON.stringify(logged)).not.toContain('SECRET-TOKEN-123');
  });
});

describe('createMailer', () => {
  it('uses the outbox when no SMTP URL is configured (or it is empty), and says so in the log', () => {
    const { logger, lines } = capturingLogger();
    expect(createMailer({ from: 'digicap <no-reply@digicap.example>' }, logger).kind).toBe(
      'outbox',
    );
    expect(createMailer({ smtpUrl: '', from: 'x@digicap.example' }, silent).kind).toBe('outbox');
    expect(lines()[0]?.msg).toMatch(/no SMTP server configured/);
  });

  it('uses SMTP when an SMTP URL is configured, naming the server but not the password in the log', () => {
    const { logger, lines } = capturingLogger();
    const mailer = createMailer(
      { smtpUrl: 'smtp://user:hunter2-secret@mail.example.org:587', from: 'x@digicap.example' },
      logger,
    );
    expect(mailer.kind).toBe('smtp');
    expect(lines()[0]).toMatchObject({ smtp: 'mail.example.org:587' });
    expect(JSON.stringify(lines())).not.toContain('hunter2-secret');
  });

  it('refuses an SMTP URL of another kind, without echoing it', () => {
    expect(() =>
      createMailer(
        { smtpUrl: 'https://user:pw-secret@mail.example.org', from: 'x@example.org' },
        silent,
      ),
    ).toThrow(/must start smtp:\/\/ or smtps:\/\/ \(got https:\/\/\)/);
    expect(() => createMailer({ smtpUrl: 'not a url', from: 'x@example.org' }, silent)).toThrow(
      /not a valid URL/,
    );
  });
});
