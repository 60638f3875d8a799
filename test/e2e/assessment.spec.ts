/**
 * The self-assessment journey in the browser, with JavaScript on and off: a newly registered
 * person starts a focused assessment (profile, "help me choose", mode), answers a page, saves and
 * signs out mid-way, signs back in and resumes on the same area, answers until done, changes an
 * answer from check answers and submits. axe checks every kind of page on the way. With
 * JavaScript on, choosing an answer saves it at once (a reload shows it without pressing a button).
 */
import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe.js';

const PASSWORD = 'lantern orchard pebble violet';

async function checkPage(page: Page, heading: string | RegExp, javaScriptEnabled: boolean) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expectNoAxeViolations(page, javaScriptEnabled);
}

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
}

/** Registers through the pages and confirms through the development outbox, then signs in. */
async function registerAndSignIn(page: Page, email: string) {
  await page.goto('/register');
  await page.getByLabel('Full name').fill('Jordan Assess');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Create a password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
  await page.goto('/dev/outbox');
  await page
    .locator('main tr')
    .filter({ hasText: email })
    .getByRole('link', { name: 'Confirm your email address for digicap' })
    .first()
    .click();
  await expect(page.locator('main')).toContainText(email);
  await page.locator('main a[href*="/confirm-email/"]').first().click();
  await page.getByRole('button', { name: 'Confirm email address' }).click();
  await signIn(page, email);
}

/** Chooses "I can do this on my own" (or the given answer) for every statement on the page. */
async function answerPage(page: Page, label = 'I can do this on my own') {
  const fieldsets = page.locator('form#answers fieldset');
  const count = await fieldsets.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i += 1)
    await fieldsets.nth(i).getByLabel(label, { exact: true }).check();
}

const AREA_URL = /\/assessments\/[0-9a-f-]{36}\/areas\/[\d.]+$/;

test('start, answer, sign out mid-way, resume, check answers and submit', async ({
  page,
  javaScriptEnabled,
}, testInfo) => {
  test.setTimeout(240_000);
  const email = `assess-${testInfo.project.name}-${String(Date.now())}@example.org`;
  await registerAndSignIn(page, email);

  // Home → start.
  await page.getByRole('link', { name: 'Go to your home page' }).click();
  await checkPage(page, 'Hello, Jordan Assess', javaScriptEnabled);
  await page.getByRole('button', { name: 'Start your self-assessment' }).click();

  // Step 1: profession and work setting.
  await checkPage(page, /Your profession and where you work/, javaScriptEnabled);
  await page.getByLabel('Profession').selectOption({ label: 'Nurse' });
  await page.getByRole('button', { name: 'Continue' }).click();

  // Step 2: archetypes, with "help me choose".
  await checkPage(page, 'Which archetypes describe your work?', javaScriptEnabled);
  await page.getByRole('link', { name: 'Answer a few questions to help you choose' }).click();
  await checkPage(page, 'Help me choose my archetypes', javaScriptEnabled);
  await page.getByRole('button', { name: 'See my suggested archetypes' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expectNoAxeViolations(page, javaScriptEnabled);
  const questions = page.locator('main form fieldset');
  const questionCount = await questions.count();
  for (let i = 0; i < questionCount; i += 1)
    await questions
      .nth(i)
      .getByLabel(i === questionCount - 1 ? 'Yes' : 'No', { exact: true })
      .check();
  await page.getByRole('button', { name: 'See my suggested archetypes' }).click();
  await checkPage(page, 'Archetypes that may fit you', javaScriptEnabled);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(['Users']);
  await page.getByRole('button', { name: 'Use these archetypes' }).click();

  // Step 3: mode, with time estimates.
  await checkPage(page, 'How do you want to assess yourself?', javaScriptEnabled);
  await expect(page.getByLabel('Focused (recommended)')).toBeChecked();
  await expect(page.locator('main')).toContainText(/About \d+ minutes/);
  await page.getByRole('button', { name: 'Start your self-assessment' }).click();

  // The first area.
  await expect(page).toHaveURL(AREA_URL);
  const firstArea = page.url();
  await expectNoAxeViolations(page, javaScriptEnabled);
  await expect(page.locator('#assessment-progress')).toHaveText(
    /^0 of 16 areas done, about \d+ minutes? left$/,
  );
  // Nothing chosen: each statement asks for an answer.
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expectNoAxeViolations(page, javaScriptEnabled);

  if (javaScriptEnabled) {
    // Autosave: choosing an answer saves it; a reload shows it without pressing a button.
    // The page's buttons stay where they were when the message appears, so a press aimed at
    // "Save and continue" cannot land on the message instead.
    const first = page.locator('form#answers fieldset').first();
    const saveAndContinue = page.getByRole('button', { name: 'Save and continue' });
    const topOnPage = () =>
      saveAndContinue.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    const before = await topOnPage();
    await first.getByLabel('I could lead or teach this', { exact: true }).check();
    await expect(page.getByRole('status')).toHaveText('Your answer has been saved.');
    expect(await topOnPage()).toBe(before);
    await page.goto(firstArea);
    await expect(
      page
        .locator('form#answers fieldset')
        .first()
        .getByLabel('I could lead or teach this', { exact: true }),
    ).toBeChecked();
  }
  await answerPage(page);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page).toHaveURL(AREA_URL);

  // Save and come back later, then sign out. The first page settled the start level as met, so
  // this page asks the level above; one met answer does not settle it, so the area stays
  // unfinished and continuing comes back here.
  const whereIWas = page.url();
  await answerPage(page);
  await page.getByRole('button', { name: 'Save and come back later' }).click();
  await checkPage(page, 'Your answers have been saved', javaScriptEnabled);
  await page
    .getByRole('navigation', { name: 'Account' })
    .getByRole('link', { name: 'Sign out' })
    .click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);

  // Sign in again: home offers to continue, which lands on the same area.
  await signIn(page, email);
  await page.getByRole('link', { name: 'Go to your home page' }).click();
  await expect(page.locator('#assessment-progress')).toContainText('of 16 areas done');
  await page.getByRole('button', { name: 'Continue your self-assessment' }).click();
  await expect(page).toHaveURL(whereIWas);

  // The task list.
  await page.getByRole('link', { name: 'All areas' }).click();
  await checkPage(page, 'Your self-assessment', javaScriptEnabled);
  await expect(page.locator('.nhsuk-task-list__item')).toHaveCount(16);
  // "Start again" asks first; keeping the answers goes back to the task list.
  await page.getByRole('link', { name: 'Start again', exact: true }).click();
  await checkPage(page, 'Start your self-assessment again?', javaScriptEnabled);
  await page.getByRole('link', { name: /^No, keep my answers/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your self-assessment');
  await page.getByRole('button', { name: 'Continue where you left off' }).click();
  await expect(page).toHaveURL(AREA_URL);

  // Answer until every area is done.
  for (let pages = 0; AREA_URL.test(page.url()); pages += 1) {
    expect(pages).toBeLessThan(120);
    await answerPage(page, pages % 3 === 0 ? 'I can do this on my own' : "I can't do this yet");
    // The next page may be the same area again (its next statements): wait for it to load.
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Save and continue' }).click(),
    ]);
  }

  // Check answers, change one (to another answer that meets the statement, so the area stays
  // finished), submit.
  await expect(page).toHaveURL(/\/check-answers$/);
  await checkPage(page, 'Check your answers', javaScriptEnabled);
  const row = page
    .locator('.nhsuk-summary-list__row')
    .filter({ has: page.getByText('I can do this on my own', { exact: true }) })
    .first();
  const statement = (await row.locator('.nhsuk-summary-list__key').innerText()).trim();
  const href = (await row.getByRole('link', { name: /Change/ }).getAttribute('href')) ?? '';
  await row.getByRole('link', { name: /Change/ }).click();
  await expect(page).toHaveURL(/\?from=check-answers/);
  // axe's copy of a page without JavaScript is served at the URL without its #fragment.
  await page.goto(page.url().split('#')[0] ?? '');
  await expectNoAxeViolations(page, javaScriptEnabled);
  const radioId = href.split('#')[1] ?? '';
  await page
    .locator('fieldset', { has: page.locator(`[id="${radioId}"]`) })
    .getByLabel('I could lead or teach this', { exact: true })
    .check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page).toHaveURL(/\/check-answers$/);
  await expect(
    page
      .locator('.nhsuk-summary-list__row')
      .filter({ has: page.getByText(statement, { exact: true }) })
      .locator('.nhsuk-summary-list__value'),
  ).toHaveText('I could lead or teach this');
  await page.getByRole('button', { name: 'Submit your self-assessment' }).click();
  await expect(page).toHaveURL(/\/assessments\/[0-9a-f-]{36}\/results$/);
  // The results page is another part of issue 4; when it is there, it is checked too.
  if ((await page.locator('main h1').count()) > 0 && !(await page.title()).startsWith('Page not'))
    await expectNoAxeViolations(page, javaScriptEnabled);

  // Submitted: the home page offers the results and a new assessment.
  await page.goto('/home');
  await expect(page.getByRole('link', { name: 'Review last results' })).toHaveAttribute(
    'href',
    /\/results$/,
  );
  await expect(page.getByRole('button', { name: 'Start a new self-assessment' })).toBeVisible();
});
