/**
 * View models for the development outbox pages. Everything a message holds is escaped by the
 * template; the only links made are to same-origin paths and to http(s) addresses, found in the
 * plain-text body.
 */
import { escapeHtml } from '../forms.js';
import type { OutboxMessage } from './outbox-mailer.js';

export const OUTBOX_PATH = '/dev/outbox';

/** A run of body text; with `href` when it is a link. */
export interface TextSegment {
  text: string;
  href?: string;
}

// A candidate link: an http(s) URL anywhere, or a path starting "/" at the start of the text or
// after whitespace or an opening bracket or quote. Backslashes and quotes never belong to one.
const CANDIDATE = /https?:\/\/[^\s<>"'`\\]+|(?<=^|[\s(["'])\/[^\s<>"'`\\]*/gi;
// Punctuation that usually ends the sentence rather than the link.
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** The href for a candidate, or undefined when it must stay plain text. */
function safeHref(candidate: string): string | undefined {
  if (candidate.startsWith('/')) {
    // "//host" is another origin; a lone "/" is almost always prose ("and / or").
    return candidate.length > 1 && !candidate.startsWith('//') ? candidate : undefined;
  }
  try {
    const url = new URL(candidate);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname
      ? url.href
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits plain text into runs, marking same-origin paths and http(s) URLs as links. */
export function linkSegments(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let plain = '';
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const candidate = match[0].replace(TRAILING, '');
    const href = candidate ? safeHref(candidate) : undefined;
    if (!href) continue;
    plain += text.slice(last, match.index);
    if (plain) segments.push({ text: plain });
    plain = '';
    segments.push({ text: candidate, href });
    last = match.index + candidate.length;
  }
  plain += text.slice(last);
  if (plain) segments.push({ text: plain });
  return segments;
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'medium',
  timeZone: 'Europe/London',
});

function messagePath(message: OutboxMessage): string {
  return `${OUTBOX_PATH}/${encodeURIComponent(message.id)}`;
}

const home = { text: 'Home', href: '/' };

export function outboxPage(messages: readonly OutboxMessage[]) {
  return {
    pageTitle: 'Development outbox',
    breadcrumbArgs: [home],
    count: messages.length,
    tableArgs: {
      caption: 'Emails, newest first',
      head: [{ text: 'Sent' }, { text: 'To' }, { text: 'Subject' }],
      rows: messages.map((m) => [
        {
          html: `<time datetime="${m.sentAt.toISOString()}">${escapeHtml(dateTime.format(m.sentAt))}</time>`,
        },
        { text: m.to },
        { html: `<a href="${escapeHtml(messagePath(m))}">${escapeHtml(m.subject)}</a>` },
      ]),
    },
  };
}

export function outboxMessagePage(message: OutboxMessage) {
  return {
    pageTitle: message.subject ? `Email: ${message.subject}` : 'Email',
    breadcrumbArgs: [home, { text: 'Development outbox', href: OUTBOX_PATH }],
    subject: message.subject,
    summaryListArgs: {
      rows: [
        { key: { text: 'To' }, value: { text: message.to } },
        { key: { text: 'Subject' }, value: { text: message.subject } },
        {
          key: { text: 'Sent' },
          value: {
            html: `<time datetime="${message.sentAt.toISOString()}">${escapeHtml(dateTime.format(message.sentAt))}</time>`,
          },
        },
      ],
    },
    bodySegments: linkSegments(message.text),
    /** The HTML alternative's source, shown as text (never rendered). */
    htmlSource: message.html,
  };
}
