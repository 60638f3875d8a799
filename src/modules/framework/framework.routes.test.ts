/** Explorer pages through app.inject(), asserting on parsed HTML. Runs on PGlite and PostgreSQL. */
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHtml, textOf } from '../../../test/support/html.js';
import { buildTestApp } from '../../../test/support/test-app.js';

const base = '/frameworks/ai-digital-healthcare';
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

async function page(url: string, expectedStatus = 200) {
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(expectedStatus);
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  return { response, $: parseHtml(response.body) };
}

/** Statement items on a list page: id, level heading above it, archetype names. */
function statementsOn($: ReturnType<typeof parseHtml>) {
  return $('li.app-statement')
    .toArray()
    .map((el) => {
      const item = $(el);
      return {
        id: item.attr('id')?.replace(/^s-/, '') ?? '',
        level: item.closest('ol').prevAll('h3').first().text().trim(),
        archetypes: item
          .find('.app-badge .nhsuk-u-visually-hidden')
          .toArray()
          .map((b) => $(b).text()),
        marks: item
          .find('mark')
          .toArray()
          .map((m) => $(m).text()),
      };
    });
}

describe('home and framework pages', () => {
  it('home page says what digicap is and links into the explorer', async () => {
    const { $ } = await page('/');
    expect(textOf($, 'h1')).toBe('Build your digital, data and AI capability');
    expect($('title').text()).toContain('digicap');
    expect($(`a[href="${base}"]`).length).toBeGreaterThan(0);
    expect($(`a[href="${base}/archetypes"]`).length).toBeGreaterThan(0);
    expect($('a.nhsuk-skip-link[href="#maincontent"]').length).toBe(1);
  });

  it('framework page lists the 6 domains with their areas and counts', async () => {
    const { $ } = await page(base);
    const domainLinks = $('.app-domain-table__domain th a')
      .toArray()
      .map((a) => $(a).attr('href'));
    expect(domainLinks).toEqual([1, 2, 3, 4, 5, 6].map((n) => `${base}/domains/${n}`));
    // Below the domains: 15 areas (domain 1 is its own area) and the 3 sub-domains 4.1, 5.1, 5.2.
    const below = $('tbody tr:not(.app-domain-table__domain) th');
    expect(below.length).toBe(18);
    expect(below.filter((_i, th) => $(th).find('a').length === 1).length).toBe(15);
    expect(
      below
        .filter((_i, th) => $(th).find('a').length === 0)
        .toArray()
        .map((th) => $(th).text()),
    ).toEqual([
      '4.1 Management, leadership and planning',
      '5.1 Data management and processing',
      '5.2 Data/cyber security',
    ]);
    expect($('table caption').text()).toContain('sub-domains');
    const total = $('.app-domain-table__domain td')
      .toArray()
      .reduce((n, td) => n + Number($(td).text()), 0);
    expect(total).toBeGreaterThanOrEqual(195);
    expect($('table caption').length).toBe(1);
    expect($('nav.nhsuk-breadcrumb').length).toBe(1);
  });

  it('framework page counts only matching statements when filtered', async () => {
    const { $ } = await page(`${base}?archetype=U&level=1`);
    const filteredTotal = $('.app-domain-table__domain td')
      .toArray()
      .reduce((n, td) => n + Number($(td).text()), 0);
    const { $: $all } = await page(base);
    const total = $all('.app-domain-table__domain td')
      .toArray()
      .reduce((n, td) => n + Number($all(td).text()), 0);
    expect(filteredTotal).toBeGreaterThan(0);
    expect(filteredTotal).toBeLessThan(total);
    // Domain links carry the filter so it survives navigation.
    expect($('.app-domain-table__domain th a').first().attr('href')).toBe(
      `${base}/domains/1?archetype=U&level=1`,
    );
  });
});

describe('domain and area pages', () => {
  it('domain page lists statements grouped by area, then level, with badges and permalinks', async () => {
    const { $ } = await page(`${base}/domains/5`);
    expect(textOf($, 'h1')).toContain('Health data management');
    expect(
      $('h2.app-area__heading a')
        .toArray()
        .map((h) => $(h).text().trim().split(' ')[0]),
    ).toEqual(['5.1.1', '5.1.2', '5.1.3', '5.1.4', '5.2.1']);
    const items = statementsOn($);
    expect(items.length).toBe(65);
    expect(new Set(items.map((i) => i.level))).toEqual(
      new Set([
        'Level 1: Awareness',
        'Level 2: Informed use',
        'Level 3: Critical application',
        'Level 4: Transformation',
      ]),
    );
    for (const item of items) expect(item.archetypes.length).toBeGreaterThan(0);
    expect($(`a[href="${base}/statements/5.1.3-2-01"]`).length).toBe(1);
  });

  it('area page shows one area by level', async () => {
    const { $ } = await page(`${base}/areas/6.3`);
    expect(textOf($, 'h1')).toContain('Evaluating AI systems');
    expect(textOf($, 'h1 .nhsuk-caption-l')).toContain('Area 6.3');
    const items = statementsOn($);
    expect(items.length).toBeGreaterThanOrEqual(8);
    expect(items.every((i) => i.id.startsWith('6.3-'))).toBe(true);
    const levels = items.map((i) => Number(/Level (\d)/.exec(i.level)?.[1]));
    expect([...levels].sort()).toEqual(levels);
  });

  it('domain 1 is its own area: its area URL redirects to the domain page', async () => {
    const response = await app.inject({ url: `${base}/areas/1` });
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe(`${base}/domains/1`);
  });

  it('filters by archetype and level together, keeping only matching statements', async () => {
    const { $ } = await page(`${base}/domains/6?archetype=C&level=3&level=4`);
    const items = statementsOn($);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.archetypes).toContain('Creators');
      expect(item.level).toMatch(/^Level [34]:/);
    }
    expect($('input[name="archetype"][value="C"]').attr('checked')).toBeDefined();
    expect($('input[name="level"][value="3"]').attr('checked')).toBeDefined();
    expect($('input[name="level"][value="1"]').attr('checked')).toBeUndefined();
    expect(textOf($, '.app-results-summary')).toMatch(
      /^\d+ of \d+ statements for Creators, at level 3 or 4$/,
    );
  });

  it('searches with full-text search and highlights the matches', async () => {
    const { $ } = await page(`${base}/statements?q=remote+monitoring`);
    const items = statementsOn($);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.marks.length).toBeGreaterThan(0);
    expect(items.flatMap((i) => i.marks.map((m) => m.toLowerCase()))).toContain('monitoring');
    expect($('input#q').val()).toBe('remote monitoring');
    expect($('title').text()).toContain('search results');
  });

  it('combines search with filters', async () => {
    const { $ } = await page(`${base}/statements?q=data&archetype=U&level=2`);
    const items = statementsOn($);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.archetypes).toContain('Users');
      expect(item.level).toMatch(/^Level 2:/);
      expect(item.marks.length).toBeGreaterThan(0);
    }
  });

  it('escapes what people type', async () => {
    const { response, $ } = await page(
      `${base}/statements?q=${encodeURIComponent('<script>alert(1)</script>')}`,
    );
    expect(
      $('script:not([src])')
        .toArray()
        .every((s) => !$(s).html()?.includes('alert')),
    ).toBe(true);
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect($('input#q').val()).toBe('<script>alert(1)</script>');
  });

  it('shows a clear empty state when nothing matches', async () => {
    const { $ } = await page(`${base}/statements?q=zzzqqqxxy`);
    expect(statementsOn($)).toEqual([]);
    expect(textOf($, '.app-empty h2')).toBe('No statements match');
    expect($('.app-empty a').attr('href')).toBe(`${base}/statements`);
  });

  it('rejects bad filter values with an error summary, inline errors and "Error:" in the title', async () => {
    const { $ } = await page(`${base}/domains/2?level=9&archetype=Q`, 400);
    expect($('title').text()).toMatch(/^Error: /);
    const summaryLinks = $('.nhsuk-error-summary a')
      .toArray()
      .map((a) => [$(a).attr('href'), $(a).text().trim()]);
    expect(summaryLinks).toEqual([
      ['#archetype', 'Archetype must be S, D, C, E or U (you gave "Q")'],
      ['#level', 'Level must be 1, 2, 3 or 4 (you gave "9")'],
    ]);
    expect($('#archetype').length).toBe(1);
    expect($('#level').length).toBe(1);
    expect($('.nhsuk-error-message').length).toBe(2);
    // The valid part of the request still shows statements.
    expect(statementsOn($).length).toBeGreaterThan(0);
  });

  it('shows an NHS-styled 404 for unknown domains, areas and statements', async () => {
    for (const url of [
      `${base}/domains/9`,
      `${base}/domains/5.1`,
      `${base}/areas/7.7`,
      `${base}/statements/9-9-99`,
      '/frameworks/nope',
    ]) {
      const { $ } = await page(url, 404);
      expect(textOf($, 'h1'), url).toBe('Page not found');
      expect($('header.nhsuk-header').length).toBe(1);
    }
  });
});

describe('review fixes', () => {
  it('breadcrumbs stop at the parent: the current page is not a link in them', async () => {
    const { $ } = await page(`${base}/areas/5.1.3`);
    const crumbs = $('nav.nhsuk-breadcrumb a')
      .toArray()
      .map((a) => $(a).attr('href'));
    expect(crumbs).not.toContain(`${base}/areas/5.1.3`);
    expect(crumbs).toContain(`${base}/domains/5`);
    const statement = await page(`${base}/statements/5.1.3-2-01`);
    const statementCrumbs = statement
      .$('nav.nhsuk-breadcrumb a')
      .toArray()
      .map((a) => statement.$(a).attr('href'));
    expect(statementCrumbs).not.toContain(`${base}/statements/5.1.3-2-01`);
    expect(statementCrumbs).toContain(`${base}/areas/5.1.3`);
  });

  it('names the sub-domain above each area heading on a domain page', async () => {
    const { $ } = await page(`${base}/domains/5`);
    expect(textOf($, '#area-5\\.1\\.3 .nhsuk-caption-m')).toBe(
      '5.1 Data management and processing –',
    );
    expect(textOf($, '#area-5\\.2\\.1 .nhsuk-caption-m')).toBe('5.2 Data/cyber security –');
  });

  it('lists in the contents only the areas that have matching statements', async () => {
    const { $ } = await page(`${base}/statements?q=monitoring`);
    const targets = $('.app-contents a')
      .toArray()
      .map((a) => $(a).attr('href') ?? '');
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect($(target.replace(/\./g, '\\.')).length, target).toBe(1);
  });

  it('area headings link to the area with the same filter', async () => {
    const { $ } = await page(`${base}/domains/6?archetype=C`);
    expect($('h2.app-area__heading a').first().attr('href')).toBe(`${base}/areas/6.1?archetype=C`);
  });

  it('says when search words are too common to search for', async () => {
    const { $ } = await page(`${base}/statements?q=the`);
    expect(textOf($, '.app-empty p')).toContain('too common to search for');
  });

  it('keeps over-long search words in the box when rejecting them', async () => {
    const long = 'monitoring '.repeat(30).trim();
    const { $ } = await page(`${base}/statements?q=${encodeURIComponent(long)}`, 400);
    expect($('input#q').val()).toBe(long);
    expect(textOf($, '.nhsuk-error-summary a')).toContain('200 characters or fewer');
  });

  it('answers an unparseable URL with a plain 400 and safe headers', async () => {
    const response = await app.inject({ url: '/%' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toContain('the web address is not valid');
  });

  it('forbids framing in both the CSP and X-Frame-Options', async () => {
    const response = await app.inject({ url: '/' });
    expect(response.headers['x-frame-options']).toBe('DENY');
  });
});

describe('statement, levels, archetypes and versions pages', () => {
  it('statement permalink shows the statement, its area, level and archetypes', async () => {
    const { $ } = await page(`${base}/statements/6.3-1-01`);
    expect(textOf($, 'h1')).toContain('Statement 6.3-1-01');
    const rows = Object.fromEntries(
      $('.nhsuk-summary-list__row')
        .toArray()
        .map((row) => [$(row).find('dt').text().trim(), $(row).find('dd').text().trim()]),
    );
    expect(rows.Reference).toBe('6.3-1-01');
    expect(rows.Area).toBe('6.3 Evaluating AI systems');
    expect(rows.Domain).toBe('6 Artificial intelligence (AI)');
    expect(rows.Level).toBe('Level 1: Awareness');
    expect(rows.Archetypes).toBe('Shapers, Drivers, Creators, Embedders, Users');
  });

  it('levels page explains the 4 levels with links to their statements', async () => {
    const { $ } = await page(`${base}/levels`);
    expect(
      $('section.app-level h2')
        .toArray()
        .map((h) => $(h).text()),
    ).toEqual([
      'Level 1: Awareness',
      'Level 2: Informed use',
      'Level 3: Critical application',
      'Level 4: Transformation',
    ]);
    expect($(`a[href="${base}/statements?level=3"]`).length).toBe(1);
  });

  it('archetypes page explains each archetype, answers "which archetype am I?" and shows targets', async () => {
    const { $ } = await page(`${base}/archetypes`);
    expect($('h2#which-archetype').text()).toBe('Which archetype am I?');
    expect($('.app-archetype-questions li').length).toBeGreaterThanOrEqual(5);
    expect(
      $('section.app-archetype h3 a')
        .toArray()
        .map((a) => $(a).text()),
    ).toEqual(['Shapers', 'Drivers', 'Creators', 'Embedders', 'Users']);
    const table = $('table');
    expect(table.find('caption').text()).toContain('Target level');
    expect(table.find('tbody tr').length).toBe(16);
    expect(table.find('thead th').length).toBe(6);
  });

  it('one archetype page shows its signs, roles and target profile', async () => {
    const { $ } = await page(`${base}/archetypes/E`);
    expect(textOf($, 'h1')).toContain('Embedders');
    expect($('table tbody tr').length).toBe(16);
    expect($(`a[href="${base}/statements?archetype=E"]`).length).toBe(1);
    const lower = await app.inject({ url: `${base}/archetypes/e` });
    expect(lower.statusCode).toBe(301);
    await page(`${base}/archetypes/X`, 404);
  });

  it('versions page lists the loaded versions', async () => {
    const { $ } = await page(`${base}/versions`);
    expect($('table tbody tr').length).toBe(1);
    expect(textOf($, 'table tbody tr th')).toBe('Version 1 (current)');
  });
});

describe('platform behaviour on pages', () => {
  it('sends a strict CSP whose nonce is on every script', async () => {
    const { response, $ } = await page(`${base}/domains/2`);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const scripts = $('script').toArray();
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect($(script).attr('nonce')).toBe(nonce);
    const again = await app.inject({ url: `${base}/domains/2` });
    expect(again.headers['content-security-policy']).not.toBe(csp);
  });

  it('tags every response with a request id, keeping a well-formed incoming one', async () => {
    const minted = await app.inject({ url: '/' });
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const passed = await app.inject({ url: '/', headers: { 'x-request-id': 'abc-123' } });
    expect(passed.headers['x-request-id']).toBe('abc-123');
    const bad = await app.inject({
      url: '/',
      headers: { 'x-request-id': 'not a safe id <script>' },
    });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('compresses pages for browsers that accept it, keeping a fresh nonce in each', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const response = await app.inject({
        url: `${base}/domains/5`,
        headers: { 'accept-encoding': 'br, gzip' },
      });
      expect(response.headers['content-encoding']).toBe('gzip');
      expect(response.headers.vary).toContain('accept-encoding');
      const $ = parseHtml(gunzipSync(response.rawPayload).toString('utf8'));
      expect($('li.app-statement').length).toBe(65);
      const csp = String(response.headers['content-security-policy']);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? '';
      expect(
        $('script')
          .toArray()
          .every((el) => $(el).attr('nonce') === nonce),
      ).toBe(true);
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(2);
    const plain = await app.inject({ url: `${base}/domains/5` });
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('compresses uncached pages too (brotli preferred)', async () => {
    const response = await app.inject({
      url: `${base}/versions`,
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(response.headers['content-encoding']).toBe('br');
  });

  it('serves nhsuk-frontend images with a cache lifetime', async () => {
    const response = await app.inject({ url: '/assets/images/favicon.svg' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toContain('max-age=86400');
  });

  it('takes no state-changing requests on explorer pages', async () => {
    const response = await app.inject({ method: 'POST', url: base, payload: { q: 'x' } });
    expect(response.statusCode).toBe(404);
  });

  it('refuses a form post without a CSRF token, before anything else', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/sign-in',
      payload: { email: 'a@b.org', password: 'x' },
    });
    expect(response.statusCode).toBe(403);
    expect(textOf(parseHtml(response.body), 'main p')).toContain('This form has expired');
  });
});
