/**
 * The development plan in the browser, with JavaScript on and off and axe on every page: a demo
 * learner with results (src/demo/demo-seed.ts) opens "My plan", turns their most urgent gap into
 * a goal (getting the date wrong first), adds learning from the catalogue to it, starts it, marks
 * it done with a reflection (getting that wrong first too), sees it done on the goal and on the
 * plan, changes the goal, and removes it.
 *
 * The two projects run at once, so each has its own learner; everything is found by the goal's
 * own id, so other specs' goals for the same people do not matter.
 */
import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe.js';
import { signInAsDemo } from './support/demo.js';

const LEARNERS: Record<string, string> = {
  'chromium-js': 'learner-physio',
  'chromium-no-js': 'learner-analyst',
};
const GOAL_URL = /\/plan\/goals\/([0-9a-f-]{36})(\?.*)?$/;

async function checkPage(page: Page, heading: string | RegExp, javaScriptEnabled: boolean) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expectNoAxeViolations(page, javaScriptEnabled);
}

async function expectErrors(page: Page, javaScriptEnabled: boolean, messages: string[]) {
  await expect(page).toHaveTitle(/^Error: /);
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary.getByRole('link')).toHaveText(messages);
  await expectNoAxeViolations(page, javaScriptEnabled);
}

test.describe('development plan', () => {
  test.describe.configure({ timeout: 120_000 });

  test('a goal, its learning, done with a reflection', async ({
    page,
    javaScriptEnabled,
  }, info) => {
    const learner = LEARNERS[info.project.name] ?? 'learner-physio';
    await signInAsDemo(page, learner);

    // "My plan" is in the header's navigation (behind "More" on narrow screens) and on /home.
    await page.goto('/home');
    await expect(page.locator('.nhsuk-header a[href="/plan"]')).toHaveCount(1);
    await page.getByRole('main').getByRole('link', { name: 'My plan' }).click();
    await checkPage(page, 'My development plan', javaScriptEnabled);

    // A goal from the most urgent gap in their results (the demo seed submitted an assessment):
    // the form comes prefilled; a date that does not exist is refused, keeping the rest.
    const gap = page.locator('.app-plan-gaps li').first();
    const areaName = ((await gap.locator('strong').textContent()) ?? '').trim();
    await gap.getByRole('link', { name: /^Add a goal/ }).click();
    await checkPage(page, 'Add a goal to your plan', javaScriptEnabled);
    await expect(page.locator('.nhsuk-inset-text')).toContainText(`you were at level`);
    await expect(page.getByLabel('Which area of the framework is this goal about?')).toHaveValue(
      /\d/,
    );
    await expect(
      page.getByRole('radio', { name: /^Level \d:/ }).and(page.locator(':checked')),
    ).toHaveCount(1);
    await page.getByLabel('Day').fill('31');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Notes (optional)').fill('Kept through errors');
    await page.getByRole('button', { name: 'Save goal' }).click();
    await expectErrors(page, javaScriptEnabled, ['Target date must be a real date']);
    await expect(page.getByLabel('Notes (optional)')).toHaveValue('Kept through errors');
    await page.getByLabel('Day').fill('1');
    await page.getByLabel('Month').fill('6');
    await page.getByLabel('Year').fill(String(new Date().getFullYear() + 1));
    await page.getByRole('button', { name: 'Save goal' }).click();
    await expect(page).toHaveURL(GOAL_URL);
    const goalId = GOAL_URL.exec(page.url())?.[1] ?? '';
    await expect(page.locator('.app-notice')).toContainText('Your goal has been added');
    await expect(page.getByRole('heading', { level: 1 })).toContainText(areaName);
    await expect(page.locator('.nhsuk-summary-list')).toContainText('Kept through errors');
    await expectNoAxeViolations(page, javaScriptEnabled);

    // Learning from the catalogue for the area.
    await page.getByRole('button', { name: 'Add to this goal' }).click();
    await expectErrors(page, javaScriptEnabled, [
      'Select the learning you want to add to this goal',
    ]);
    const select = page.locator('#resourceId');
    const resourceId = await select.locator('option:not([value=""])').first().getAttribute('value');
    if (!resourceId) throw new Error('no learning in the catalogue for this area');
    await select.selectOption(resourceId);
    await page.getByRole('button', { name: 'Add to this goal' }).click();
    const item = page.locator(`#resource-${resourceId}`);
    await expect(item.locator('.nhsuk-tag').first()).toHaveText('Not started');
    const title = (await item.getByRole('heading', { level: 3 }).textContent())?.trim() ?? '';

    // Started, then done with a reflection.
    await item.getByRole('combobox').selectOption('in_progress');
    await item.getByRole('button', { name: /^Update status/ }).click();
    await expect(page.locator(`#resource-${resourceId} .nhsuk-tag`).first()).toHaveText(
      'In progress',
    );
    await page
      .locator(`#resource-${resourceId}`)
      .getByRole('link', { name: /^Mark as done/ })
      .click();
    await checkPage(
      page,
      new RegExp(`Mark as done: ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      javaScriptEnabled,
    );
    await page.getByLabel('How will you use it?').fill('At our next team meeting');
    // The limit is shown; with JavaScript it counts down as the person types.
    const useCount = page.locator(
      '.nhsuk-character-count:has(#use) .nhsuk-character-count__status',
    );
    if (javaScriptEnabled) await expect(useCount).toHaveText('You have 1,976 characters remaining');
    else await expect(page.locator('#use-info')).toHaveText('You can enter up to 2,000 characters');
    await page.getByRole('button', { name: 'Mark as done' }).click();
    await expectErrors(page, javaScriptEnabled, ['Enter what you learned']);
    await expect(page.getByLabel('How will you use it?')).toHaveValue('At our next team meeting');
    await page.getByLabel('What did you learn?').fill('What the framework expects of me');
    await page.getByRole('button', { name: 'Mark as done' }).click();
    await expect(page).toHaveURL(new RegExp(`/plan/goals/${goalId}\\?done=completed`));
    const done = page.locator(`#resource-${resourceId}`);
    await expect(done.locator('.nhsuk-tag').first()).toHaveText('Done');
    await done.getByText('Your reflection').click();
    await expect(done.locator('.nhsuk-details__text')).toContainText(
      'What the framework expects of me',
    );
    await expectNoAxeViolations(page, javaScriptEnabled);

    // On the plan: in progress, with the learning done.
    await page.goto('/plan');
    const card = page.locator(`#goal-${goalId}`);
    await expect(card.locator('xpath=ancestor::ul[1]')).toHaveAttribute(
      'aria-labelledby',
      'in-progress',
    );
    await expect(card).toContainText('1 of 1 learning resource done');
    await expectNoAxeViolations(page, javaScriptEnabled);

    // "Add to my plan" (where the catalogue and recommendations link) offers this goal.
    await page.goto(`/plan/add-resource?resource=${resourceId}`);
    await checkPage(page, 'Add to your plan', javaScriptEnabled);
    await expect(page.locator(`input[name="goal"][value="${goalId}"]`)).toHaveCount(1);

    // Changing the goal, then removing it.
    await page.goto(`/plan/goals/${goalId}/edit`);
    await checkPage(page, /Change your goal for /, javaScriptEnabled);
    await page.getByRole('radio', { name: 'Done' }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.locator('.app-notice')).toContainText('Your goal has been saved');
    await page.getByRole('link', { name: 'Remove this goal' }).click();
    await checkPage(page, /^Remove your goal for .*\?$/, javaScriptEnabled);
    await page.getByRole('button', { name: 'Remove goal' }).click();
    await expect(page).toHaveURL(/\/plan\?done=removed$/);
    await expect(page.locator(`#goal-${goalId}`)).toHaveCount(0);
  });
});
