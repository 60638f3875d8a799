import { describe, expect, it } from 'vitest';
import { parseProfileForm } from './profile.forms.js';
import type { ProfileChoices } from './profile.service.js';

const choices: ProfileChoices = {
  frameworkSlug: 'f',
  professions: [
    { code: 'nurse', name: 'Nurse' },
    { code: 'physiotherapist', name: 'Physiotherapist' },
  ],
  workSettings: [{ code: 'acute', name: 'Hospital' }],
  archetypes: [
    { code: 'users', name: 'Users', summary: 's' },
    { code: 'embedders', name: 'Embedders', summary: 's' },
  ],
};

describe('parseProfileForm', () => {
  it('takes codes from the lists, with one archetype as a string or several as an array', () => {
    expect(
      parseProfileForm(
        { professionCode: 'nurse', workSettingCode: 'acute', archetypeCodes: 'users' },
        choices,
      ),
    ).toEqual({
      values: { professionCode: 'nurse', workSettingCode: 'acute', archetypeCodes: ['users'] },
      errors: [],
    });
    expect(
      parseProfileForm({ archetypeCodes: ['users', 'embedders', 'users'] }, choices).values
        .archetypeCodes,
    ).toEqual(['users', 'embedders']);
  });

  it('treats empty choices as "not chosen"', () => {
    expect(parseProfileForm({ professionCode: '', workSettingCode: '' }, choices)).toEqual({
      values: { professionCode: null, workSettingCode: null, archetypeCodes: [] },
      errors: [],
    });
  });

  it('names each field whose value is not in its list', () => {
    const { errors } = parseProfileForm(
      { professionCode: 'wizard', workSettingCode: 'moon', archetypeCodes: ['users', 'heroes'] },
      choices,
    );
    expect(errors.map((e) => e.field)).toEqual([
      'professionCode',
      'workSettingCode',
      'archetypeCodes',
    ]);
  });
});
