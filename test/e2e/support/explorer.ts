/** Locators and small readers for the framework explorer's pages, shared by the specs. */
import { expect, type Locator, type Page } from '@playwright/test';

/** The search-and-filter form (a GET form with role="search"). */
export const filterForm = (page: Page): Locator =>
  page.getByRole('search', { name: 'Search and filter statements' });

export const resultsSummary = (page: Page): Locator => page.locator('main .app-results-summary');

/** "N of T statements …" on a filtered page: the numbers N and T. */
export async function filteredCounts(page: Page): Promise<{ shown: number; total: number }> {
  const text = normalise(await resultsSummary(page).innerText());
  const match = /^(\d+) of (\d+) statements\b/.exec(text);
  expect(match, `results summary "${text}" should say "N of T statements"`).not.toBeNull();
  return { shown: Number(match?.[1]), total: Number(match?.[2]) };
}

/** "N statements" on an unfiltered page: the number N. */
export async function unfilteredCount(page: Page): Promise<number> {
  const text = normalise(await resultsSummary(page).innerText());
  const match = /^(\d+) statements?$/.exec(text);
  expect(match, `results summary "${text}" should say "N statements"`).not.toBeNull();
  return Number(match?.[1]);
}

/** Statements listed in the main column of a statement-list page. */
export const listedStatements = (page: Page): Locator => page.locator('main li.app-statement');

/** The value cell of the summary-list row whose key is exactly `key`. */
export function summaryListValue(page: Page, key: string): Locator {
  return page
    .locator('main .nhsuk-summary-list__row')
    .filter({
      has: page.locator('.nhsuk-summary-list__key', { hasText: new RegExp(`^\\s*${key}\\s*$`) }),
    })
    .locator('.nhsuk-summary-list__value');
}

export function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Presses Tab until `target` has focus, as a keyboard user would, and fails if it takes more
 * than `max` presses (so a keyboard trap or a missing tab stop shows up as a failure).
 */
export async function tabTo(page: Page, target: Locator, max = 60): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return presses;
  }
  throw new Error(`Tab never reached ${target.toString()} in ${max} presses`);
}
