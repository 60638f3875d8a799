/**
 * Accessibility checks with axe-core against WCAG 2.2 AA.
 *
 * axe needs timers, which never fire in a page whose JavaScript is off (switching script
 * execution back on through the DevTools protocol does not revive them). So for a page loaded
 * with JavaScript off, axe runs on a copy: the DOM exactly as the JavaScript-less browser built
 * it, served at the same URL into a JavaScript-enabled page whose Content Security Policy is
 * `script-src 'none'`, so that none of the page's own scripts runs while axe (injected through
 * the DevTools protocol, which the policy does not govern) does. Styles, images and the URL are
 * the real ones, so colour contrast, layout and link targets are checked as they are.
 *
 * axe runs in legacy mode: our pages have no frames, and the default mode's extra blank page for
 * merging frame results made each check about half as slow again.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
type Violation = AxeResults['violations'][number];

const targets = (v: Violation) => v.nodes.map((n) => n.target.join(' '));

/** Each violation with its rule, help text and the elements it was found on. */
export function describeViolations(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map(
        (n) =>
          `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
      );
      return `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`;
    })
    .join('\n');
}

const axe = (page: Page) => new AxeBuilder({ page }).withTags(WCAG_TAGS).setLegacyMode(true);

async function analyzeWithoutJavaScript(page: Page): Promise<AxeResults> {
  const url = page.url();
  const html = await page.content();
  // <noscript> content renders only when JavaScript is off; the copy could not show it.
  expect(
    await page.locator('noscript').count(),
    'pages with <noscript> need another approach',
  ).toBe(0);
  const browser = page.context().browser();
  if (!browser) throw new Error('axe without JavaScript needs a browser to open a second context');
  const context = await browser.newContext({
    javaScriptEnabled: true,
    viewport: page.viewportSize(),
  });
  try {
    const copy = await context.newPage();
    // A fragment (#section) is never part of the request the route sees.
    const withoutFragment = (href: string) => href.split('#')[0];
    await copy.route(
      (u) => withoutFragment(u.href) === withoutFragment(url),
      (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          headers: { 'content-security-policy': "script-src 'none'" },
          body: html,
        }),
    );
    await copy.goto(url);
    await expect(copy.locator('body'), 'no page script may run in the copy').not.toHaveClass(
      /\bjs-enabled\b/,
    );
    return await axe(copy).analyze();
  } finally {
    await context.close();
  }
}

async function analyze(page: Page, javaScriptEnabled: boolean): Promise<AxeResults> {
  if (!javaScriptEnabled) return analyzeWithoutJavaScript(page);
  return axe(page).analyze();
}

export async function expectNoAxeViolations(page: Page, javaScriptEnabled: boolean): Promise<void> {
  const results = await analyze(page, javaScriptEnabled);
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} at ${targets(v).join(', ')}`),
    `axe found ${results.violations.length} WCAG 2.2 AA violation(s) on ${page.url()}:\n${describeViolations(results.violations)}`,
  ).toEqual([]);
}
