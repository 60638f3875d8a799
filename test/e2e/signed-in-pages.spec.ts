/**
 * Pages behind sign-in, as the demo people see them, have no axe-detectable WCAG 2.2 AA
 * violations with JavaScript on and off; and each role's pages say who may see what.
 */
import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe.js';
import { signInAsDemo } from './support/demo.js';

async function check(page: Page, path: string, javaScriptEnabled: boolean, status = 200) {
  const response = await page.goto(path);
  expect(response?.status(), `status of ${path}`).toBe(status);
  await expect(page.locator('main#maincontent')).toBeVisible();
  await expectNoAxeViolations(page, javaScriptEnabled);
}

/** The demo trust's id, from the link on "Your organisations". */
async function trustPath(page: Page): Promise<string> {
  await page.goto('/organisations');
  const href = await page
    .getByRole('link', { name: /Demo Hospitals NHS Foundation Trust/ })
    .first()
    .getAttribute('href');
  if (!href) throw new Error('no link to the demo trust');
  return new URL(href, 'http://x').pathname;
}

test.describe('signed-in pages (axe, WCAG 2.2 AA)', () => {
  test.describe.configure({ timeout: 90_000 });

  test('a learner: account, profile and organisations', async ({ page, javaScriptEnabled }) => {
    await signInAsDemo(page, 'learner-nurse');
    await check(page, '/account', javaScriptEnabled);
    await check(page, '/account/profile', javaScriptEnabled);
    await check(page, '/account/password', javaScriptEnabled);
    await check(page, '/account/delete', javaScriptEnabled);
    await check(page, '/organisations', javaScriptEnabled);
    const trust = await trustPath(page);
    await check(page, trust, javaScriptEnabled);
    // A learner does not see the organisation's people.
    const people = await page.goto(`${trust}/people`);
    expect(people?.status()).toBe(403);
    await expectNoAxeViolations(page, javaScriptEnabled);
  });

  test('the profile form keeps what was chosen and shows errors accessibly', async ({
    page,
    javaScriptEnabled,
  }) => {
    await signInAsDemo(page, 'learner-analyst');
    await page.goto('/account/profile');
    await page.getByLabel('Profession').selectOption({ label: 'Data scientist' });
    await page.getByRole('checkbox', { name: 'Drivers' }).check();
    await page.getByRole('button', { name: 'Save your profile' }).click();
    await expect(page.locator('.nhsuk-inset-text')).toHaveText(/Your profile has been saved/);
    await expect(page.locator('main')).toContainText('Data scientist');
    await expect(page.locator('main')).toContainText('Drivers');
    await expectNoAxeViolations(page, javaScriptEnabled);
  });

  test('an organisation admin: every organisation page', async ({ page, javaScriptEnabled }) => {
    await signInAsDemo(page, 'admin');
    const trust = await trustPath(page);
    await check(page, '/organisations', javaScriptEnabled);
    for (const sub of [
      '',
      '/units',
      '/people',
      '/audit',
      '/invitations',
      '/invitations/new',
      '/roster',
    ]) {
      await check(page, `${trust}${sub}`, javaScriptEnabled);
    }
    await page.goto(`${trust}/people`);
    await page.locator('main table a').first().click();
    await expect(page.locator('main#maincontent')).toBeVisible();
    await expectNoAxeViolations(page, javaScriptEnabled);
  });

  test('a line manager sees their units’ people only', async ({ page, javaScriptEnabled }) => {
    await signInAsDemo(page, 'line-manager');
    const trust = await trustPath(page);
    await check(page, `${trust}/people`, javaScriptEnabled);
    const table = page.locator('main table');
    await expect(table).toContainText('Priya Sharma');
    await expect(table).not.toContainText('Tom Evans');
  });

  test('a platform admin: all organisations and a new one', async ({ page, javaScriptEnabled }) => {
    await signInAsDemo(page, 'platform-admin');
    await check(page, '/admin/organisations', javaScriptEnabled);
    await check(page, '/admin/organisations/new', javaScriptEnabled);
  });
});
