/**
 * Learning for your gaps in the browser, with JavaScript on and off and axe on every page: a
 * demo learner who has submitted a self-assessment (seeded) sees suggestions for their gaps on
 * their results page and on "My learning", each saying why; dismisses one (it goes, and is
 * listed as dismissed), undoes that; sets preferences (free only, up to an hour, courses
 * preferred), which the suggestions then follow; and puts the preferences back.
 *
 * The two projects run at once, so each has its own learner, with different archetypes.
 */
import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe.js';
import { signInAsDemo } from './support/demo.js';

const LEARNERS: Record<string, string> = {
  'chromium-js': 'learner-physio',
  'chromium-no-js': 'learner-analyst',
};

async function checkPage(page: Page, heading: string | RegExp, javaScriptEnabled: boolean) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expectNoAxeViolations(page, javaScriptEnabled);
}

const suggestions = (page: Page) => page.locator('li.app-recommendation');

test.describe('learning for your gaps', () => {
  test.describe.configure({ timeout: 120_000 });

  test('suggestions on results and My learning, dismissing, preferences', async ({
    page,
    javaScriptEnabled,
  }, info) => {
    const learner = LEARNERS[info.project.name] ?? 'learner-physio';
    await signInAsDemo(page, learner);

    // The seeded results, from My progress, with the learning for the gaps.
    await page.goto('/progress');
    await page.locator('main table tbody tr').last().getByRole('link').first().click();
    await checkPage(page, /Your results\s*$/, javaScriptEnabled);
    await expect(
      page.getByRole('heading', { level: 2, name: 'Learning for your gaps' }),
    ).toBeVisible();
    const onResults = page.locator('ul.app-results-learning');
    expect(await onResults.count()).toBeGreaterThan(5);
    for (const list of await onResults.all()) {
      const count = await list.locator('li').count();
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThanOrEqual(2);
      await expect(list.locator('a').first()).toHaveAttribute('href', /^https?:\/\//);
    }

    // My learning, from the results page.
    await page.getByRole('link', { name: /^My learning: more suggestions/ }).click();
    await expect(page).toHaveURL(/\/learning$/);
    await checkPage(page, 'My learning', javaScriptEnabled);
    const gaps = page.locator('section.app-learning-gap');
    expect(await gaps.count()).toBeGreaterThan(5);
    await expect(suggestions(page).first().locator('ul.app-reasons li').first()).toHaveText(
      /^Covers /,
    );

    // Dismiss the first suggestion: it goes, the page says so, and it is listed as dismissed.
    const first = suggestions(page).first();
    const title = (await first.getByRole('heading', { level: 4 }).textContent())?.trim() ?? '';
    expect(title).not.toBe('');
    await first.getByRole('button', { name: `Dismiss “${title}”` }).click();
    await expect(page).toHaveURL(/\/learning\?dismissed=[0-9a-f-]{36}$/);
    await checkPage(page, 'My learning', javaScriptEnabled);
    await expect(page.locator('.app-notice')).toContainText(
      `“${title}” will not be suggested again.`,
    );
    await expect(suggestions(page).getByRole('heading', { level: 4, name: title })).toHaveCount(0);
    await expect(page.locator('ul.app-dismissed')).toContainText(title);

    // …and undo it.
    await page.getByRole('button', { name: `Undo and suggest “${title}” again` }).click();
    await expect(page).toHaveURL(/\/learning\?undismissed=[0-9a-f-]{36}$/);
    await checkPage(page, 'My learning', javaScriptEnabled);
    await expect(page.locator('.app-notice')).toContainText(`“${title}” may be suggested again.`);
    await expect(
      suggestions(page).getByRole('heading', { level: 4, name: title }).first(),
    ).toBeVisible();
    await expect(page.locator('ul.app-dismissed')).toHaveCount(0);

    // Preferences: free only, up to an hour, courses preferred.
    await page.getByRole('link', { name: 'Change your learning preferences' }).click();
    await checkPage(page, 'Your learning preferences', javaScriptEnabled);
    await page.getByRole('checkbox', { name: 'Course', exact: true }).check();
    await page.getByLabel('What is the longest one resource should take?').selectOption('60');
    await page.getByRole('checkbox', { name: 'Only suggest free resources' }).check();
    await page.getByRole('button', { name: 'Save your preferences' }).click();
    await expect(page).toHaveURL(/\/learning\?done=preferences$/);
    await checkPage(page, 'My learning', javaScriptEnabled);
    await expect(page.locator('.app-notice')).toContainText('Your preferences have been saved');
    await expect(page.locator('ul.app-preferences-summary')).toContainText(
      'Cost: free resources only',
    );
    // Every suggestion now is free and, where it says, an hour or less; the rest say so.
    for (const item of await suggestions(page).all()) {
      const facts = (await item.locator('p').first().textContent()) ?? '';
      expect(facts).toMatch(/· Free$/);
      if (facts.includes('length not stated'))
        await expect(item.locator('ul.app-cautions')).toContainText(
          'Length not stated: it may take longer than your 1 hour limit',
        );
      else expect(facts).toMatch(/· about (\d+ minutes?|1 hour) ·/);
    }

    // The preferences page shows them; putting them back.
    await page.getByRole('link', { name: 'Change your learning preferences' }).click();
    await expect(page.getByRole('checkbox', { name: 'Course', exact: true })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Only suggest free resources' })).toBeChecked();
    await page.getByRole('checkbox', { name: 'Course', exact: true }).uncheck();
    await page.getByLabel('What is the longest one resource should take?').selectOption('');
    await page.getByRole('checkbox', { name: 'Only suggest free resources' }).uncheck();
    await page.getByRole('button', { name: 'Save your preferences' }).click();
    await expect(page.locator('ul.app-preferences-summary')).toContainText('Cost: any');
    await expectNoAxeViolations(page, javaScriptEnabled);
  });
});
