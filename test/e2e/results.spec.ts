/**
 * Results, the PDF report, progress and sharing in the browser, with JavaScript on and off and
 * axe on every page: a demo learner takes a self-assessment through the journey's pages and
 * submits it; checks the results page and its print stylesheet; downloads the PDF and reads its
 * text; takes a second assessment and compares the two on "My progress"; shares the results
 * with their line manager, who sees them under "Shared with me"; withdraws the share; and the
 * line manager no longer sees them.
 *
 * The two projects on each database (PGlite, and PostgreSQL for the `-postgres` ones) run at
 * once, so each has its own learner (both in Medicine, which the demo line manager manages): one
 * assessment in progress per person stays true.
 */
import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { pdfText } from '../support/pdf-text.js';
import { expectNoAxeViolations } from './support/axe.js';
import { signInAsDemo } from './support/demo.js';

const NURSE = { key: 'learner-nurse', name: 'Priya Sharma (demo nurse)' };
const DOCTOR = { key: 'learner-doctor', name: 'Dr Aisha Khan (demo doctor)' };
const LEARNERS: Record<string, { key: string; name: string }> = {
  'chromium-js': NURSE,
  'chromium-no-js': DOCTOR,
  'chromium-js-postgres': NURSE,
  'chromium-no-js-postgres': DOCTOR,
};
const MANAGER = 'Morgan Reid (demo line manager, Medicine)';
const AREA_URL = /\/assessments\/[0-9a-f-]{36}\/areas\/[\d.]+$/;
const RESULTS_URL = /\/assessments\/[0-9a-f-]{36}\/results$/;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function checkPage(page: Page, heading: string | RegExp, javaScriptEnabled: boolean) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expectNoAxeViolations(page, javaScriptEnabled);
}

async function switchTo(page: Page, key: string) {
  await page.context().clearCookies();
  await signInAsDemo(page, key);
}

/**
 * Takes a whole focused self-assessment through the journey's pages, giving `answer` to every
 * statement, and submits it: ends on the results page.
 */
async function takeAssessment(page: Page, answer: string) {
  await page.goto('/home');
  await page.getByRole('button', { name: /^Start (a new|your) self-assessment$/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    /Your profession and where you work/,
  );
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Which archetypes describe your work?',
  );
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'How do you want to assess yourself?',
  );
  const previous = page.getByLabel('Start from my previous answers');
  if ((await previous.count()) > 0) await previous.uncheck();
  await page.getByRole('button', { name: 'Start your self-assessment' }).click();
  await expect(page).toHaveURL(AREA_URL);
  for (let pages = 0; AREA_URL.test(page.url()); pages += 1) {
    expect(pages).toBeLessThan(150);
    const fieldsets = page.locator('form#answers fieldset');
    const count = await fieldsets.count();
    for (let i = 0; i < count; i += 1)
      await fieldsets.nth(i).getByLabel(answer, { exact: true }).check();
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Save and continue' }).click(),
    ]);
  }
  await expect(page).toHaveURL(/\/check-answers$/);
  await page.getByRole('button', { name: 'Submit your self-assessment' }).click();
  await expect(page).toHaveURL(RESULTS_URL);
}

test('results, PDF, progress, comparison and sharing', async ({
  page,
  javaScriptEnabled,
}, testInfo) => {
  test.setTimeout(300_000);
  const learner = LEARNERS[testInfo.project.name];
  if (!learner) throw new Error(`no learner for project ${testInfo.project.name}`);
  await signInAsDemo(page, learner.key);

  // Nothing submitted yet: "My progress" says what it is for.
  await page.goto('/progress');
  await checkPage(page, 'My progress', javaScriptEnabled);
  await expect(page.locator('main')).toContainText('not submitted a self-assessment yet');

  // The first assessment: mostly "not yet", so there are gaps.
  await takeAssessment(page, "I can't do this yet");
  const firstResults = page.url();
  await checkPage(page, /Your results\s*$/, javaScriptEnabled);
  const chart = page.locator('figure.app-chart-figure svg[role="img"]');
  await expect(chart).toBeVisible();
  await expect(chart.locator('g.app-chart__row')).toHaveCount(16);
  await expect(page.locator('.app-results-domain table')).toHaveCount(6);
  const gaps = await page.locator('ol.app-gaps li a').allInnerTexts();
  expect(gaps.length).toBeGreaterThan(0);

  // Printing: the print link only works (and shows) with JavaScript; the print stylesheet hides
  // the site's header, footer and the page's own links, and keeps the chart and tables.
  const printLink = page.getByRole('link', { name: 'Print this page' });
  if (javaScriptEnabled) await expect(printLink).toBeVisible();
  else await expect(printLink).toBeHidden();
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('header.nhsuk-header')).toBeHidden();
  await expect(page.locator('.app-results-actions')).toBeHidden();
  await expect(page.locator('footer')).toBeHidden();
  await expect(chart).toBeVisible();
  await expect(page.locator('.app-results-domain table').first()).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await expect(page.locator('header.nhsuk-header')).toBeVisible();

  // The PDF report: downloaded, then its text read.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download a PDF report' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^digicap-assessment-\d{4}-\d{2}-\d{2}\.pdf$/);
  const text = await pdfText(await readFile(await download.path()));
  expect(text).toContain(learner.name);
  expect(text).toMatch(/version \d+/);
  for (const gap of gaps) expect(text).toContain(gap);

  // One assessment: nothing to compare yet.
  await page.goto('/progress');
  await checkPage(page, 'My progress', javaScriptEnabled);
  await expect(page.locator('main table tbody tr')).toHaveCount(1);
  await expect(page.locator('main')).toContainText('When you have submitted a second');

  // The second assessment, from scratch, with everything met or better.
  await takeAssessment(page, 'I could lead or teach this');
  await checkPage(page, /Your results\s*$/, javaScriptEnabled);
  expect(page.url()).not.toBe(firstResults);

  // Progress lists both; comparing the same one twice is an error; the two newest compare.
  await page.goto('/progress');
  await checkPage(page, 'My progress', javaScriptEnabled);
  await expect(page.locator('main table tbody tr')).toHaveCount(2);
  const newest = await page.locator('select#to').inputValue();
  await page.locator('select#from').selectOption(newest);
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Select two different assessments',
  );
  await expectNoAxeViolations(page, javaScriptEnabled);
  await page.goto('/progress');
  await page.getByRole('button', { name: 'Compare' }).click();
  await checkPage(page, /Compare your assessments\s*$/, javaScriptEnabled);
  await expect(page.locator('figure svg[role="img"] g.app-chart__row')).toHaveCount(16);
  await expect(page.locator('main')).toContainText('Areas that went up');
  const changes = await page.locator('.app-results-domain tbody tr td:last-child').allInnerTexts();
  expect(changes.some((c) => /\+\d/.test(c))).toBe(true);

  // Share the latest results with the line manager (after a form error).
  await page.goto('/progress');
  await page.locator('main table tbody tr').first().getByRole('link').click();
  await expect(page).toHaveURL(RESULTS_URL);
  const results = page.url();
  await page.getByRole('link', { name: 'Share your results', exact: true }).click();
  await checkPage(page, /Share your results\s*$/, javaScriptEnabled);
  await expect(page.locator('main')).toContainText('You have not shared these results');
  await page.getByRole('button', { name: 'Share results' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expectNoAxeViolations(page, javaScriptEnabled);
  await page.getByLabel(MANAGER).check();
  await page.getByRole('button', { name: 'Share results' }).click();
  await checkPage(page, /Share your results\s*$/, javaScriptEnabled);
  await expect(page.locator('.app-notice')).toContainText('Your results have been shared');
  await expect(page.locator('table.app-shares')).toContainText(MANAGER);

  // The line manager sees them, read-only.
  await switchTo(page, 'line-manager');
  await page.goto('/shared-with-me');
  await checkPage(page, 'Shared with me', javaScriptEnabled);
  const row = page.locator('table.app-shared-with-me tbody tr').filter({ hasText: learner.name });
  await expect(row).toHaveCount(1);
  await row.getByRole('link').click();
  await checkPage(
    page,
    new RegExp(`${escapeRegExp(learner.name)}’s results\\s*$`),
    javaScriptEnabled,
  );
  const sharedUrl = page.url();
  await expect(page.getByRole('link', { name: 'Download a PDF report' })).toHaveCount(0);
  await expect(page.locator('.nhsuk-inset-text')).toContainText('shared these results with you');

  // The learner withdraws the share.
  await switchTo(page, learner.key);
  await page.goto(results.replace(/\/results$/, '/sharing'));
  await page
    .getByRole('button', { name: `Withdraw the share with ${MANAGER}`, exact: true })
    .click();
  await checkPage(page, /Share your results\s*$/, javaScriptEnabled);
  await expect(page.locator('.app-notice')).toContainText('withdrawn');
  await expect(page.locator('table.app-shares')).toHaveCount(0);

  // …and the line manager no longer sees them.
  await switchTo(page, 'line-manager');
  await page.goto('/shared-with-me');
  await expect(
    page.locator('table.app-shared-with-me tbody tr').filter({ hasText: learner.name }),
  ).toHaveCount(0);
  await expectNoAxeViolations(page, javaScriptEnabled);
  const gone = await page.goto(sharedUrl);
  expect(gone?.status()).toBe(404);
  await expectNoAxeViolations(page, javaScriptEnabled);
});
