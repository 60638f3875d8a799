/** The profile form: request body → a profile (codes from the given lists) or field errors. */
import { type FieldError, values } from '../../platform/forms.js';
import type { Profile, ProfileChoices } from './profile.service.js';

export function parseProfileForm(
  body: unknown,
  choices: ProfileChoices,
): { values: Profile; errors: FieldError[] } {
  const b = (body ?? {}) as Record<string, unknown>;
  const one = (raw: unknown) => (values(raw)[0] ?? '').trim();
  const profession = one(b.professionCode);
  const workSetting = one(b.workSettingCode);
  const archetypes = [...new Set(values(b.archetypeCodes).map((v) => v.trim()))];
  const errors: FieldError[] = [];
  if (profession && !choices.professions.some((p) => p.code === profession))
    errors.push({ field: 'professionCode', text: 'Choose your profession from the list' });
  if (workSetting && !choices.workSettings.some((w) => w.code === workSetting))
    errors.push({ field: 'workSettingCode', text: 'Choose where you work from the list' });
  if (archetypes.some((code) => !choices.archetypes.some((a) => a.code === code)))
    errors.push({ field: 'archetypeCodes', text: 'Choose archetypes from the list' });
  return {
    values: {
      professionCode: profession || null,
      workSettingCode: workSetting || null,
      archetypeCodes: archetypes,
    },
    errors,
  };
}
