/** The profile page: shown, saved, validated, CSRF-protected, and in "download my data". */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, signedInBrowser } from '../../../test/support/browser.js';
import { textOf } from '../../../test/support/html.js';
import { buildTestApp } from '../../../test/support/test-app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('/account/profile', () => {
  it('sends anonymous visitors to sign in, and back here afterwards', async () => {
    const { response } = await new Browser(app).get('/account/profile');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Faccount%2Fprofile');
  });

  it('saves profession, work setting and archetypes, and shows them on the account page', async () => {
    const { browser, personId } = await signedInBrowser(app, {
      email: 'amara@example.org',
      displayName: 'Amara Osei',
    });
    const form = await browser.get('/account/profile');
    expect(form.response.statusCode).toBe(200);
    expect(textOf(form.$, 'h1')).toBe('Your profile');
    const professions = form
      .$('select#professionCode option')
      .map((_i, el) => form.$(el).attr('value'))
      .get();
    expect(professions.length).toBeGreaterThan(10);
    const profession = professions.find((v) => v !== '') ?? '';
    const setting = form.$('select#workSettingCode option').eq(1).attr('value') ?? '';
    const archetypes = form
      .$('input[name="archetypeCodes"]')
      .map((_i, el) => form.$(el).attr('value'))
      .get();
    expect(archetypes).toHaveLength(5);

    const saved = await browser.post('/account/profile', {
      professionCode: profession,
      workSettingCode: setting,
      archetypeCodes: [archetypes[4] ?? '', archetypes[3] ?? ''],
    });
    expect(saved.response.statusCode).toBe(303);
    expect(saved.response.headers.location).toBe('/account?profile=1');

    const profile = await app.services.profiles.getProfile(personId);
    // Stored in the framework's order, whatever order they were ticked in.
    expect(profile).toEqual({
      professionCode: profession,
      workSettingCode: setting,
      archetypeCodes: [archetypes[3], archetypes[4]],
    });
    const account = await browser.get('/account?profile=1');
    expect(textOf(account.$, '.nhsuk-inset-text')).toContain('Your profile has been saved.');
    const chosen = form.$(`select#professionCode option[value="${profession}"]`).text();
    expect(textOf(account.$, 'main')).toContain(chosen);

    const again = await browser.get('/account/profile');
    expect(again.$('select#professionCode option:selected').attr('value')).toBe(profession);
    expect(again.$('input[name="archetypeCodes"]:checked')).toHaveLength(2);

    const download = await browser.get('/account/download');
    const data = JSON.parse(download.response.body) as { profile: { professionCode: string } };
    expect(data.profile.professionCode).toBe(profession);
  });

  it('rejects values not in the lists with an error summary, and changes nothing', async () => {
    const { browser, personId } = await signedInBrowser(app, {
      email: 'bilal@example.org',
      displayName: 'Bilal Haddad',
    });
    await browser.get('/account/profile');
    const bad = await browser.post('/account/profile', {
      professionCode: 'astronaut',
      archetypeCodes: 'heroes',
    });
    expect(bad.response.statusCode).toBe(422);
    expect(bad.$('title').text()).toMatch(/^Error: /);
    expect(
      bad
        .$('.nhsuk-error-summary a')
        .map((_i, el) => bad.$(el).attr('href'))
        .get(),
    ).toEqual(['#professionCode', '#archetypeCodes']);
    expect(await app.services.profiles.getProfile(personId)).toEqual({
      professionCode: null,
      workSettingCode: null,
      archetypeCodes: [],
    });
  });

  it('refuses a save without the CSRF token', async () => {
    const { browser } = await signedInBrowser(app, {
      email: 'chen@example.org',
      displayName: 'Chen Li',
    });
    const forged = await browser.post('/account/profile', { professionCode: '' }, 'not-a-token');
    expect(forged.response.statusCode).toBe(403);
  });
});
