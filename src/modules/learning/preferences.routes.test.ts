/**
 * "Your learning preferences" through the real app (PGlite and PostgreSQL): sign-in required,
 * the person's own, CSRF checked, tampered values refused with an error summary (422) keeping
 * what was chosen, saving redirects to My learning (303) which then follows them.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, signedInBrowser } from '../../../test/support/browser.js';
import { textOf } from '../../../test/support/html.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { RESOURCE_FORMATS } from './catalogue.model.js';

let app: FastifyInstance;
let pia: Awaited<ReturnType<typeof signedInBrowser>>;
let quinn: Awaited<ReturnType<typeof signedInBrowser>>;

beforeAll(async () => {
  app = await buildTestApp();
  pia = await signedInBrowser(app, { email: 'pia@prefs.example.org', displayName: 'Pia Prefs' });
  quinn = await signedInBrowser(app, {
    email: 'quinn@prefs.example.org',
    displayName: 'Quinn Other',
  });
}, 60_000);

afterAll(async () => {
  await app.close();
});

describe('learning preferences', () => {
  it('sends someone signed out to sign in', async () => {
    const { response } = await new Browser(app).get('/learning/preferences');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Flearning%2Fpreferences');
  });

  it('shows the form with every catalogue format, the lengths and free only, nothing chosen', async () => {
    const { response, $ } = await pia.browser.get('/learning/preferences');
    expect(response.statusCode).toBe(200);
    expect(textOf($, 'h1')).toBe('Your learning preferences');
    const formats = $('input[name="formats"]')
      .map((_, el) => $(el).attr('value'))
      .get();
    expect(formats).toEqual([...RESOURCE_FORMATS]);
    expect($('input[name="formats"]:checked')).toHaveLength(0);
    expect($('select#maxDurationMinutes option:selected').attr('value')).toBe('');
    expect(
      $('select#maxDurationMinutes option')
        .map((_, el) => $(el).attr('value'))
        .get(),
    ).toEqual(['', '15', '30', '60', '120', '240', '480']);
    expect($('input[name="freeOnly"]:checked')).toHaveLength(0);
    expect($('form input[name="_csrf"]').attr('value')).toBeTruthy();
  });

  it('refuses values the form does not offer, with an error summary, keeping the choices', async () => {
    await pia.browser.get('/learning/preferences');
    const { response, $ } = await pia.browser.post('/learning/preferences', {
      formats: ['video', 'hologram'],
      maxDurationMinutes: '45',
      freeOnly: 'yes',
    });
    expect(response.statusCode).toBe(422);
    expect($('title').text()).toMatch(/^Error: Your learning preferences/);
    const links = $('.nhsuk-error-summary a')
      .map((_, a) => $(a).attr('href'))
      .get();
    expect(links).toEqual(['#formats', '#maxDurationMinutes']);
    expect($('#formats')).toHaveLength(1);
    expect($('#maxDurationMinutes')).toHaveLength(1);
    expect(textOf($, '#formats-error')).toContain('Choose formats from the list');
    expect(textOf($, '#maxDurationMinutes-error')).toContain('Choose a length from the list');
    expect($('input[name="formats"][value="video"]').is(':checked')).toBe(true);
    expect($('input[name="freeOnly"]').is(':checked')).toBe(true);
    // Nothing was saved.
    expect(await app.services.learningPreferences.get(pia.personId)).toEqual({
      formats: [],
      maxDurationMinutes: null,
      freeOnly: false,
    });
  });

  it('refuses a form without its CSRF token', async () => {
    await pia.browser.get('/learning/preferences');
    const { response } = await pia.browser.post(
      '/learning/preferences',
      { formats: 'video' },
      'made-up',
    );
    expect(response.statusCode).toBe(403);
  });

  it('saves, goes to My learning which says so and follows them, and shows them again', async () => {
    await pia.browser.get('/learning/preferences');
    const saved = await pia.browser.post('/learning/preferences', {
      formats: ['video', 'e-learning'],
      maxDurationMinutes: '60',
      freeOnly: 'yes',
    });
    expect(saved.response.statusCode).toBe(303);
    expect(saved.response.headers.location).toBe('/learning?done=preferences');

    const { $ } = await pia.browser.get('/learning?done=preferences');
    expect(textOf($, '.app-notice')).toContain('Your preferences have been saved');
    const lines = $('ul.app-preferences-summary li')
      .map((_, li) => $(li).text())
      .get();
    expect(lines).toEqual([
      'Formats you prefer: E-learning, Video (others are still suggested)',
      'Longest: 1 hour (resources that do not say are still suggested)',
      'Cost: free resources only',
    ]);

    const again = await pia.browser.get('/learning/preferences');
    expect(
      again
        .$('input[name="formats"]:checked')
        .map((_, el) => $(el).attr('value'))
        .get(),
    ).toEqual(['e-learning', 'video']);
    expect(again.$('select#maxDurationMinutes option:selected').attr('value')).toBe('60');
    expect(again.$('input[name="freeOnly"]').is(':checked')).toBe(true);

    const audit = await app.services.audit.listForPerson(pia.personId);
    expect(audit.some((e) => e.action === 'learning.preferences.changed')).toBe(true);
  });

  it('are each person’s own', async () => {
    const { $ } = await quinn.browser.get('/learning/preferences');
    expect($('input[name="formats"]:checked')).toHaveLength(0);
    expect($('input[name="freeOnly"]').is(':checked')).toBe(false);
    expect(await app.services.learningPreferences.get(quinn.personId)).toEqual({
      formats: [],
      maxDurationMinutes: null,
      freeOnly: false,
    });
  });
});
