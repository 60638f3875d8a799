/** The preferences form: one value or several, tampered values refused, what was sent kept. */
import { describe, expect, it } from 'vitest';
import { parsePreferencesForm } from './preferences.forms.js';

describe('parsePreferencesForm', () => {
  it('reads nothing ticked as no preferences', () => {
    expect(parsePreferencesForm({})).toEqual({
      values: { formats: [], maxDurationMinutes: '', freeOnly: false },
      preferences: { formats: [], maxDurationMinutes: null, freeOnly: false },
      errors: [],
    });
  });

  it('reads one format (a string) or several (an array), in the catalogue’s order, once each', () => {
    expect(parsePreferencesForm({ formats: 'video' }).preferences.formats).toEqual(['video']);
    const several = parsePreferencesForm({
      formats: ['webinar', 'video', 'e-learning', 'video'],
      maxDurationMinutes: '60',
      freeOnly: 'yes',
    });
    expect(several.errors).toEqual([]);
    expect(several.preferences).toEqual({
      formats: ['e-learning', 'video', 'webinar'],
      maxDurationMinutes: 60,
      freeOnly: true,
    });
  });

  it('refuses formats and lengths the form does not offer, keeping what was sent', () => {
    const parsed = parsePreferencesForm({
      formats: ['video', 'hologram'],
      maxDurationMinutes: '45',
      freeOnly: 'no',
    });
    expect(parsed.errors).toEqual([
      { field: 'formats', text: 'Choose formats from the list' },
      { field: 'maxDurationMinutes', text: 'Choose a length from the list' },
    ]);
    expect(parsed.values).toEqual({
      formats: ['video', 'hologram'],
      maxDurationMinutes: '45',
      freeOnly: false,
    });
    for (const bad of ['-15', '1e3', '60.0', 'sixty', '999999'])
      expect(parsePreferencesForm({ maxDurationMinutes: bad }).errors).toHaveLength(1);
  });
});
