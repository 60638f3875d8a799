/**
 * Keyboard use, with JavaScript on and off: the skip link comes first and works, and the filter
 * form can be filled in and submitted with Tab, typing, Space and Enter alone.
 */
import { expect, test } from '@playwright/test';
import { filteredCounts, filterForm, listedStatements, tabTo } from './support/explorer.js';
import { FRAMEWORK } from './support/framework.js';

test('the first Tab reaches the skip link, which takes you to the main content', async ({
  page,
  javaScriptEnabled,
}) => {
  await page.goto(FRAMEWORK);
  const main = page.locator('main#maincontent');

  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toHaveAttribute('href', '#maincontent');
  await expect(skip).toBeInViewport(); // hidden until focused, then shown

  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`${FRAMEWORK}#maincontent`);
  await expect(main).toBeInViewport();
  if (javaScriptEnabled) {
    // NHS.UK's skip link script moves focus to <main> itself.
    await expect(main).toBeFocused();
  }
  // Either way, the next Tab goes to the first link or control inside <main>, not the header.
  await page.keyboard.press('Tab');
  expect(
    await page.evaluate(() => document.activeElement?.closest('main')?.id ?? null),
    'the element focused after the skip link should be inside <main>',
  ).toBe('maincontent');
});

test('the filter form can be completed and submitted with the keyboard alone', async ({ page }) => {
  await page.goto(`${FRAMEWORK}/statements`);
  const form = filterForm(page);

  await tabTo(page, form.getByLabel('Search statements'));
  await page.keyboard.type('remote');

  const users = form.getByRole('checkbox', { name: 'Users (U)' });
  await tabTo(page, users, 10);
  await page.keyboard.press('Space');
  await expect(users).toBeChecked();

  const level2 = form.getByRole('checkbox', { name: /^Level 2\b/ });
  await tabTo(page, level2, 10);
  await page.keyboard.press('Space');
  await expect(level2).toBeChecked();

  await tabTo(page, form.getByRole('button', { name: 'Apply filters' }), 10);
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL((url) => url.searchParams.get('q') === 'remote');
  const url = new URL(page.url());
  expect(url.pathname).toBe(`${FRAMEWORK}/statements`);
  expect(url.searchParams.getAll('archetype')).toEqual(['U']);
  expect(url.searchParams.getAll('level')).toEqual(['2']);
  const { shown } = await filteredCounts(page);
  expect(shown).toBeGreaterThan(0);
  await expect(listedStatements(page)).toHaveCount(shown);

  // Space on a ticked box unticks it again.
  await tabTo(page, form.getByRole('checkbox', { name: 'Users (U)' }));
  await page.keyboard.press('Space');
  await expect(form.getByRole('checkbox', { name: 'Users (U)' })).not.toBeChecked();
});
