/**
 * Every explorer page, in each of the states a person can reach it in, has no axe-detectable
 * WCAG 2.2 AA violations, with JavaScript on and off (the projects in playwright.config.ts).
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe.js';
import { AREA_CODES, ARCHETYPE_CODES, DOMAIN_CODES, FRAMEWORK } from './support/framework.js';

interface PageCase {
  name: string;
  path: string;
  status: number;
}

const pages: PageCase[] = [
  { name: 'home', path: '/', status: 200 },
  { name: 'frameworks', path: '/frameworks', status: 200 },
  { name: 'framework', path: FRAMEWORK, status: 200 },
  ...DOMAIN_CODES.map((code) => ({
    name: `domain ${code}`,
    path: `${FRAMEWORK}/domains/${code}`,
    status: 200,
  })),
  ...AREA_CODES.map((code) => ({
    name: `area ${code}`,
    path: `${FRAMEWORK}/areas/${code}`,
    status: 200,
  })),
  { name: 'all statements', path: `${FRAMEWORK}/statements`, status: 200 },
  {
    name: 'filtered search',
    path: `${FRAMEWORK}/statements?q=remote+monitoring&archetype=U&level=2`,
    status: 200,
  },
  { name: 'search with no results', path: `${FRAMEWORK}/statements?q=zzzzqqq`, status: 200 },
  { name: 'validation error', path: `${FRAMEWORK}?level=9`, status: 400 },
  { name: 'statement permalink', path: `${FRAMEWORK}/statements/6.3-1-01`, status: 200 },
  { name: 'levels', path: `${FRAMEWORK}/levels`, status: 200 },
  { name: 'archetypes', path: `${FRAMEWORK}/archetypes`, status: 200 },
  ...ARCHETYPE_CODES.map((code) => ({
    name: `archetype ${code}`,
    path: `${FRAMEWORK}/archetypes/${code}`,
    status: 200,
  })),
  { name: 'versions', path: `${FRAMEWORK}/versions`, status: 200 },
  { name: 'not found', path: '/no-such-page', status: 404 },
  { name: 'development outbox', path: '/dev/outbox', status: 200 },
  { name: 'privacy notice', path: '/privacy', status: 200 },
  { name: 'cookies', path: '/cookies', status: 200 },
  { name: 'account deleted', path: '/account-deleted', status: 200 },
  { name: 'register: check your email', path: '/register/check-your-email', status: 200 },
  { name: 'confirm email', path: '/confirm-email/some-token', status: 200 },
  { name: 'forgotten password', path: '/forgotten-password', status: 200 },
  {
    name: 'forgotten password: check your email',
    path: '/forgotten-password/check-your-email',
    status: 200,
  },
  { name: 'reset link that does not work', path: '/reset-password/not-a-token', status: 400 },
];

test.describe('accessibility (axe, WCAG 2.2 AA)', () => {
  // A list of all 208 statements takes axe several seconds, more on a busy machine.
  test.describe.configure({ timeout: 60_000 });

  for (const { name, path, status } of pages) {
    test(`${name}: ${path}`, async ({ page, javaScriptEnabled }) => {
      const response = await page.goto(path);
      expect(response?.status(), `status of ${path}`).toBe(status);
      await expect(page.locator('main#maincontent')).toBeVisible();
      // Without JavaScript, nothing must have added the class the NHS.UK template's script adds.
      await expect(page.locator('body')).toHaveClass(
        javaScriptEnabled ? /\bjs-enabled\b/ : /^(?!.*\bjs-enabled\b)/,
      );
      await expectNoAxeViolations(page, javaScriptEnabled);
    });
  }
});
