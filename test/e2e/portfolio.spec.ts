/**
 * The portfolio, with JavaScript on and off and axe on every page: a demo learner adds a note, a
 * link and a small PDF (after a disguised file is refused), sees them in their portfolio,
 * filters it, downloads the file and the PDF export, changes one piece of evidence and deletes
 * another. Titles are unique to the run, so both projects can use the same person at once.
 */
import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { makeExe, makePdf } from '../../src/modules/learning/evidence.fixtures.js';
import { pdfText } from '../support/pdf-text.js';
import { expectNoAxeViolations } from './support/axe.js';
import { signInAsDemo } from './support/demo.js';

async function checkPage(page: Page, heading: string | RegExp, javaScriptEnabled: boolean) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expectNoAxeViolations(page, javaScriptEnabled);
}

/** Step 1 of adding evidence: the second area of the framework, and the kind. */
async function startAdding(page: Page, kind: 'A note' | 'A link' | 'A file') {
  await page.goto('/portfolio/evidence/new');
  await page.getByLabel('Which area of the framework is it about?').selectOption({ index: 2 });
  await page.getByLabel(kind, { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('a learner builds a portfolio of evidence and downloads it', async ({
  page,
  javaScriptEnabled,
}, testInfo) => {
  test.setTimeout(120_000);
  const run = `${testInfo.project.name} ${String(Date.now())}`;
  const noteTitle = `Taught the ward the observations app (${run})`;
  const linkTitle = `Data protection certificate (${run})`;
  const fileTitle = `Course certificate (${run})`;
  const pdf = await makePdf(`Certificate ${run}`);

  await signInAsDemo(page, 'learner-analyst');
  await page.goto('/portfolio');
  await checkPage(page, 'Your portfolio', javaScriptEnabled);

  // Step 1, with its errors.
  await page.getByRole('button', { name: 'Add evidence', exact: true }).click();
  await checkPage(page, 'Add evidence to your portfolio', javaScriptEnabled);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveTitle(/^Error: Add evidence to your portfolio/);
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Select the area of the framework it is about',
  );
  await expectNoAxeViolations(page, javaScriptEnabled);

  // A note, with its errors.
  await startAdding(page, 'A note');
  await checkPage(page, 'Add a note', javaScriptEnabled);
  await page.getByRole('button', { name: 'Add to your portfolio' }).click();
  await expect(page).toHaveTitle(/^Error: Add a note/);
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter your note');
  await expectNoAxeViolations(page, javaScriptEnabled);
  await page.getByLabel('Title').fill(noteTitle);
  await page.getByLabel('Your note').fill('Ten colleagues now record observations on it.');
  await page.getByRole('button', { name: 'Add to your portfolio' }).click();
  await checkPage(page, noteTitle, javaScriptEnabled);
  await expect(page.locator('.nhsuk-inset-text')).toContainText('Added to your portfolio.');

  // A link.
  await startAdding(page, 'A link');
  await checkPage(page, 'Add a link', javaScriptEnabled);
  await page.getByLabel('Title').fill(linkTitle);
  await page.getByLabel('Web address').fill('not a web address');
  await page.getByRole('button', { name: 'Add to your portfolio' }).click();
  await expect(page).toHaveTitle(/^Error: Add a link/);
  await expectNoAxeViolations(page, javaScriptEnabled);
  await page.getByLabel('Web address').fill('https://www.example.org/certificates/e2e');
  await page.getByRole('button', { name: 'Add to your portfolio' }).click();
  await checkPage(page, linkTitle, javaScriptEnabled);

  // A file: a program renamed .pdf is refused, by its content; a real PDF is kept.
  await startAdding(page, 'A file');
  await checkPage(page, 'Upload a file', javaScriptEnabled);
  await page.getByLabel('Title').fill(fileTitle);
  const fileInput = page.locator('input[type="file"][name="file"]');
  await fileInput.setInputFiles({
    name: 'certificate.pdf',
    mimeType: 'application/pdf',
    buffer: makeExe(),
  });
  await page.getByRole('button', { name: 'Add to your portfolio' }).click();
  await expect(page).toHaveTitle(/^Error: Upload a file/);
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    '"certificate.pdf" is not a type of file we accept',
  );
  await expectNoAxeViolations(page, javaScriptEnabled);
  await expect(page.getByLabel('Title')).toHaveValue(fileTitle);
  await fileInput.setInputFiles({
    name: 'certificate.pdf',
    mimeType: 'application/pdf',
    buffer: pdf,
  });
  await page.getByRole('button', { name: 'Add to your portfolio' }).click();
  await checkPage(page, fileTitle, javaScriptEnabled);
  await expect(page.locator('main')).toContainText('certificate.pdf (PDF,');

  // The file comes back as it went in.
  const fileDownload = page.waitForEvent('download');
  await page.getByRole('link', { name: 'certificate.pdf' }).click();
  const file = await fileDownload;
  expect(file.suggestedFilename()).toBe('certificate.pdf');
  expect((await readFile(await file.path())).equals(pdf)).toBe(true);

  // The portfolio lists all three in the area, and filters.
  await page.goto('/portfolio');
  await checkPage(page, 'Your portfolio', javaScriptEnabled);
  for (const title of [noteTitle, linkTitle, fileTitle])
    await expect(page.getByRole('link', { name: title })).toBeVisible();
  const areaOption = page.locator('select#area option').nth(1);
  const areaText = (await areaOption.textContent())?.replace(/ \(\d+\)$/, '') ?? '';
  await page.getByLabel('Show evidence for').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/\/portfolio\?area=/);
  await expect(page.locator('main h2[id^="area-"]')).toHaveText([areaText]);
  await expectNoAxeViolations(page, javaScriptEnabled);

  // The PDF export, for appraisal.
  await page.goto('/portfolio');
  const exportDownload = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download your portfolio (PDF)' }).click();
  const exported = await exportDownload;
  expect(exported.suggestedFilename()).toMatch(/^digicap-portfolio-\d{4}-\d{2}-\d{2}\.pdf$/);
  const text = await pdfText(await readFile(await exported.path()));
  expect(text).toContain('Portfolio of evidence');
  expect(text).toContain('Ben Carter (demo data analyst)');
  for (const title of [noteTitle, linkTitle, fileTitle]) expect(text).toContain(title);
  expect(text).toContain('https://www.example.org/certificates/e2e');

  // Change the link's title, then delete the note.
  await page.getByRole('link', { name: linkTitle }).click();
  await page.getByRole('link', { name: 'Change this evidence' }).click();
  await checkPage(page, 'Change evidence', javaScriptEnabled);
  await page.getByLabel('Title').fill(`${linkTitle}, renewed`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await checkPage(page, `${linkTitle}, renewed`, javaScriptEnabled);

  await page.goto('/portfolio');
  await page.getByRole('link', { name: noteTitle }).click();
  await page.getByRole('link', { name: 'Delete this evidence' }).click();
  await checkPage(page, 'Delete this evidence?', javaScriptEnabled);
  await page.getByRole('button', { name: 'Delete evidence' }).click();
  await checkPage(page, 'Your portfolio', javaScriptEnabled);
  await expect(page.locator('.nhsuk-inset-text')).toContainText('The evidence has been deleted.');
  await expect(page.getByRole('link', { name: noteTitle })).toHaveCount(0);
});
