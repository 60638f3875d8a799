/**
 * A person's own submitted assessment as data they can take away: JSON (everything, nested) and
 * CSV (one row per area result and per answer, for a spreadsheet). Pure: built from the results
 * snapshot, the stored answers and the statements of the framework version the assessment used.
 *
 * An area the person answered entirely "not relevant to my role" has no level: the engine's
 * level 0 ("below level 1") in the snapshot is not exported as a level, and the area is not a
 * gap, exactly as the results page shows it (results.presenter.ts: areaStatus, prioritisedGaps).
 * In JSON its `level` and `shortfall` are null, `notRelevant` is true and `status` is
 * "not-relevant"; in CSV its "Your level" is empty and "Not relevant to your role" says "Yes".
 * (Version 1 of the JSON format exported the snapshot's areas as they were: level 0, and the
 * `notRelevant` count that is now `notRelevantAnswers`.)
 *
 * Validated levels (a line manager or educator confirmed a level; results.validated.ts) are
 * exported beside the person's own, never merged into it: in JSON each area's `validated`, in CSV
 * the "Validated level", "Validated by" and "Validated on" columns. They are the latest per area
 * when the file is made, not as they were when the assessment was submitted. If they could not be
 * read, the file says so (JSON `validatedLevels: "unavailable"`; CSV "Not available" in each area
 * row's "Validated level") rather than looking as if none were confirmed. (Version 2 of the JSON
 * format had no validated levels.)
 *
 * CSV cells that a spreadsheet would read as a formula (starting =, +, -, @, tab or carriage
 * return) are prefixed with an apostrophe (OWASP's advice on CSV injection; platform/csv.ts), so a
 * statement or name can never run as one when the file is opened.
 */
import { stringify } from 'csv-stringify/sync';
import { csvSafe } from '../../platform/csv.js';
import type { FrameworkModel } from '../framework/index.js';
import type { AreaResult, AssessmentResults } from './assessment.model.js';
import { answerOption, parseAnswerValue } from './engine/scale.js';
import type { AnswerRow } from './assessment.repository.js';
import {
  type ResultsValidatedLevel,
  validatedByArea,
  validatedOnText,
} from './results.validated.js';
import {
  type AreaStatus,
  areaStatus,
  isNotRelevant,
  prioritisedGaps,
  statusWords,
} from './results.presenter.js';

export interface ExportedAnswer {
  statementId: string;
  areaCode: string | null;
  areaName: string | null;
  statementLevel: number | null;
  statementText: string | null;
  /** As stored: '0'–'3' or 'not-relevant'. */
  answer: string;
  answerLabel: string;
  answeredAt: string;
  updatedAt: string;
}

/** One area's result in the JSON export. */
export interface ExportedAreaResult {
  areaCode: string;
  areaName: string;
  domainCode: string;
  domainName: string;
  /** 0 (below level 1) to 4; null for an area answered entirely "not relevant to my role". */
  level: number | null;
  /** True for an area answered entirely "not relevant to my role": it has no level and no gap. */
  notRelevant: boolean;
  /** How the area compares with its target. */
  status: AreaStatus;
  /** Highest target among the archetypes chosen; 0 when none expects this area. */
  targetLevel: number;
  /** Levels below target (0 at or above it); null for an area "not relevant to my role". */
  shortfall: number | null;
  /** Statements answered in this area, "not relevant" ones excluded. */
  answered: number;
  /** Statements answered "not relevant to my role". */
  notRelevantAnswers: number;
  /** Statements the area has for the archetypes chosen (its breadth). */
  poolSize: number;
  /**
   * The latest level a line manager or educator confirmed in this area, beside `level` (never
   * merged into it); null when none was, or when they could not be read (`validatedLevels`).
   */
  validated: ExportedValidation | null;
}

/** A level confirmed by a line manager or educator, as exported. */
export interface ExportedValidation {
  level: number;
  /** The name of the line manager or educator who confirmed it. */
  validatedBy: string;
  /** When they confirmed it (ISO 8601). */
  validatedOn: string;
}

/** A validated level in the shape every export gives it (the portfolio's too). */
export const exportedValidation = (v: ResultsValidatedLevel): ExportedValidation => ({
  level: v.level,
  validatedBy: v.validatorName,
  validatedOn: v.validatedAt.toISOString(),
});

/** The results in the JSON export: the snapshot's, with each area as ExportedAreaResult. */
export interface ExportedResults extends Omit<AssessmentResults, 'areas'> {
  /** In framework order. */
  areas: ExportedAreaResult[];
  /** Area codes below target, most urgent first; never an area "not relevant to my role". */
  gaps: string[];
}

export function exportedAreaResult(
  area: AreaResult,
  validated?: ResultsValidatedLevel,
): ExportedAreaResult {
  const notRelevant = isNotRelevant(area);
  return {
    areaCode: area.areaCode,
    areaName: area.areaName,
    domainCode: area.domainCode,
    domainName: area.domainName,
    level: notRelevant ? null : area.level,
    notRelevant,
    status: areaStatus(area),
    targetLevel: area.targetLevel,
    shortfall: notRelevant ? null : area.shortfall,
    answered: area.answered,
    notRelevantAnswers: area.notRelevant,
    poolSize: area.poolSize,
    validated: validated ? exportedValidation(validated) : null,
  };
}

/** The snapshot as exported: areas with "not relevant" made explicit, gaps as the page has them. */
export function exportedResults(
  results: AssessmentResults,
  validated: ReadonlyMap<string, ResultsValidatedLevel> = new Map(),
): ExportedResults {
  return {
    ...results,
    areas: results.areas.map((a) => exportedAreaResult(a, validated.get(a.areaCode))),
    gaps: prioritisedGaps(results).map((g) => g.areaCode),
  };
}

export interface AssessmentExport {
  format: 'digicap assessment export, version 3';
  exportedAt: string;
  assessment: {
    id: string;
    submittedAt: string;
    mode: string;
    archetypeCodes: string[];
    framework: { slug: string; title: string; version: number };
  };
  person: { name: string };
  /**
   * Whether the areas' `validated` levels are in this file: "unavailable" when they could not be
   * read as it was made, so a null `validated` then does not mean that none was confirmed.
   */
  validatedLevels: 'included' | 'unavailable';
  answers: ExportedAnswer[];
  results: ExportedResults;
}

/**
 * Stored answers with their statements (area, level, text) and answer labels, in framework
 * order. Area names come from the snapshot when there is one, otherwise from the framework.
 */
export function exportedAnswers(
  rows: readonly AnswerRow[],
  model: FrameworkModel | undefined,
  results?: AssessmentResults,
): ExportedAnswer[] {
  const areaNames = new Map(results?.areas.map((a) => [a.areaCode, a.areaName]));
  const answers = rows.map((row): ExportedAnswer => {
    const statement = model?.statementsById.get(row.statementId);
    const value = parseAnswerValue(row.value);
    const areaCode = statement?.areaCode ?? null;
    return {
      statementId: row.statementId,
      areaCode,
      areaName: areaCode
        ? (areaNames.get(areaCode) ?? model?.nodesByCode.get(areaCode)?.name ?? null)
        : null,
      statementLevel: statement?.level ?? null,
      statementText: statement?.text ?? null,
      answer: row.value,
      answerLabel: value === undefined ? row.value : answerOption(value).label,
      answeredAt: row.answeredAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  });
  // Framework order (the order of the statements in the version), then by id.
  const order = new Map(model?.data.statements.map((s, i) => [s.id, i]));
  const position = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  return answers.sort(
    (a, b) =>
      position(a.statementId) - position(b.statementId) ||
      a.statementId.localeCompare(b.statementId),
  );
}

export function buildAssessmentExport(input: {
  assessmentId: string;
  ownerName: string;
  results: AssessmentResults;
  answers: readonly AnswerRow[];
  /** The framework version the assessment used, for statement texts; undefined if gone. */
  model: FrameworkModel | undefined;
  /** The person's validated levels (latest per area); undefined when they could not be read. */
  validated: readonly ResultsValidatedLevel[] | undefined;
  now: Date;
}): AssessmentExport {
  const { results, model } = input;
  const answers = exportedAnswers(input.answers, model, results);
  return {
    format: 'digicap assessment export, version 3',
    exportedAt: input.now.toISOString(),
    assessment: {
      id: input.assessmentId,
      submittedAt: results.submittedAt,
      mode: results.mode,
      archetypeCodes: results.archetypeCodes,
      framework: {
        slug: results.frameworkSlug,
        title: results.frameworkTitle,
        version: results.frameworkVersion,
      },
    },
    person: { name: input.ownerName },
    validatedLevels: input.validated ? 'included' : 'unavailable',
    answers,
    results: exportedResults(results, validatedByArea(input.validated)),
  };
}

/**
 * The CSV's columns. "Record" says what a row is: "Area result" rows fill the area columns up to
 * "Compared with target" and "Not relevant to your role"; "Answer" rows fill the area's code,
 * name and domain and the statement and answer columns. "Your level" is 0 (below level 1) to 4,
 * empty for an area answered entirely "not relevant to my role", which "Not relevant to your
 * role" marks "Yes" ("No" for every other area). "Validated level", "Validated by" and "Validated
 * on" (area rows only) give the latest level a line manager or educator confirmed in the area,
 * beside "Your level" and never merged into it: empty when none was, "Not available" in
 * "Validated level" when they could not be read. New columns go at the end.
 */
export const CSV_COLUMNS = [
  'Record',
  'Area code',
  'Area',
  'Domain',
  'Your level',
  'Target level',
  'Compared with target',
  'Statement ID',
  'Statement level',
  'Statement',
  'Answer',
  'Answer value',
  'Not relevant to your role',
  'Validated level',
  'Validated by',
  'Validated on',
] as const;

/**
 * The export as CSV (UTF-8 with a byte-order mark, so Excel reads accents and dashes): first a
 * row per area with its level and target, then a row per answer.
 */
export function assessmentCsv(data: AssessmentExport): string {
  const domainNames = new Map(data.results.areas.map((a) => [a.areaCode, a.domainName]));
  const rows: (string | number | null)[][] = [
    ...data.results.areas.map((a) => [
      'Area result',
      a.areaCode,
      a.areaName,
      a.domainName,
      a.level,
      a.targetLevel,
      statusWords(a.status, a.shortfall ?? 0),
      null,
      null,
      null,
      null,
      null,
      a.notRelevant ? 'Yes' : 'No',
      a.validated?.level ?? (data.validatedLevels === 'unavailable' ? 'Not available' : null),
      a.validated?.validatedBy ?? null,
      a.validated ? validatedOnText(new Date(a.validated.validatedOn)) : null,
    ]),
    ...data.answers.map((a) => [
      'Answer',
      a.areaCode,
      a.areaName,
      a.areaCode ? (domainNames.get(a.areaCode) ?? null) : null,
      null,
      null,
      null,
      a.statementId,
      a.statementLevel,
      a.statementText,
      a.answerLabel,
      a.answer,
      null,
      null,
      null,
      null,
    ]),
  ];
  const body = stringify([[...CSV_COLUMNS], ...rows.map((r) => r.map(csvSafe))], {
    record_delimiter: 'windows',
  });
  return `\uFEFF${body}`;
}
