/**
 * A person's own submitted assessment as data they can take away: JSON (everything, nested) and
 * CSV (one row per area result and per answer, for a spreadsheet). Pure: built from the results
 * snapshot, the stored answers and the statements of the framework version the assessment used.
 *
 * CSV cells that a spreadsheet would read as a formula (starting =, +, -, @, tab or carriage
 * return) are prefixed with an apostrophe (OWASP's advice on CSV injection), so a statement or
 * name can never run as one when the file is opened.
 */
import { stringify } from 'csv-stringify/sync';
import type { FrameworkModel } from '../framework/index.js';
import type { AssessmentResults } from './assessment.model.js';
import { answerOption, parseAnswerValue } from './engine/scale.js';
import type { AnswerRow } from './assessment.repository.js';
import { statusText } from './results.presenter.js';

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

export interface AssessmentExport {
  format: 'digicap assessment export, version 1';
  exportedAt: string;
  assessment: {
    id: string;
    submittedAt: string;
    mode: string;
    archetypeCodes: string[];
    framework: { slug: string; title: string; version: number };
  };
  person: { name: string };
  answers: ExportedAnswer[];
  results: AssessmentResults;
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
  now: Date;
}): AssessmentExport {
  const { results, model } = input;
  const answers = exportedAnswers(input.answers, model, results);
  return {
    format: 'digicap assessment export, version 1',
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
    answers,
    results,
  };
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell made safe for spreadsheets: formula-like text gets a leading apostrophe. */
export function csvSafe(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

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
      statusText(a),
      null,
      null,
      null,
      null,
      null,
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
    ]),
  ];
  const body = stringify([[...CSV_COLUMNS], ...rows.map((r) => r.map(csvSafe))], {
    record_delimiter: 'windows',
  });
  return `\uFEFF${body}`;
}
