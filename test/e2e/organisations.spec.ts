/**
 * Organisation journeys in the browser, with JavaScript on and off and axe on every state the
 * signed-in page list (signed-in-pages.spec.ts) does not reach: the empty state, errors shown
 * on forms, the removal confirmation, switching organisation and creating one. Nothing here
 * changes data other tests rely on (new organisations get unique names; nobody is removed).
 */
import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe.js';
import { signInAsDemo } from './support/demo.js';

const TRUST = 'Demo Hospitals NHS Foundation Trust (demo)';
const ICB = 'Demo Integrated Care Board (demo)';

async function openOrganisation(page: Page, name: string) {
  await page.goto('/organisations');
  await page.getByRole('link', { name }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

test.describe('organisations', () => {
  test.describe.configure({ timeout: 90_000 });

  test('a platform admin with no memberships creates an organisation', async ({
    page,
    javaScriptEnabled,
  }, testInfo) => {
    await signInAsDemo(page, 'platform-admin');
    await page.goto('/organisations');
    await expect(page.locator('main')).toContainText('You do not belong to any organisation');
    await expectNoAxeViolations(page, javaScriptEnabled);

    await page.getByRole('link', { name: 'All organisations' }).click();
    await page.getByRole('button', { name: 'Create an organisation' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create an organisation');
    await page.getByLabel('Organisation name').fill('Westmoor Community Care');
    await page.getByLabel('ODS code (optional)').fill('no!');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await expect(page).toHaveTitle(/^Error: /);
    await expect(page.locator('.nhsuk-error-summary')).toContainText(
      'Select the type of organisation',
    );
    await expect(page.getByLabel('Organisation name')).toHaveValue('Westmoor Community Care');
    await expectNoAxeViolations(page, javaScriptEnabled);

    const name = `Westmoor Community Care ${testInfo.project.name} ${Date.now()}`;
    await page.getByLabel('Organisation name').fill(name);
    await page.getByLabel('ODS code (optional)').fill('');
    await page.getByLabel('Social care provider').check();
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.locator('main')).toContainText('has no units yet');
    await expectNoAxeViolations(page, javaScriptEnabled);
  });

  test('an organisation admin sees form errors and the removal question', async ({
    page,
    javaScriptEnabled,
  }) => {
    await signInAsDemo(page, 'admin');
    await openOrganisation(page, TRUST);
    await page.getByRole('link', { name: 'Units' }).click();
    await page.getByLabel('Where it sits').selectOption({ label: 'Medicine' });
    await page.getByLabel('Unit name').fill('cardiology');
    await page.getByRole('button', { name: 'Add unit' }).click();
    await expect(page).toHaveTitle(/^Error: /);
    await expect(page.locator('#name-error')).toContainText('already a unit called cardiology');
    await expect(page.getByLabel('Where it sits')).toHaveValue(/.+/);
    await expectNoAxeViolations(page, javaScriptEnabled);

    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('link', { name: /Priya Sharma/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Priya Sharma');
    await page.getByRole('checkbox', { name: 'Member (learner)' }).uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.locator('#roles-error')).toContainText('Select at least one role');
    await expectNoAxeViolations(page, javaScriptEnabled);

    await page.getByRole('link', { name: 'Remove from this organisation' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Remove Priya Sharma');
    await expectNoAxeViolations(page, javaScriptEnabled);
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Priya Sharma');
  });

  test('someone in two organisations switches between them', async ({
    page,
    javaScriptEnabled,
  }) => {
    await signInAsDemo(page, 'learner-pharmacist-two-organisations');
    await page.goto('/organisations');
    // The first organisation is the current one until they choose.
    await expect(page.getByRole('radio', { name: TRUST })).toBeChecked();
    await page.getByRole('radio', { name: ICB }).check();
    await page.getByRole('button', { name: 'Switch organisation' }).click();
    await expect(page).toHaveURL(/\/organisations$/);
    await expect(
      page.getByRole('row', { name: new RegExp(ICB.replace(/[()]/g, '\\$&')) }),
    ).toContainText('Current');
    await expect(page.getByRole('radio', { name: ICB })).toBeChecked();
    await expectNoAxeViolations(page, javaScriptEnabled);
    await page.getByRole('radio', { name: TRUST }).check();
    await page.getByRole('button', { name: 'Switch organisation' }).click();
    await expect(page.getByRole('radio', { name: TRUST })).toBeChecked();
  });
});
