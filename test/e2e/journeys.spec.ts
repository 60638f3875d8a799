/**
 * Journeys through the framework explorer, with JavaScript on and off: finding statements by
 * archetype, level and words, reading a statement, browsing a domain, and correcting a filter.
 */
import { expect, test } from '@playwright/test';
import {
  filteredCounts,
  filterForm,
  listedStatements,
  normalise,
  resultsSummary,
  summaryListValue,
  unfilteredCount,
} from './support/explorer.js';
import { ARCHETYPES, FRAMEWORK } from './support/framework.js';

test('find statements for Users at level 2 about "remote", then read one', async ({ page }) => {
  await page.goto('/');
  await page
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Explore the framework' })
    .click();
  await expect(page).toHaveURL(FRAMEWORK);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'AI and digital healthcare capabilities',
  );

  // Filter on the framework page.
  const form = filterForm(page);
  await form.getByRole('checkbox', { name: 'Users (U)' }).check();
  await form.getByRole('checkbox', { name: /^Level 2\b/ }).check();
  await form.getByLabel('Search statements').fill('remote');
  await form.getByRole('button', { name: 'Apply filters' }).click();

  await expect(page).toHaveURL((url) => url.pathname === FRAMEWORK && url.search !== '');
  const url = new URL(page.url());
  expect(url.searchParams.getAll('archetype')).toEqual(['U']);
  expect(url.searchParams.getAll('level')).toEqual(['2']);
  expect(url.searchParams.get('q')).toBe('remote');

  // The form shows what was applied, and the summary says how many statements match.
  await expect(form.getByRole('checkbox', { name: 'Users (U)' })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: /^Level 2\b/ })).toBeChecked();
  await expect(form.getByLabel('Search statements')).toHaveValue('remote');
  await expect(resultsSummary(page)).toContainText('matching “remote”, for Users, at level 2');
  const { shown, total } = await filteredCounts(page);
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(total);

  // The domain table counts only matching statements: its domain rows add up to the summary.
  const domainCounts = await page
    .locator('main table.app-domain-table tr.app-domain-table__domain td')
    .allInnerTexts();
  expect(domainCounts).toHaveLength(6);
  expect(domainCounts.reduce((sum, n) => sum + Number(n), 0)).toBe(shown);

  // The matching statements themselves, on one page, with the filter carried over.
  await resultsSummary(page).getByRole('link', { name: 'see them all on one page' }).click();
  await expect(page).toHaveURL((u) => u.pathname === `${FRAMEWORK}/statements`);
  const listUrl = new URL(page.url());
  expect(listUrl.searchParams.getAll('archetype')).toEqual(['U']);
  expect(listUrl.searchParams.getAll('level')).toEqual(['2']);
  expect(listUrl.searchParams.get('q')).toBe('remote');
  expect(await filteredCounts(page)).toEqual({ shown, total });

  const statements = listedStatements(page);
  await expect(statements).toHaveCount(shown);
  for (const statement of await statements.all()) {
    const badges = statement.locator('ul.app-badges');
    await expect(badges).toHaveAccessibleName('Archetypes');
    expect(await badges.locator('.nhsuk-u-visually-hidden').allInnerTexts()).toContain(
      ARCHETYPES.U,
    );
    expect(await badges.locator('[aria-hidden="true"]').allInnerTexts()).toContain('U');
  }
  const levelHeadings = page.locator('main h3.app-level__heading');
  expect(await levelHeadings.count()).toBeGreaterThan(0);
  for (const heading of await levelHeadings.allInnerTexts()) {
    expect(normalise(heading)).toMatch(/^Level 2: /);
  }
  const highlights = page.locator('main li.app-statement mark');
  await expect(highlights.first()).toBeVisible();
  for (const word of await highlights.allInnerTexts()) expect(word.toLowerCase()).toBe('remote');

  // Remember the first result to open it after clearing the filters.
  const first = statements.first();
  const id = normalise(await first.locator('a.app-statement__link').innerText()).replace(
    / \(permalink\)$/,
    '',
  );
  expect(id).toMatch(/^\d(\.\d){0,2}-2-\d{2}$/);
  const badgeNames = await first.locator('ul.app-badges .nhsuk-u-visually-hidden').allInnerTexts();

  // Clear filters: back to every statement, nothing ticked, nothing highlighted.
  await filterForm(page).getByRole('link', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(`${FRAMEWORK}/statements`);
  expect(await unfilteredCount(page)).toBe(total);
  await expect(listedStatements(page)).toHaveCount(total);
  await expect(filterForm(page).getByRole('checkbox', { checked: true })).toHaveCount(0);
  await expect(filterForm(page).getByLabel('Search statements')).toHaveValue('');
  await expect(page.locator('main mark')).toHaveCount(0);
  await expect(filterForm(page).getByRole('link', { name: 'Clear filters' })).toHaveCount(0);

  // Follow the statement's permalink.
  await page.locator(`main li.app-statement[id="s-${id}"] a.app-statement__link`).click();
  await expect(page).toHaveURL(`${FRAMEWORK}/statements/${id}`);
  const h1 = page.getByRole('heading', { level: 1 });
  await expect(h1).toHaveCount(1);
  // The h1 carries the area as an NHS.UK caption before the statement's name.
  expect(normalise(await h1.innerText())).toMatch(
    new RegExp(`Statement ${id.replace(/\./g, '\\.')}$`),
  );
  await expect(h1.locator('.nhsuk-caption-l')).toBeVisible();
  await expect(summaryListValue(page, 'Reference')).toHaveText(id);
  await expect(summaryListValue(page, 'Level')).toHaveText('Level 2: Informed use');
  await expect(summaryListValue(page, 'Archetypes')).toHaveText(badgeNames.join(', '));
  expect(badgeNames).toContain(ARCHETYPES.U);
});

test('a domain page lists its statements grouped by level', async ({ page }) => {
  await page.goto(FRAMEWORK);
  await page
    .locator('main table.app-domain-table')
    .getByRole('link', { name: '2 Digital health for patients and the public' })
    .click();
  await expect(page).toHaveURL(`${FRAMEWORK}/domains/2`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(
    'Digital health for patients and the public',
  );

  const count = await unfilteredCount(page);
  await expect(listedStatements(page)).toHaveCount(count);

  const areas = page.locator('main section.app-area');
  expect(await areas.count()).toBeGreaterThan(0);
  for (const area of await areas.all()) {
    // Level headings in order, each followed by the list of that level's statements, whose
    // references (area-level-number) say which level they belong to.
    const groups = await area.evaluate((section) =>
      Array.from(section.querySelectorAll('h3'), (h3) => {
        const next = h3.nextElementSibling;
        return {
          heading: h3.textContent.replace(/\s+/g, ' ').trim(),
          listFollows: next?.matches('ol.app-statements') ?? false,
          ids: next
            ? Array.from(next.querySelectorAll('li.app-statement'), (li) =>
                li.id.replace(/^s-/, ''),
              )
            : [],
        };
      }),
    );
    expect(groups.length).toBeGreaterThan(0);
    const levels = groups.map((g) => {
      const match = /^Level ([1-4]): \S/.exec(g.heading);
      expect(match, `"${g.heading}" should read "Level N: name"`).not.toBeNull();
      expect(g.listFollows).toBe(true);
      expect(g.ids.length).toBeGreaterThan(0);
      for (const id of g.ids) expect(id).toMatch(new RegExp(`-${match?.[1]}-\\d{2}$`));
      return Number(match?.[1]);
    });
    expect(levels).toEqual([...new Set(levels)].sort());
  }
});

test('an invalid filter is explained in an error summary that links to the field', async ({
  page,
  javaScriptEnabled,
}) => {
  const response = await page.goto(`${FRAMEWORK}?level=9`);
  expect(response?.status()).toBe(400);
  await expect(page).toHaveTitle(/^Error: /);

  const summary = page.locator('main .nhsuk-error-summary');
  await expect(summary).toBeVisible();
  await expect(summary.getByRole('alert')).toBeVisible();
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  if (javaScriptEnabled) {
    // NHS.UK's error summary script moves focus to it so screen readers announce it.
    await expect(summary).toBeFocused();
  }
  const link = summary.getByRole('link', { name: /^Level must be 1, 2, 3 or 4/ });
  await expect(link).toHaveCount(1);
  await expect(link).toHaveAttribute('href', '#level');

  // The link's target is the first level checkbox, inside the Level fieldset, which shows the
  // same message inline and is described by it.
  const fieldset = filterForm(page).getByRole('group', { name: 'Level' });
  const target = page.locator('#level');
  await expect(fieldset.locator('#level')).toHaveCount(1);
  await expect(target).toHaveAttribute('type', 'checkbox');
  await expect(fieldset.locator('#level-error')).toContainText('Error: Level must be 1, 2, 3 or 4');
  await expect(fieldset).toHaveAttribute('aria-describedby', /(^|\s)level-error(\s|$)/);
  await expect(page.locator('main .nhsuk-form-group--error')).toHaveCount(1);

  await link.click();
  await expect(target).toBeFocused();
  await expect(target).toBeInViewport();
  if (javaScriptEnabled) {
    // The script also scrolls the question (the legend) into view, not just the checkbox.
    await expect(fieldset.locator('legend')).toBeInViewport();
  }
});

// Same-page links (skip link, error summary, the "Areas" contents list) must lead somewhere.
for (const path of [
  `${FRAMEWORK}/statements`,
  `${FRAMEWORK}/statements?q=remote&archetype=U&level=2`,
  `${FRAMEWORK}/domains/5?q=dashboard`,
  `${FRAMEWORK}?level=9`,
]) {
  test(`every same-page link on ${path} has a target`, async ({ page }) => {
    await page.goto(path);
    const broken = await page.locator('a[href^="#"]').evaluateAll((links) =>
      links
        .map((a) => ({
          text: a.textContent.replace(/\s+/g, ' ').trim(),
          id: decodeURIComponent(a.getAttribute('href')?.slice(1) ?? ''),
        }))
        .filter(({ id }) => id !== '' && document.getElementById(id) === null)
        .map(({ text, id }) => `"${text}" → #${id}`),
    );
    expect(broken, 'links to ids that are not on the page').toEqual([]);
  });
}
