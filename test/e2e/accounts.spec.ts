/**
 * Accounts in the browser, with JavaScript on and off: register → confirm (through the
 * development outbox) → sign in → sign out, with axe on every page of the journey.
 */
import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe.js';

const PASSWORD = 'willow kettle harbour ribbon';

async function checkPage(page: Page, heading: string, javaScriptEnabled: boolean) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expectNoAxeViolations(page, javaScriptEnabled);
}

test('register, confirm by email, sign in and sign out', async ({
  page,
  javaScriptEnabled,
}, testInfo) => {
  test.setTimeout(90_000);
  const email = `e2e-${testInfo.project.name}-${Date.now()}@example.org`;

  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await checkPage(page, 'Sign in', javaScriptEnabled);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await checkPage(page, 'Create an account', javaScriptEnabled);

  // A mistake first: the error summary names it and nothing is lost but the password.
  await page.getByLabel('Full name').fill('Rowan Ellis');
  await page.getByLabel('Email address').fill('rowan-at-example');
  await page.getByLabel('Create a password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Enter an email address in the correct format',
  );
  await expectNoAxeViolations(page, javaScriptEnabled);
  await expect(page.getByLabel('Full name')).toHaveValue('Rowan Ellis');

  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Create a password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await checkPage(page, 'Check your email', javaScriptEnabled);

  // Development outbox: open the email and follow its link.
  await page.goto('/dev/outbox');
  await page.getByRole('link', { name: 'Confirm your email address for digicap' }).first().click();
  await expect(page.locator('main')).toContainText(email);
  await page.locator('main a[href*="/confirm-email/"]').first().click();
  await checkPage(page, 'Confirm your email address', javaScriptEnabled);
  await page.getByRole('button', { name: 'Confirm email address' }).click();

  await checkPage(page, 'Sign in', javaScriptEnabled);
  await expect(page.locator('.nhsuk-inset-text')).toContainText('Your email address is confirmed');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await checkPage(page, 'Your account', javaScriptEnabled);
  await expect(page.getByRole('navigation', { name: 'Account' })).toContainText('Rowan Ellis');

  await page.getByRole('link', { name: 'Change your password' }).click();
  await checkPage(page, 'Change your password', javaScriptEnabled);
  await page.getByRole('link', { name: 'Back to your account' }).click();
  await page.getByRole('link', { name: 'Delete your account' }).click();
  await checkPage(page, 'Delete your account', javaScriptEnabled);
  await page.getByRole('link', { name: 'Keep my account' }).click();

  await page
    .getByRole('navigation', { name: 'Account' })
    .getByRole('link', { name: 'Sign out' })
    .click();
  await checkPage(page, 'Sign out', javaScriptEnabled);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('navigation', { name: 'Account' })).toContainText('Sign in');
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
});
