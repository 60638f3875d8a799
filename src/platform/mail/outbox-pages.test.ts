/**
 * The outbox pages rendered through the real view stack (security headers, Nunjucks with
 * nhsuk-frontend, error pages) in a small app of their own: no database, so this runs in the unit
 * project. Wiring the routes into buildApp, only in development and test, is app.ts's job.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseHtml, textOf } from '../../../test/support/html.js';
import { loadConfig } from '../../config.js';
import { registerErrorPages } from '../error-pages.js';
import { registerSecurity } from '../security.js';
import { registerViews } from '../views.js';
import { createOutboxMailer, type OutboxMailer } from './outbox-mailer.js';
import { registerOutboxRoutes } from './outbox.routes.js';

describe('/dev/outbox pages', () => {
  let app: FastifyInstance;
  let outbox: OutboxMailer;

  beforeEach(async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    app = Fastify({ logger: false });
    outbox = createOutboxMailer(app.log);
    await registerSecurity(app, config);
    await registerViews(app, config);
    registerOutboxRoutes(app, outbox);
    registerErrorPages(app, config);
    await app.ready();
  });

  afterEach(async () => {
    await app.close();
  });

  it('says when the outbox is empty', async () => {
    const response = await app.inject({ url: '/dev/outbox' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const $ = parseHtml(response.body);
    expect(textOf($, 'h1')).toBe('Development outbox');
    expect($('head > title').text()).toBe('Development outbox – digicap');
    expect($('table').length).toBe(0);
    expect(textOf($, 'main')).toContain('No emails have been sent since the app started.');
  });

  it('lists emails newest first in an NHS.UK table, each subject linking to the email', async () => {
    await outbox.send({ to: 'first@example.org', subject: 'First', text: 'one' });
    await outbox.send({ to: 'second@example.org', subject: '<b>Second</b>', text: 'two' });

    const $ = parseHtml((await app.inject({ url: '/dev/outbox' })).body);
    expect(
      $('table.nhsuk-table thead th')
        .map((_i, th) => $(th).text().trim())
        .get(),
    ).toEqual(['Sent', 'To', 'Subject']);
    const rows = $('table.nhsuk-table tbody tr');
    expect(rows.length).toBe(2);
    const subjects = rows.map((_i, row) => $(row).find('a').text()).get();
    expect(subjects).toEqual(['<b>Second</b>', 'First']);
    expect($('table b').length).toBe(0);
    const [second, first] = outbox.list();
    expect(rows.first().find('a').attr('href')).toBe(`/dev/outbox/${second?.id ?? ''}`);
    expect(rows.last().find('td').eq(1).text().trim()).toBe('first@example.org');
    expect(rows.last().find('time').attr('datetime')).toBe(first?.sentAt.toISOString());
  });

  it('shows one email: safe links in the text made clickable, everything escaped', async () => {
    await outbox.send({
      to: 'jo@example.org',
      subject: 'Confirm your email address',
      text: [
        'Hello <script>alert("x")</script> Jo,',
        'Confirm: http://localhost:3000/confirm-email?token=abc&next=1',
        'Or sign in at /sign-in.',
        'Not this: javascript:alert(1) nor //evil.example/x',
      ].join('\n'),
      html: '<p onclick="x()">Confirm</p>',
    });
    const [message] = outbox.list();

    const response = await app.inject({ url: `/dev/outbox/${message?.id ?? ''}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const $ = parseHtml(response.body);
    expect(textOf($, 'h1')).toBe('Development outbox – Confirm your email address');
    expect($('head > title').text()).toBe('Email: Confirm your email address – digicap');
    expect($('.nhsuk-summary-list__value').first().text().trim()).toBe('jo@example.org');

    const pre = $('pre.app-outbox-body').first();
    expect(pre.text()).toBe(message?.text);
    expect(
      pre
        .find('a')
        .map((_i, a) => $(a).attr('href'))
        .get(),
    ).toEqual(['http://localhost:3000/confirm-email?token=abc&next=1', '/sign-in']);
    // Nothing from the message became markup: no script, no onclick, on the whole page.
    expect($('main script').length).toBe(0);
    expect($('[onclick]').length).toBe(0);
    expect($('details pre').text()).toBe('<p onclick="x()">Confirm</p>');
    expect(
      $('.nhsuk-breadcrumb__list a')
        .map((_i, a) => $(a).attr('href'))
        .get(),
    ).toEqual(['/', '/dev/outbox']);
  });

  it('is a 404 page for an email that is not in the outbox', async () => {
    const response = await app.inject({ url: '/dev/outbox/no-such-email' });
    expect(response.statusCode).toBe(404);
    expect(textOf(parseHtml(response.body), 'h1')).toBe('Page not found');
  });
});
