/** The preferences page's view model: the form with what is saved (or was sent), and errors. */
import { errorMessageFor, type FieldError } from '../../platform/forms.js';
import { errorSummaryArgs } from '../../platform/pages.js';
import type { PreferencesFormValues } from './preferences.forms.js';
import { FORMAT_CHOICES, MAX_DURATION_CHOICES } from './preferences.model.js';
import type { LearningPreferences } from './recommend.js';

export const PREFERENCES_PATH = '/learning/preferences';
export const MY_LEARNING_PATH = '/learning';

/** Saved preferences as the form's values. */
export const formValuesOf = (p: LearningPreferences): PreferencesFormValues => ({
  formats: [...p.formats],
  maxDurationMinutes: p.maxDurationMinutes === null ? '' : String(p.maxDurationMinutes),
  freeOnly: p.freeOnly,
});

export function preferencesPage(values: PreferencesFormValues, errors: FieldError[] = []) {
  return {
    pageTitle: 'Your learning preferences',
    errorSummaryArgs: errorSummaryArgs(errors),
    action: PREFERENCES_PATH,
    backHref: MY_LEARNING_PATH,
    breadcrumbArgs: [{ text: 'My learning', href: MY_LEARNING_PATH }],
    formatsArgs: {
      idPrefix: 'formats',
      name: 'formats',
      fieldset: {
        legend: { text: 'Which formats do you prefer?', classes: 'nhsuk-fieldset__legend--s' },
      },
      hint: {
        text: 'Choose any that suit you. These come first in your suggestions, but others are still shown. Choose none if you have no preference.',
      },
      items: FORMAT_CHOICES.map((f) => ({
        value: f.value,
        text: f.text,
        checked: values.formats.includes(f.value),
      })),
      errorMessage: errorMessageFor(errors, 'formats'),
    },
    maxDurationArgs: {
      id: 'maxDurationMinutes',
      name: 'maxDurationMinutes',
      label: {
        text: 'What is the longest one resource should take?',
        classes: 'nhsuk-label--s',
      },
      hint: {
        text: 'Longer resources are not suggested. Most resources do not say how long they take: those are still suggested, marked “length not stated”.',
      },
      items: [
        { value: '', text: 'Any length', selected: values.maxDurationMinutes === '' },
        ...MAX_DURATION_CHOICES.map((c) => ({
          value: String(c.minutes),
          text: c.text,
          selected: values.maxDurationMinutes === String(c.minutes),
        })),
      ],
      errorMessage: errorMessageFor(errors, 'maxDurationMinutes'),
    },
    freeOnlyArgs: {
      idPrefix: 'freeOnly',
      name: 'freeOnly',
      fieldset: {
        legend: { text: 'Cost', classes: 'nhsuk-fieldset__legend--s' },
      },
      items: [
        {
          value: 'yes',
          text: 'Only suggest free resources',
          hint: {
            text: 'Resources with a charge, or whose cost is not stated, are then left out.',
          },
          checked: values.freeOnly,
        },
      ],
    },
  };
}
