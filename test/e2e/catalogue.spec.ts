/**
 * The learning catalogue, with JavaScript on and off and axe on every page: anyone browses the
 * starter catalogue, filters it and searches it; the demo educator adds a resource for their
 * organisation (first with mistakes), finds it, and retires it again so that no other journey
 * sees it. Titles are unique to the run, so both projects can run against one server.
 */
import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe.js';
import { signInAsDemo } from './support/demo.js';

const TRUST = 'Demo Hospitals NHS Foundation Trust (demo)';

async function checkPage(page: Page, heading: string | RegExp, javaScriptEnabled: boolean) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expectNoAxeViolations(page, javaScriptEnabled);
}

test('anyone browses, filters and searches the catalogue', async ({ page, javaScriptEnabled }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Learning resources' }).first().click();
  await checkPage(page, 'Learning resources', javaScriptEnabled);
  await expect(page.locator('#results-count')).toHaveText(/^\d+ resources in the catalogue$/);
  await expect(page.locator('.app-resource')).toHaveCount(20);
  const firstLink = page.locator('.app-resource h3 a').first();
  await expect(firstLink).toHaveAttribute('rel', 'noopener');
  await expect(firstLink).toHaveAttribute('href', /^https?:\/\//);

  // Filters are a plain GET form: the same with JavaScript on or off.
  await page.locator('input[name="area"][value="6.3"]').check();
  await page.locator('input[name="level"][value="2"]').check();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/[?&]area=6\.3(&|$)/);
  await expect(page).toHaveURL(/[?&]level=2(&|$)/);
  await expect(page.locator('#results-count')).toHaveText(
    /^\d+ resources? in Evaluating AI systems, at level 2$/,
  );
  await expect(page.locator('input[name="area"][value="6.3"]')).toBeChecked();
  await expectNoAxeViolations(page, javaScriptEnabled);

  await page.getByRole('link', { name: 'Clear filters' }).click();
  await page.getByLabel('Search', { exact: true }).fill("buyer's guide");
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.locator('.app-resource h3')).toContainText([
    "A Buyer's Guide to AI in Health and Care",
  ]);

  await page
    .locator('.app-resource')
    .first()
    .getByRole('link', { name: /More about/ })
    .click();
  await checkPage(page, /A Buyer's Guide to AI in Health and Care/, javaScriptEnabled);
  await expect(page.locator('#resource-link')).toHaveAttribute('rel', 'noopener');

  // A filter that is not valid: an error summary, and the page still works.
  await page.goto('/learning/resources?level=9');
  await expect(page).toHaveTitle(/^Error: /);
  await expectNoAxeViolations(page, javaScriptEnabled);
});

test('an educator adds a resource only their organisation sees', async ({
  page,
  javaScriptEnabled,
}, testInfo) => {
  test.setTimeout(120_000);
  const title = `Ward digital induction ${testInfo.project.name} ${String(Date.now())}`;

  await signInAsDemo(page, 'educator');
  await page.goto('/learning/resources');
  await page.getByRole('link', { name: 'Add a learning resource' }).click();
  await checkPage(page, 'Add a learning resource', javaScriptEnabled);
  await expect(page.locator('.nhsuk-inset-text')).toContainText(TRUST);

  // Mistakes first: every problem in the error summary, nothing lost.
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Web address', { exact: true }).fill('not a web address');
  await page.getByRole('button', { name: 'Add resource' }).click();
  await expect(page).toHaveTitle(/^Error: Add a learning resource/);
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Enter a full web address starting with https:// or http://',
  );
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue(title);
  await expectNoAxeViolations(page, javaScriptEnabled);

  await page.getByLabel('Provider', { exact: true }).fill(TRUST);
  await page
    .getByLabel('Web address', { exact: true })
    .fill('https://www.example.org/ward-digital-induction');
  await page.getByLabel('Format', { exact: true }).selectOption('e-learning');
  await page.getByLabel(/Time it takes/).fill('45');
  await page.getByLabel('Free', { exact: true }).check();
  await page.locator('input[name="levels"][value="1"]').check();
  await page.locator('input[name="areaCodes"][value="2.1"]').check();
  await page.locator('input[name="archetypeCodes"][value="U"]').check();
  await page
    .getByLabel('Summary', { exact: true })
    .fill('How we use the ward’s digital tools safely: a test entry.');
  await page.getByRole('button', { name: 'Add resource' }).click();
  await checkPage(page, new RegExp(title), javaScriptEnabled);
  await expect(page.locator('.app-notice')).toContainText('The resource has been added.');
  await expect(page.locator('.nhsuk-summary-list')).toContainText(`Only people in ${TRUST}`);

  // It is in the catalogue for the trust's people.
  await page.goto(`/learning/resources?q=${encodeURIComponent(title)}`);
  await expect(page.locator('.app-resource h3')).toHaveText([new RegExp(title)]);
  await expect(page.locator('.app-resource .nhsuk-tag')).toHaveText(`Only for ${TRUST}`);

  // The import page, for completeness of the educator's pages.
  await page.goto('/learning/resources/import');
  await checkPage(page, 'Import learning resources', javaScriptEnabled);

  // Retire it, so that no other journey recommends it.
  await page.goto(`/learning/resources?q=${encodeURIComponent(title)}`);
  await page
    .locator('.app-resource')
    .first()
    .getByRole('link', { name: /More about/ })
    .click();
  await page.getByRole('button', { name: 'Retire this resource' }).click();
  await expect(page.locator('.app-notice')).toContainText('retired');
  await expect(page.locator('#retired')).toBeVisible();
  await expectNoAxeViolations(page, javaScriptEnabled);
});
