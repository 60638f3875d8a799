/** Which parts of an email's text become links on the outbox page, and the pages' view models. */
import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from './outbox-mailer.js';
import { linkSegments, outboxMessagePage, outboxPage } from './outbox.presenter.js';

const links = (text: string) => linkSegments(text).filter((s) => s.href !== undefined);

describe('linkSegments', () => {
  it('links http and https addresses and same-origin paths, keeping every character of the text', () => {
    const text =
      'Confirm: http://localhost:3000/confirm-email?token=abc&x=1\nOr go to /sign-in.\nhttps://www.nhs.uk/ (NHS)';
    const segments = linkSegments(text);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(links(text)).toEqual([
      {
        text: 'http://localhost:3000/confirm-email?token=abc&x=1',
        href: 'http://localhost:3000/confirm-email?token=abc&x=1',
      },
      { text: '/sign-in', href: '/sign-in' },
      { text: 'https://www.nhs.uk/', href: 'https://www.nhs.uk/' },
    ]);
  });

  it('leaves closing punctuation outside the link', () => {
    expect(links('See (https://example.org/a).')).toEqual([
      { text: 'https://example.org/a', href: 'https://example.org/a' },
    ]);
    expect(links('Go to "/account"!')).toEqual([{ text: '/account', href: '/account' }]);
  });

  it('never links other schemes, protocol-relative or backslash paths, or a path inside a word', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'mailto:someone@example.org',
      'ftp://example.org/file',
      '//evil.example/path',
      '/\\evil.example',
      'and/or',
      'either / or',
      'file:///etc/passwd',
    ]) {
      expect(links(text), text).toEqual([]);
      expect(
        linkSegments(text)
          .map((s) => s.text)
          .join(''),
        text,
      ).toBe(text);
    }
  });

  it('does not let markup or quotes into a link', () => {
    const text = 'http://example.org/"><script>alert(1)</script> and /a<b>';
    expect(links(text)).toEqual([
      { text: 'http://example.org/', href: 'http://example.org/' },
      { text: '/a', href: '/a' },
    ]);
    expect(
      linkSegments(text)
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });

  it('returns no segments for an empty text', () => {
    expect(linkSegments('')).toEqual([]);
  });
});

const message: OutboxMessage = {
  id: '0b6c7a8e-0000-4000-8000-000000000001',
  to: 'jo@example.org',
  subject: 'Reset <your> password',
  text: 'Reset it: /reset-password?token=t1',
  html: '<p>Reset</p>',
  sentAt: new Date('2026-03-05T14:03:22Z'),
};

describe('outboxPage', () => {
  it('lists messages in the order given, linking each subject, escaping what the message holds', () => {
    const page = outboxPage([message]);
    expect(page.pageTitle).toBe('Development outbox');
    expect(page.count).toBe(1);
    expect(page.tableArgs.rows).toEqual([
      [
        { html: '<time datetime="2026-03-05T14:03:22.000Z">5 Mar 2026, 14:03:22</time>' },
        { text: 'jo@example.org' },
        {
          html: '<a href="/dev/outbox/0b6c7a8e-0000-4000-8000-000000000001">Reset &lt;your&gt; password</a>',
        },
      ],
    ]);
  });
});

describe('outboxMessagePage', () => {
  it('gives the summary, the linked text and the HTML source', () => {
    const page = outboxMessagePage(message);
    expect(page.pageTitle).toBe('Email: Reset <your> password');
    expect(page.breadcrumbArgs).toEqual([
      { text: 'Home', href: '/' },
      { text: 'Development outbox', href: '/dev/outbox' },
    ]);
    expect(page.summaryListArgs.rows.map((r) => r.key.text)).toEqual(['To', 'Subject', 'Sent']);
    expect(page.bodySegments).toEqual([
      { text: 'Reset it: ' },
      { text: '/reset-password?token=t1', href: '/reset-password?token=t1' },
    ]);
    expect(page.htmlSource).toBe('<p>Reset</p>');
  });
});
