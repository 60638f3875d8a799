/**
 * Single sign-on in the browser, with JavaScript on and off, against a real OpenID provider
 * (test/support/oidc-provider-server.ts) and an app instance configured to use it, both started
 * by playwright.config.ts. axe checks every digicap page of the journeys.
 */
import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe.js';

const ssoBaseURL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3107) + 2}`;
const PROVIDER = 'NHS Test Identity';

test.use({ baseURL: ssoBaseURL });

async function checkPage(page: Page, heading: string, javaScriptEnabled: boolean) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expectNoAxeViolations(page, javaScriptEnabled);
}

/** From digicap's sign-in page to the provider's login form, then signing in there. */
async function signInAtProvider(page: Page, username: string) {
  await page.getByRole('button', { name: `Sign in with ${PROVIDER}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Sign in to the test identity provider',
  );
  await page.getByLabel('Username').fill(username);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('first sign-in with single sign-on creates an account, which can be deleted without a password', async ({
  page,
  javaScriptEnabled,
}, testInfo) => {
  test.setTimeout(90_000);
  const username = `sso-${testInfo.project.name}`;
  const name = `Sam Single (${testInfo.project.name})`;

  await page.goto('/sign-in');
  await checkPage(page, 'Sign in', javaScriptEnabled);
  await expect(
    page.getByRole('heading', { name: 'Or sign in with your email address and password' }),
  ).toBeVisible();
  await signInAtProvider(page, username);

  await expect(page).toHaveURL(`${ssoBaseURL}/account`);
  await checkPage(page, 'Your account', javaScriptEnabled);
  await expect(page.getByRole('navigation', { name: 'Account' })).toContainText(name);
  await expect(page.locator('.nhsuk-summary-list').first()).toContainText(`With ${PROVIDER}`);
  await expect(page.getByRole('link', { name: 'Change your password' })).toHaveCount(0);

  // Signed out, signing in again goes straight through: the provider remembers its session.
  await page.goto('/sign-out');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/sign-in?returnTo=/account/delete');
  await page.getByRole('button', { name: `Sign in with ${PROVIDER}` }).click();
  await expect(page).toHaveURL(`${ssoBaseURL}/account/delete`);
  await checkPage(page, 'Delete your account', javaScriptEnabled);
  await expect(page.getByLabel('Enter your password to confirm')).toHaveCount(0);

  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Confirm that you understand deleting your account cannot be undone',
  );
  await expectNoAxeViolations(page, javaScriptEnabled);
  await page.getByLabel('I understand this cannot be undone').check();
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await checkPage(page, 'Your account has been deleted', javaScriptEnabled);
});

test('an email address the provider does not vouch for is refused', async ({
  page,
  javaScriptEnabled,
}) => {
  test.setTimeout(60_000);
  await page.goto('/sign-in');
  await signInAtProvider(page, 'sso-unverified');
  await checkPage(page, `You cannot sign in with ${PROVIDER}`, javaScriptEnabled);
  await page.getByRole('link', { name: 'Sign in with your email address and password' }).click();
  await checkPage(page, 'Sign in', javaScriptEnabled);
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
});

test('cancelling at the provider explains and offers to try again', async ({
  page,
  javaScriptEnabled,
}) => {
  test.setTimeout(60_000);
  await page.goto('/sign-in');
  await page.getByRole('button', { name: `Sign in with ${PROVIDER}` }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await checkPage(page, 'You did not sign in', javaScriptEnabled);
  await expect(
    page.getByRole('button', { name: `Try signing in with ${PROVIDER} again` }),
  ).toHaveAttribute('href', '/sign-in/sso');
});
