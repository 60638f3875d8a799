/**
 * The preferences form (POST /learning/preferences): body → preferences, or field errors for
 * anything the form does not offer (a tampered format or length). The values sent come back
 * with the errors, so the form shows what was chosen.
 */
import { type FieldError, values } from '../../platform/forms.js';
import { isDurationChoice, isFormatChoice, orderedFormats } from './preferences.model.js';
import type { LearningPreferences } from './recommend.js';

export interface PreferencesFormValues {
  formats: string[];
  /** As sent: '' for any length. */
  maxDurationMinutes: string;
  freeOnly: boolean;
}

export function parsePreferencesForm(body: unknown): {
  values: PreferencesFormValues;
  preferences: LearningPreferences;
  errors: FieldError[];
} {
  const b = (body ?? {}) as Record<string, unknown>;
  const formats = [...new Set(values(b.formats).map((v) => v.trim()))].filter(Boolean);
  const maxRaw = (values(b.maxDurationMinutes)[0] ?? '').trim();
  const freeOnly = values(b.freeOnly).includes('yes');
  const errors: FieldError[] = [];
  if (!formats.every(isFormatChoice))
    errors.push({ field: 'formats', text: 'Choose formats from the list' });
  const max = /^\d{1,5}$/.test(maxRaw) ? Number(maxRaw) : undefined;
  if (maxRaw !== '' && (max === undefined || !isDurationChoice(max)))
    errors.push({ field: 'maxDurationMinutes', text: 'Choose a length from the list' });
  return {
    values: { formats, maxDurationMinutes: maxRaw, freeOnly },
    preferences: {
      formats: orderedFormats(formats),
      maxDurationMinutes: maxRaw === '' || max === undefined ? null : max,
      freeOnly,
    },
    errors,
  };
}
