/**
 * The choices on the preferences form: formats from the catalogue's list, and the same time
 * limits the catalogue's "How long do you have?" filter offers. Pure. A preference outside these
 * is refused (by the form and by the service).
 */
import { FORMAT_LABELS, RESOURCE_FORMATS } from './catalogue.model.js';
import { DURATION_CHOICES } from './catalogue.presenter.js';
import type { LearningPreferences } from './recommend.js';

export const FORMAT_CHOICES = RESOURCE_FORMATS.map((format) => ({
  value: format,
  text: FORMAT_LABELS[format],
}));

/** The maximum lengths offered, in minutes, with their words ("Up to 1 hour"). */
export const MAX_DURATION_CHOICES: readonly { minutes: number; text: string }[] = DURATION_CHOICES;

export const isFormatChoice = (value: string) =>
  (RESOURCE_FORMATS as readonly string[]).includes(value);

export const isDurationChoice = (value: number) =>
  MAX_DURATION_CHOICES.some((c) => c.minutes === value);

/** Problems with preferences (a field and what is wrong), empty when they are fine. */
export function preferencesProblems(p: LearningPreferences): { field: string; text: string }[] {
  const problems: { field: string; text: string }[] = [];
  if (!p.formats.every(isFormatChoice))
    problems.push({ field: 'formats', text: 'Choose formats from the list' });
  if (p.maxDurationMinutes !== null && !isDurationChoice(p.maxDurationMinutes))
    problems.push({ field: 'maxDurationMinutes', text: 'Choose a length from the list' });
  return problems;
}

/** Formats in the catalogue's order, once each (unknown ones dropped). */
export const orderedFormats = (formats: readonly string[]): string[] =>
  RESOURCE_FORMATS.filter((f) => formats.includes(f));
