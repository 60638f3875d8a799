/**
 * Validated levels beside the person's own, on their results page, the shared view, the PDF, the
 * CSV and JSON exports and the comparison of two assessments. The learning module keeps
 * validations (a line manager or educator confirmed a level); this module only says what it needs
 * (ResultsValidations) and shows what it is given, the same way as results.learning.ts, so that
 * learning depends on assessment and never the reverse.
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

/** "12 March 2026" (UK time): the date a level was validated, as every page and file words it. */
export const validatedOnText = (validatedAt: Date) => dateFormat.format(validatedAt);

/** "Validated: level 3 by Morgan Reid, 12 March 2026": the same words wherever it is shown. */
export const validatedLevelText = (
  v: Pick<ResultsValidatedLevel, 'level' | 'validatorName' | 'validatedAt'>,
) => `Validated: level ${String(v.level)} by ${v.validatorName}, ${validatedOnText(v.validatedAt)}`;

/** A validated-level table cell's text: the level with who and when, or "Not validated". */
export const validatedCellText = (
  v: Pick<ResultsValidatedLevel, 'level' | 'validatorName' | 'validatedAt'> | undefined,
): string => (v ? validatedLevelText(v) : 'Not validated');

/**
 * Validated levels by area code (the latest per area), for the presenters; with `onlyAreas`, only
 * those areas' (validations of areas a page does not show are left out).
 */
export function validatedByArea(
  levels: readonly ResultsValidatedLevel[] | undefined,
  onlyAreas?: Iterable<string>,
): ReadonlyMap<string, ResultsValidatedLevel> {
  const keep = onlyAreas && new Set(onlyAreas);
  return new Map(
    (levels ?? []).filter((v) => !keep || keep.has(v.areaCode)).map((v) => [v.areaCode, v]),
  );
}
