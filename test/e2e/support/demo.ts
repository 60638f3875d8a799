/** Signing in as one of the demo people (src/demo/demo-people.ts), which the e2e server seeds. */
import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../../../src/demo/demo-people.js';

export function demoEmail(key: string): string {
  const person = DEMO_PEOPLE.find((p) => p.key === key);
  if (!person) throw new Error(`there is no demo person "${key}"`);
  return person.email;
}

export async function signInAsDemo(page: Page, key: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(demoEmail(key));
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
}
