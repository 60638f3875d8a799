/**
 * The answer scale people use for each capability statement, worded by digicap, and the one
 * definition of "meets a statement" that the adaptive engine, full mode and results all share.
 * Pure: no I/O.
 */

/** A rating of one statement, or 'not-relevant' ("not relevant to my role"). */
export type RatingValue = 0 | 1 | 2 | 3;
export type AnswerValue = RatingValue | 'not-relevant';

export const RATING_VALUES: readonly RatingValue[] = [0, 1, 2, 3];
export const NOT_RELEVANT = 'not-relevant' as const;
/** Every answer value, in the order the answer page shows them. */
export const ANSWER_VALUES: readonly AnswerValue[] = [...RATING_VALUES, NOT_RELEVANT];

export interface AnswerOption {
  value: AnswerValue;
  /** The form value and the text stored in assessment_answers.value. */
  formValue: string;
  label: string;
  hint: string;
}

/** Labels and hints, in display order (for radios on the answer page). */
export const ANSWER_OPTIONS: readonly AnswerOption[] = [
  {
    value: 0,
    formValue: '0',
    label: "I can't do this yet",
    hint: 'This is new to me, or I have not done it.',
  },
  {
    value: 1,
    formValue: '1',
    label: "I'm starting to, or I could with help",
    hint: 'I have some understanding or experience, but I would want support.',
  },
  {
    value: 2,
    formValue: '2',
    label: 'I can do this on my own',
    hint: 'I am confident doing this in my everyday work without help.',
  },
  {
    value: 3,
    formValue: '3',
    label: 'I could lead or teach this',
    hint: 'I could show others how, or take the lead on it.',
  },
  {
    value: NOT_RELEVANT,
    formValue: NOT_RELEVANT,
    label: 'Not relevant to my role',
    hint: 'This does not apply to the work I do.',
  },
];

/**
 * A person meets a statement when they can do it on their own (2) or could lead or teach it
 * (3). "Not relevant" neither meets nor fails a statement: it is left out of the count.
 */
export const MEETS_FROM: RatingValue = 2;

export function isAnswerValue(value: unknown): value is AnswerValue {
  return value === NOT_RELEVANT || value === 0 || value === 1 || value === 2 || value === 3;
}

export function isRating(value: AnswerValue): value is RatingValue {
  return value !== NOT_RELEVANT;
}

/** True when the answer meets the statement (see MEETS_FROM). */
export function meetsStatement(value: AnswerValue): boolean {
  return value !== NOT_RELEVANT && value >= MEETS_FROM;
}

/**
 * A form or database value ('0'–'3' or 'not-relevant', surrounding spaces allowed) → the answer,
 * or undefined when it is anything else ('2.0', '02', '' and '4' included).
 */
export function parseAnswerValue(input: string): AnswerValue | undefined {
  const text = input.trim();
  return ANSWER_OPTIONS.find((o) => o.formValue === text)?.value;
}

/** The form/database text for an answer (the inverse of parseAnswerValue). */
export function formatAnswerValue(value: AnswerValue): string {
  return String(value);
}

export function answerOption(value: AnswerValue): AnswerOption {
  const option = ANSWER_OPTIONS.find((o) => o.value === value);
  if (!option) throw new Error(`unknown answer value ${String(value)}`);
  return option;
}
