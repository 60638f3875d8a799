/**
 * Validated levels beside the person's own, on their results page, the shared view and the PDF.
 * The learning module keeps validations (a line manager or educator confirmed a level); this
 * module only says what it needs (ResultsValidations) and shows what it is given, the same way
 * as results.learning.ts, so that learning depends on assessment and never the reverse.
 *
 * A validated level is never averaged with, merged into or written over the person's own level:
 * the snapshot stays as submitted, and the validated level is shown in its own column, labelled.
 */
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

/** A level in one area confirmed by a line manager or educator (the latest one per area). */
export interface ResultsValidatedLevel {
  areaCode: string;
  level: number;
  validatorName: string;
  validatedAt: Date;
}

/** Where a person asks for validation and sees their requests (the learning module's page). */
export const VALIDATION_HREF = '/validation';

/** What the results routes need from whoever keeps validated levels (the learning module). */
export interface ResultsValidations {
  validatedLevels(personId: string): Promise<ResultsValidatedLevel[]>;
}

/** "Validated: level 3 by Morgan Reid, 12 March 2026": the same words wherever it is shown. */
export const validatedLevelText = (
  v: Pick<ResultsValidatedLevel, 'level' | 'validatorName' | 'validatedAt'>,
) =>
  `Validated: level ${String(v.level)} by ${v.validatorName}, ${dateFormat.format(v.validatedAt)}`;

/** Validated levels by area code (the latest per area), for the presenters. */
export const validatedByArea = (
  levels: readonly ResultsValidatedLevel[] | undefined,
): ReadonlyMap<string, ResultsValidatedLevel> =>
  new Map((levels ?? []).map((v) => [v.areaCode, v]));
