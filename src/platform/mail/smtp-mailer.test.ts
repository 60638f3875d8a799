/**
 * The SMTP mailer against a real SMTP server (smtp-server) on a free loopback port: what arrives,
 * and how failures read. No test leaves the machine.
 */
import { createServer } from 'node:net';
import Fastify from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer, MailDeliveryError } from './smtp-mailer.js';

const silent = Fastify({ logger: false }).log;
const USER = 'digicap';
// Characters that need percent-encoding in a URL, to prove the password is decoded.
const PASSWORD = 's3cret:p@ss/word';
const from = 'digicap <no-reply@digicap.example>';

interface Received {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

/** Undo quoted-printable transfer encoding (soft line breaks and =XX escapes). */
function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => {
    probe.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('createSmtpMailer', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    server = new SMTPServer({
      logger: false,
      // Plain text on loopback only: no STARTTLS (its self-signed certificate would be refused).
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === USER && auth.password === PASSWORD) {
          callback(null, { user: auth.username });
        } else {
          callback(new Error('Invalid username or password'));
        }
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    port = address.port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  });

  const smtpUrl = (password: string) =>
    `smtp://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;

  it('delivers the message, with To, From, Subject, the text and the HTML alternative', async () => {
    const mailer = createSmtpMailer({ smtpUrl: smtpUrl(PASSWORD), from }, silent);
    const link = 'http://localhost:3000/confirm-email?token=abc123def456';
    await mailer.send({
      to: 'jo.bloggs@example.org',
      subject: 'Confirm your email address',
      text: `Hello Jo,\n\nConfirm your email address: ${link}\n`,
      html: `<p>Confirm your email address: <a href="${link}">confirm</a></p>`,
    });

    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail?.mailFrom).toBe('no-reply@digicap.example');
    expect(mail?.rcptTo).toEqual(['jo.bloggs@example.org']);
    const raw = mail?.raw ?? '';
    const [headers = ''] = raw.split(/\r?\n\r?\n/);
    expect(headers).toMatch(/^To: jo\.bloggs@example\.org$/m);
    expect(headers).toMatch(/^From: digicap <no-reply@digicap\.example>$/m);
    expect(headers).toMatch(/^Subject: Confirm your email address$/m);
    expect(headers).toMatch(/^Content-Type: multipart\/alternative/m);
    const body = decodeQuotedPrintable(raw);
    expect(body).toContain(`Confirm your email address: ${link}`);
    expect(body).toMatch(/Content-Type: text\/plain/);
    expect(body).toMatch(/Content-Type: text\/html/);
    expect(body).toContain(`<a href="${link}">confirm</a>`);
  });

  it('sends text alone when there is no HTML', async () => {
    received.length = 0;
    const mailer = createSmtpMailer({ smtpUrl: smtpUrl(PASSWORD), from }, silent);
    await mailer.send({ to: 'sam@example.org', subject: 'Plain', text: 'Just text.' });
    const raw = received[0]?.raw ?? '';
    expect(raw).toMatch(/^Content-Type: text\/plain/m);
    expect(raw).not.toMatch(/text\/html/);
    expect(raw).toContain('Just text.');
  });

  it('rejects a wrong password with a clear, permanent error that does not contain it', async () => {
    const wrong = 'wrong-Pa55word!';
    const mailer = createSmtpMailer({ smtpUrl: smtpUrl(wrong), from }, silent);
    const error = await mailer.send({ to: 'jo@example.org', subject: 'Hi', text: 'Hello' }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(MailDeliveryError);
    const e = error as MailDeliveryError;
    expect(e.message).toMatch(
      new RegExp(`^Could not send email through the SMTP server 127\\.0\\.0\\.1:${port}: `),
    );
    expect(e.code).toBe('EAUTH');
    expect(e.responseCode).toBe(535);
    expect(e.permanent).toBe(true);
    expect(e.message).not.toContain(wrong);
    expect(e.message).not.toContain(encodeURIComponent(wrong));
    expect(JSON.stringify(e)).not.toContain(wrong);
  });

  it('rejects when nothing listens on the port, naming the server but not the password', async () => {
    const closed = await freePort();
    const mailer = createSmtpMailer(
      { smtpUrl: `smtp://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${closed}`, from },
      silent,
    );
    const error = await mailer.send({ to: 'jo@example.org', subject: 'Hi', text: 'Hello' }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(MailDeliveryError);
    const e = error as MailDeliveryError;
    expect(e.message).toContain(`Could not send email through the SMTP server 127.0.0.1:${closed}`);
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(e.permanent).toBe(false);
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), 's3cret']) {
      expect(e.message).not.toContain(secret);
      expect(String(e.stack)).not.toContain(secret);
    }
  });
});
