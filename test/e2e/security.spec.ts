/**
 * Security and performance headers as a browser receives them: a strict, nonce-based Content
 * Security Policy on every HTML page (including cached ones, whose nonce must still be fresh),
 * long-lived immutable caching and brotli for fingerprinted assets, and pages that load without
 * console errors.
 */
import * as cheerio from 'cheerio';
import { expect, type Page, type Response, test } from '@playwright/test';
import { FRAMEWORK } from './support/framework.js';

/** The policy as a map of directive → its values. */
function parseCsp(header: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  return directives;
}

/** Checks the response's policy and returns its script nonce. */
function scriptNonceOf(response: Response | null): string {
  expect(response, 'navigation response').not.toBeNull();
  const header = response?.headers()['content-security-policy'];
  expect(header, 'content-security-policy header').toBeTruthy();
  const csp = parseCsp(header ?? '');
  for (const [name, values] of csp) {
    expect(values, `${name} must not allow inline code`).not.toContain("'unsafe-inline'");
    expect(values, `${name} must not allow eval`).not.toContain("'unsafe-eval'");
  }
  expect(csp.get('default-src')).toEqual(["'self'"]);
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('base-uri')).toEqual(["'self'"]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  const nonces = (csp.get('script-src') ?? [])
    .map((v) => /^'nonce-([A-Za-z0-9+/_=-]+)'$/.exec(v)?.[1])
    .filter((n): n is string => n !== undefined);
  expect(nonces, 'script-src has exactly one nonce').toHaveLength(1);
  const nonce = nonces[0] ?? '';
  // 128 random bits take 22 characters in base64 and 32 in hex.
  expect(nonce.length, 'nonce length').toBeGreaterThanOrEqual(22);
  return nonce;
}

/** The nonce of every <script> on the page (the IDL property: browsers hide the attribute). */
const scriptNonces = (page: Page) =>
  page
    .locator('script')
    .evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));

const htmlPages = [
  { path: '/', status: 200 },
  { path: FRAMEWORK, status: 200 },
  { path: `${FRAMEWORK}/domains/2`, status: 200 },
  { path: `${FRAMEWORK}/statements?q=remote&archetype=U&level=2`, status: 200 },
  { path: `${FRAMEWORK}/statements/6.3-1-01`, status: 200 },
  { path: `${FRAMEWORK}/levels`, status: 200 },
  { path: `${FRAMEWORK}?level=9`, status: 400 },
  { path: '/no-such-page', status: 404 },
];

test.describe('content security policy', () => {
  for (const { path, status } of htmlPages) {
    test(`${path} has a nonce-based policy that its scripts carry, fresh on every response`, async ({
      page,
    }) => {
      const seen = new Set<string>();
      // Twice: the second response may come from the page cache, and must still get a new nonce.
      for (let visit = 1; visit <= 2; visit++) {
        const response = await page.goto(path);
        expect(response?.status()).toBe(status);
        const nonce = scriptNonceOf(response);
        expect(seen.has(nonce), `visit ${visit} reused a nonce`).toBe(false);
        seen.add(nonce);
        const nonces = await scriptNonces(page);
        expect(
          nonces.length,
          'the module script and the template’s inline script',
        ).toBeGreaterThanOrEqual(2);
        expect(nonces).toEqual(nonces.map(() => nonce));
      }
    });
  }

  test('the nonce in the HTML matches the header without compression too', async ({ page }) => {
    for (const path of [FRAMEWORK, `${FRAMEWORK}/levels`, `${FRAMEWORK}/levels`]) {
      const response = await page.request.get(path, { headers: { 'accept-encoding': 'identity' } });
      expect(response.status()).toBe(200);
      expect(response.headers()['content-encoding']).toBeUndefined();
      const header = parseCsp(response.headers()['content-security-policy'] ?? '');
      const nonce = /^'nonce-(.+)'$/.exec(
        (header.get('script-src') ?? []).find((v) => v.startsWith("'nonce-")) ?? '',
      )?.[1];
      expect(nonce).toBeTruthy();
      const $ = cheerio.load(await response.text());
      const attributes = $('script')
        .toArray()
        .map((s) => $(s).attr('nonce'));
      expect(attributes.length).toBeGreaterThanOrEqual(2);
      expect(attributes).toEqual(attributes.map(() => nonce));
    }
  });
});

test.describe('static assets', () => {
  test('fingerprinted CSS and JS are cached for a year, immutable, and sent as brotli', async ({
    page,
  }) => {
    await page.goto(FRAMEWORK);
    const css = await page.locator('link[rel="stylesheet"]').getAttribute('href');
    const js = await page.locator('script[type="module"][src]').getAttribute('src');
    expect(css).toMatch(/^\/static\/app-[0-9a-f]{10}\.css$/);
    expect(js).toMatch(/^\/static\/app-[0-9a-f]{10}\.js$/);

    for (const [asset, type] of [
      [css ?? '', /^text\/css\b/],
      [js ?? '', /^(application|text)\/javascript\b/],
    ] as const) {
      const plain = await page.request.get(asset, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.status(), asset).toBe(200);
      expect(plain.headers()['content-type']).toMatch(type);
      expect(plain.headers()['content-encoding'], `${asset} asked for identity`).toBeUndefined();
      const cacheControl = (plain.headers()['cache-control'] ?? '')
        .split(',')
        .map((d) => d.trim().toLowerCase());
      expect(cacheControl, `${asset} cache-control`).toContain('immutable');
      expect(cacheControl, `${asset} cache-control`).toContain('max-age=31536000');
      expect(cacheControl, `${asset} cache-control`).toContain('public');

      const brotli = await page.request.get(asset, { headers: { 'accept-encoding': 'br' } });
      expect(brotli.status(), asset).toBe(200);
      expect(brotli.headers()['content-encoding'], `${asset} with accept-encoding: br`).toBe('br');
      expect(brotli.headers()['vary'] ?? '').toMatch(/accept-encoding/i);
      expect(brotli.headers()['cache-control']).toBe(plain.headers()['cache-control']);
      // Playwright decodes the body: it must be the same file.
      expect((await brotli.body()).equals(await plain.body()), `${asset} decoded brotli`).toBe(
        true,
      );
    }
  });
});

/** Pages checked for console errors, with the status each should have. */
const consolePages = [
  { path: '/', status: 200 },
  { path: '/frameworks', status: 200 },
  { path: FRAMEWORK, status: 200 },
  { path: `${FRAMEWORK}/domains/6`, status: 200 },
  { path: `${FRAMEWORK}/areas/2.2?q=remote`, status: 200 },
  { path: `${FRAMEWORK}/statements?q=remote+monitoring&archetype=U&level=2`, status: 200 },
  { path: `${FRAMEWORK}/statements/6.3-1-01`, status: 200 },
  { path: `${FRAMEWORK}/levels`, status: 200 },
  { path: `${FRAMEWORK}/archetypes`, status: 200 },
  { path: `${FRAMEWORK}/archetypes/U`, status: 200 },
  { path: `${FRAMEWORK}/versions`, status: 200 },
  { path: `${FRAMEWORK}?level=9`, status: 400 },
  { path: '/no-such-page', status: 404 },
];

/** The machine running the tests has no internet, so the NHS.UK web font cannot load. */
const isOfflineFont = (url: string) => url.startsWith('https://assets.nhs.uk/');

test.describe('no console errors', () => {
  for (const { path, status } of consolePages) {
    test(`${path} loads without console errors or failed requests`, async ({ page, baseURL }) => {
      const documentUrl = new URL(path, baseURL).href;
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() !== 'error' && message.type() !== 'warning') return;
        const { url } = message.location();
        if (isOfflineFont(url)) return;
        // Chromium logs a document's own error status (404, 400) as a failed resource load.
        if (
          status >= 400 &&
          url === documentUrl &&
          message
            .text()
            .startsWith(`Failed to load resource: the server responded with a status of ${status}`)
        )
          return;
        problems.push(`console ${message.type()}: ${message.text()} (${url})`);
      });
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      page.on('requestfailed', (request) => {
        if (isOfflineFont(request.url())) return;
        problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
      });
      page.on('response', (response) => {
        const url = response.url();
        if (response.request().isNavigationRequest() || !url.startsWith(baseURL ?? '')) return;
        if (response.status() >= 400) problems.push(`subresource ${response.status()}: ${url}`);
      });

      const response = await page.goto(path);
      expect(response?.status()).toBe(status);
      await page.waitForLoadState('networkidle');
      expect(problems).toEqual([]);
    });
  }
});
