import { describe, expect, it } from 'vitest';
import { formatDate, highlightHtml, nodePath } from './explorer.presenter.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from './framework.model.js';

describe('highlightHtml', () => {
  it('escapes the text and marks the matches', () => {
    expect(
      highlightHtml(
        `I can <b>use</b> ${HIGHLIGHT_START}remote${HIGHLIGHT_END} "monitoring" & more.`,
      ),
    ).toBe(
      'I can &lt;b&gt;use&lt;/b&gt; <mark class="app-highlight">remote</mark> &quot;monitoring&quot; &amp; more.',
    );
  });
});

describe('nodePath', () => {
  it('sends domains to domain pages and areas to area pages', () => {
    expect(nodePath('f', { code: '1', isArea: true, parentCode: null })).toBe(
      '/frameworks/f/domains/1',
    );
    expect(nodePath('f', { code: '5', isArea: false, parentCode: null })).toBe(
      '/frameworks/f/domains/5',
    );
    expect(nodePath('f', { code: '5.1.3', isArea: true, parentCode: '5.1' })).toBe(
      '/frameworks/f/areas/5.1.3',
    );
    expect(nodePath('f', { code: '5.1', isArea: false, parentCode: '5' })).toBe(
      '/frameworks/f/domains/5',
    );
  });
});

describe('formatDate', () => {
  it('writes dates the NHS.UK way', () => {
    expect(formatDate('2023-02-21')).toBe('21 February 2023');
    expect(formatDate('not a date')).toBe('not a date');
  });
});
