/**
 * Workforce insights in the browser, with JavaScript on and off, axe on every state and no
 * horizontal scrolling at 375 px: a workforce development lead (insights viewer) filters, drills
 * into a unit, breaks down by profession and downloads the table; a line manager's home page is
 * a manager's and leads to their team's insights; the ICB sees the trust that shares with it; a
 * platform admin sees the nation. The demo trust's synthetic workforce gives real, suppressed
 * figures.
 */
import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe.js';
import { signInAsDemo } from './support/demo.js';

const TRUST = 'Demo Hospitals NHS Foundation Trust (demo)';

async function openTrustInsights(page: Page) {
  await page.goto('/organisations');
  await page.getByRole('link', { name: TRUST }).first().click();
  await page.getByRole('link', { name: 'Insights', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Insights');
}

/** Every figure cell in the capability table is released: a multiple of 5, "1-7" or hidden. */
async function expectReleasedFigures(page: Page) {
  const cells = await page
    .locator('#capability-heading')
    .locator('xpath=ancestor::section')
    .locator('tbody td')
    .evaluateAll((tds) =>
      tds.map((td) => {
        const clone = td.cloneNode(true) as HTMLElement;
        clone.querySelector('.nhsuk-table__heading')?.remove();
        return clone.textContent.trim();
      }),
    );
  expect(cells.length).toBeGreaterThan(50);
  for (const text of cells) {
    if (text === '1-7' || text === 'hidden' || text === '–' || text.endsWith('%')) continue;
    expect(Number(text.replace(/,/g, '')) % 5, text).toBe(0);
  }
}

async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe('workforce insights', () => {
  test.describe.configure({ timeout: 120_000 });

  test('a workforce lead filters, drills down, breaks down and downloads', async ({
    page,
    javaScriptEnabled,
  }) => {
    await signInAsDemo(page, 'insights-viewer');
    await openTrustInsights(page);
    await expect(page.locator('#capability-heading')).toBeVisible();
    await expectReleasedFigures(page);
    await expectNoAxeViolations(page, javaScriptEnabled);

    // Filter by profession with the plain GET form.
    await page.getByLabel('Profession', { exact: true }).selectOption({ label: 'Nurse' });
    await page.getByRole('button', { name: 'Show figures' }).click();
    await expect(page).toHaveURL(/profession=nurse/);
    await expectNoAxeViolations(page, javaScriptEnabled);

    // Drill into Medicine, then break it down by profession.
    await page
      .getByLabel('Profession', { exact: true })
      .selectOption({ label: 'Every profession' });
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page
      .getByRole('navigation', { name: 'Units and organisations' })
      .getByRole('link', { name: 'Medicine' })
      .click();
    await expect(page.locator('.nhsuk-body-l')).toContainText('Medicine');
    await page.getByLabel('Break down by').selectOption({ label: 'Profession' });
    await page.getByRole('button', { name: 'Show figures' }).click();
    await expect(page.locator('#breakdown-heading')).toContainText('By profession');
    await expectNoAxeViolations(page, javaScriptEnabled);

    // The download holds the same figures, with the rules.
    const href = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    expect(href).toContain('by=profession');
    const csv = await page.request.get(href ?? '');
    expect(csv.status()).toBe(200);
    const body = await csv.text();
    expect(body).toContain('Capability by area');
    expect(body).toContain('fewer than 10 people');

    // A breakdown that is also a filter is explained, not ignored.
    await page.getByLabel('Profession', { exact: true }).selectOption({ label: 'Nurse' });
    await page.getByRole('button', { name: 'Show figures' }).click();
    await expect(page).toHaveTitle(/^Error: /);
    await expect(page.locator('.nhsuk-error-summary')).toContainText(
      'remove it to break down by profession',
    );
    await expectNoAxeViolations(page, javaScriptEnabled);
  });

  test('fits a 375 px screen without scrolling sideways', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await signInAsDemo(page, 'admin');
    await openTrustInsights(page);
    await expectNoHorizontalScroll(page);
    await page.goto(`${new URL(page.url()).pathname}?by=unit&then=profession`);
    await expectNoHorizontalScroll(page);
  });

  test('a line manager’s home page is a manager’s, and leads to their team’s insights', async ({
    page,
    javaScriptEnabled,
  }) => {
    await signInAsDemo(page, 'line-manager');
    await page.goto('/home');
    await expect(page.getByRole('heading', { name: 'Your work' })).toBeVisible();
    await expect(page.locator('main')).toContainText('Your team');
    await expectNoAxeViolations(page, javaScriptEnabled);
    await page.getByRole('link', { name: /See your team's training needs/ }).click();
    await expect(page.locator('.nhsuk-body-l')).toContainText('Medicine');
    await expectNoAxeViolations(page, javaScriptEnabled);
  });

  test('the ICB sees the trust that shares with it', async ({ page, javaScriptEnabled }) => {
    await signInAsDemo(page, 'admin-icb');
    await page.goto('/organisations');
    await page.getByRole('link', { name: 'Demo Integrated Care Board (demo)' }).first().click();
    await page.getByRole('link', { name: 'Shared insights' }).click();
    await expect(page.getByLabel('Organisation')).toContainText(TRUST);
    await expectNoAxeViolations(page, javaScriptEnabled);
  });

  test('a platform admin sees the nation', async ({ page, javaScriptEnabled }) => {
    await signInAsDemo(page, 'platform-admin');
    await page.goto('/insights?by=organisation');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('National insights');
    await expect(page.locator('#breakdown-heading')).toBeVisible();
    await expectNoAxeViolations(page, javaScriptEnabled);
  });
});
