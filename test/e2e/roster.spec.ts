/**
 * Invitations by roster, with JavaScript on and off and axe on every page of the journey: the
 * demo organisation admin uploads a roster file (first with a mistake, then fixed), sees the
 * invitations, and a new person opens their link from the development outbox, creates an
 * account and lands in the organisation. Invitees get addresses unique to the run, so the
 * journey can run in both projects against one server.
 */
import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe.js';
import { signInAsDemo } from './support/demo.js';

const TRUST = 'Demo Hospitals NHS Foundation Trust (demo)';
const PASSWORD = 'willow kettle harbour ribbon';

async function checkPage(page: Page, heading: string | RegExp, javaScriptEnabled: boolean) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expectNoAxeViolations(page, javaScriptEnabled);
}

const csvFile = (lines: string[]) => ({
  name: 'roster.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(`${lines.join('\r\n')}\r\n`),
});

test('an admin invites people by roster, and one of them accepts', async ({
  page,
  javaScriptEnabled,
}, testInfo) => {
  test.setTimeout(120_000);
  const run = `${testInfo.project.name}-${String(Date.now())}`;
  const newcomer = `roster-${run}@example.org`;
  const colleague = `roster-colleague-${run}@example.org`;

  await signInAsDemo(page, 'admin');
  await page.goto('/organisations');
  await page.getByRole('link', { name: TRUST }).first().click();
  await page
    .getByRole('navigation', { name: `${TRUST} pages` })
    .getByRole('link', { name: 'Upload a roster' })
    .click();
  await checkPage(page, /Upload a roster/, javaScriptEnabled);

  // A file with a mistake: every problem is listed with its line, and nothing is imported.
  await page
    .locator('input[type="file"][name="file"]')
    .setInputFiles(
      csvFile([
        'email,name,profession,unit path,role',
        `${newcomer},Nia Newcomer,Nurse,Medicine > Cardiology > Ward 5,member`,
        'colleague-at-example.org,Cole League,,,',
      ]),
    );
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Line 3: Enter an email address in the correct format, like name@example.com (column: email)',
  );
  await expectNoAxeViolations(page, javaScriptEnabled);

  await page
    .locator('input[type="file"][name="file"]')
    .setInputFiles(
      csvFile([
        'Email,Name,Profession,Unit path,Role',
        `${newcomer},Nia Newcomer,Nurse,Medicine > Cardiology > Ward 5,member`,
        `${colleague},Cole League,,,`,
      ]),
    );
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await checkPage(page, /Invitations/, javaScriptEnabled);
  await expect(page.locator('.nhsuk-inset-text')).toContainText(
    'Roster imported: 2 people invited, 0 people updated, 0 people unchanged.',
  );
  const row = page.locator('main tbody tr').filter({ hasText: newcomer });
  await expect(row).toContainText('Medicine > Cardiology > Ward 5');
  await expect(row.locator('.nhsuk-tag')).toHaveText('Pending');

  // The admin signs out; the newcomer opens the link in their email.
  await page.goto('/sign-out');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/dev/outbox');
  await page
    .locator('main tbody tr')
    .filter({ hasText: newcomer })
    .getByRole('link', { name: `You are invited to join ${TRUST} on digicap` })
    .click();
  const href = await page.locator('main a[href*="/invitations/"]').first().getAttribute('href');
  if (!href) throw new Error('no invitation link in the email');
  // The email's link uses PUBLIC_URL's host; stay on the host this browser is signed in to.
  const invitationPath = new URL(href, page.url()).pathname;
  await page.goto(invitationPath);
  await checkPage(page, `Join ${TRUST}`, javaScriptEnabled);
  await expect(page.locator('main .nhsuk-summary-list')).toContainText(newcomer);
  await expect(page.getByLabel('Full name')).toHaveValue('Nia Newcomer');

  await page.getByRole('button', { name: 'Create account and accept' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter a password');
  await expectNoAxeViolations(page, javaScriptEnabled);

  await page.getByLabel('Create a password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account and accept' }).click();
  await checkPage(page, TRUST, javaScriptEnabled);
  await expect(page.getByRole('navigation', { name: 'Account' })).toContainText('Nia Newcomer');

  // The link worked once.
  const again = await page.goto(invitationPath);
  expect(again?.status()).toBe(410);
  await checkPage(page, 'This invitation does not work', javaScriptEnabled);
});
