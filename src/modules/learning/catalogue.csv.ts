/**
 * Catalogue CSV files: the bundled starter catalogue (content/learning/learning-resources.csv)
 * and the files educators and admins import and export, in the same columns. Pure: text in,
 * rows or every problem out, each problem with the physical line of the file it is on and its
 * column ("Line 7: … (column: areas)"), so that whoever fixes the file can do it in one pass.
 *
 * Columns, as in content/learning/learning-resources.md (levels, areas, archetypes and statement
 * ids are separated by vertical bars, "1|2"):
 *   id, title, provider, url, format, duration_minutes, cost, levels, areas, archetypes, summary,
 *   source_seen
 * and, after them, optional extra columns:
 *   review_date    YYYY-MM-DD, when the entry should next be checked (blank: none);
 *   statement_ids  specific framework statements it addresses ("6.3-2-01|6.3-2-02");
 *   curated_by     who curated it, as shown to learners;
 *   retired        "yes" to retire it, "no" (or blank) to keep it in the catalogue.
 * `duration_minutes`, `source_seen` and the extra columns may be left out of a file; an import
 * without an extra column leaves that part of existing entries as it is. `source_seen` (where
 * the bundled entries were found) is read for the bundled file's sake but not stored.
 *
 * The field rules live here once (`checkResourceFields`) and the add and edit forms use them too.
 */
import { stringify } from 'csv-stringify/sync';
import {
  checkRecordShape,
  csvSafe,
  csvUnsafe,
  readCsvHeader,
  readCsvRecords,
} from '../../platform/csv.js';
import { ARCHETYPE_CODES } from '../framework/index.js';
import {
  isResourceCost,
  isResourceFormat,
  MAX_SUMMARY,
  RESOURCE_FORMATS,
  type Resource,
  type ResourceFields,
} from './catalogue.model.js';

export const CATALOGUE_MAX_ROWS = 5_000;
export const CATALOGUE_MAX_BYTES = 2 * 1024 * 1024;

/** The bundled file's columns, in its order. */
export const BUNDLED_COLUMNS = [
  'id',
  'title',
  'provider',
  'url',
  'format',
  'duration_minutes',
  'cost',
  'levels',
  'areas',
  'archetypes',
  'summary',
  'source_seen',
] as const;

/** Optional columns after the bundled ones. */
export const EXTRA_COLUMNS = ['review_date', 'statement_ids', 'curated_by', 'retired'] as const;

export const CATALOGUE_COLUMNS = [...BUNDLED_COLUMNS, ...EXTRA_COLUMNS] as const;
export type CatalogueColumn = (typeof CATALOGUE_COLUMNS)[number];

const REQUIRED_COLUMNS: readonly CatalogueColumn[] = [
  'id',
  'title',
  'provider',
  'url',
  'format',
  'cost',
  'levels',
  'areas',
  'archetypes',
  'summary',
];

export const MAX_SLUG = 100;
export const MAX_TITLE = 300;
export const MAX_PROVIDER = 200;
export const MAX_URL = 2_000;
export const MAX_CURATED_BY = 200;
export const MAX_DURATION = 100_000;
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LIST_SEPARATOR = '|';

/** What the checks need from the framework (its latest version). */
export interface CatalogueVocabulary {
  /** Area codes in framework order. */
  areaCodes: readonly string[];
  /** Statement id → its area code. */
  statementAreas: ReadonlyMap<string, string>;
}

export interface CatalogueProblem {
  /** Physical line in the file; absent for problems with the file as a whole. */
  line?: number;
  column?: CatalogueColumn;
  message: string;
}

export interface CatalogueRow {
  line: number;
  fields: ResourceFields;
}

export type CatalogueParseResult =
  | { ok: true; rows: CatalogueRow[]; columns: ReadonlySet<CatalogueColumn> }
  | { ok: false; problems: CatalogueProblem[] };

/** "Line 7: "9.9" is not an area of the framework … (column: areas)" */
export function describeProblem(problem: CatalogueProblem): string {
  const where = problem.line === undefined ? '' : `Line ${String(problem.line)}: `;
  const column = problem.column ? ` (column: ${problem.column})` : '';
  return `${where}${problem.message}${column}`;
}

/** Sorts problems by line, file-wide problems first; keeps the order of a line's problems. */
function sortProblems(problems: readonly CatalogueProblem[]): CatalogueProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

// --- One resource's fields ------------------------------------------------------------------

/** A resource's fields as text, before checking (lists already split into their parts). */
export interface RawResourceFields {
  id: string;
  title: string;
  provider: string;
  url: string;
  format: string;
  durationMinutes: string;
  cost: string;
  levels: readonly string[];
  areas: readonly string[];
  archetypes: readonly string[];
  summary: string;
  /** undefined: the column is not in the file (or the form has no such field). */
  sourceSeen?: string | undefined;
  reviewDate?: string | undefined;
  statementIds?: readonly string[] | undefined;
  curatedBy?: string | undefined;
  retired?: string | undefined;
}

/**
 * 'csv' messages say how to write a value in a file; 'form' messages say what to choose on the
 * page, and an empty id is allowed there (the service makes one from the title).
 */
export type CheckStyle = 'csv' | 'form';

export interface FieldProblem {
  column: CatalogueColumn;
  message: string;
}

const quoted = (values: readonly string[]) =>
  values.map((v) => `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`).join(', ');
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** An http or https address with a host name, and nothing else. */
export function isWebAddress(text: string): boolean {
  if (!/^https?:\/\//i.test(text) || /\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.hostname.includes('.') &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return (
    y >= 2000 &&
    y <= 2200 &&
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === m - 1 &&
    date.getUTCDate() === d
  );
}

const uniqueInOrder = <T>(values: readonly T[], order: readonly T[]) => {
  const set = new Set(values);
  return order.filter((v) => set.has(v));
};

/**
 * Checks one resource's fields and returns them typed, or every problem. Lists are de-duplicated
 * and put in a canonical order (levels ascending, areas in framework order, archetypes S D C E
 * U), so the same content always compares equal.
 */
export function checkResourceFields(
  raw: RawResourceFields,
  vocabulary: CatalogueVocabulary,
  style: CheckStyle,
): { fields?: ResourceFields; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (column: CatalogueColumn, message: string) => problems.push({ column, message });
  const csv = style === 'csv';

  const slug = raw.id.trim();
  if (!slug) {
    if (csv)
      problem(
        'id',
        'Enter an id: a short name like nhs-ai-ethics (lower-case letters, numbers and dashes)',
      );
  } else if (slug.length > MAX_SLUG)
    problem('id', `The id must be ${String(MAX_SLUG)} characters or fewer`);
  else if (!SLUG_PATTERN.test(slug))
    problem(
      'id',
      `The id must be lower-case letters, numbers and single dashes, like nhs-ai-ethics (you gave ${quoted([slug])})`,
    );

  const title = oneLine(raw.title);
  if (!title) problem('title', 'Enter the title');
  else if (title.length > MAX_TITLE)
    problem('title', `The title must be ${String(MAX_TITLE)} characters or fewer`);

  const provider = oneLine(raw.provider);
  if (!provider) problem('provider', 'Enter the provider: who publishes or runs it');
  else if (provider.length > MAX_PROVIDER)
    problem('provider', `The provider must be ${String(MAX_PROVIDER)} characters or fewer`);

  const url = raw.url.trim();
  if (!url) problem('url', 'Enter the web address of the resource');
  else if (url.length > MAX_URL)
    problem('url', `The web address must be ${String(MAX_URL)} characters or fewer`);
  else if (!isWebAddress(url))
    problem(
      'url',
      'Enter a full web address starting with https:// or http://, like https://www.example.org/course',
    );

  const format = raw.format.trim().toLowerCase();
  if (!format)
    problem(
      'format',
      csv ? `Enter the format: one of ${RESOURCE_FORMATS.join(', ')}` : 'Select the format',
    );
  else if (!isResourceFormat(format))
    problem(
      'format',
      `${quoted([raw.format.trim()])} is not a format. Use one of: ${RESOURCE_FORMATS.join(', ')}`,
    );

  const durationText = raw.durationMinutes.trim();
  let durationMinutes: number | null = null;
  if (durationText) {
    if (!/^\d+$/.test(durationText))
      problem(
        'duration_minutes',
        csv
          ? 'The duration must be a whole number of minutes, like 45, or blank when not stated'
          : 'Enter the time it takes as a whole number of minutes, like 45, or leave it blank',
      );
    else {
      durationMinutes = Number(durationText);
      if (durationMinutes < 1 || durationMinutes > MAX_DURATION)
        problem(
          'duration_minutes',
          `The duration must be between 1 and ${MAX_DURATION.toLocaleString('en-GB')} minutes`,
        );
    }
  }

  const cost = raw.cost.trim().toLowerCase();
  if (!cost) problem('cost', csv ? 'Enter the cost: free, paid or unknown' : 'Select the cost');
  else if (!isResourceCost(cost))
    problem('cost', `${quoted([raw.cost.trim()])} is not a cost. Use free, paid or unknown`);

  const levelParts = raw.levels.map((v) => v.trim()).filter(Boolean);
  const badLevels = levelParts.filter((v) => !/^[1-4]$/.test(v));
  if (levelParts.length === 0)
    problem(
      'levels',
      csv
        ? 'Enter at least one level from 1 to 4, separated by | (like 1|2)'
        : 'Select at least one level',
    );
  else if (badLevels.length > 0)
    problem('levels', `Levels must be 1, 2, 3 or 4 (you gave ${quoted(badLevels)})`);
  const levels = [...new Set(levelParts.map(Number))].sort((a, b) => a - b);

  const areaParts = raw.areas.map((v) => v.trim()).filter(Boolean);
  const knownAreas = new Set(vocabulary.areaCodes);
  const badAreas = areaParts.filter((v) => !knownAreas.has(v));
  if (areaParts.length === 0)
    problem(
      'areas',
      csv
        ? 'Enter at least one framework area code, separated by | (like 5.1.3|6.2)'
        : 'Select at least one area',
    );
  else if (badAreas.length > 0)
    problem(
      'areas',
      `${quoted(badAreas)} ${badAreas.length === 1 ? 'is not an area' : 'are not areas'} of the framework. The areas are: ${vocabulary.areaCodes.join(', ')}`,
    );
  const areaCodes = uniqueInOrder(areaParts, vocabulary.areaCodes);

  const archetypeParts = raw.archetypes.map((v) => v.trim().toUpperCase()).filter(Boolean);
  const badArchetypes = archetypeParts.filter(
    (v) => !(ARCHETYPE_CODES as readonly string[]).includes(v),
  );
  if (archetypeParts.length === 0)
    problem(
      'archetypes',
      csv
        ? 'Enter at least one archetype (S, D, C, E or U), separated by | (like S|U)'
        : 'Select at least one archetype',
    );
  else if (badArchetypes.length > 0)
    problem('archetypes', `Archetypes must be S, D, C, E or U (you gave ${quoted(badArchetypes)})`);
  const archetypeCodes = uniqueInOrder(archetypeParts, ARCHETYPE_CODES);

  const summary = raw.summary.trim();
  if (!summary) problem('summary', 'Enter a summary of the resource');
  else if (summary.length > MAX_SUMMARY)
    problem(
      'summary',
      `The summary must be ${String(MAX_SUMMARY)} characters or fewer (it has ${String(summary.length)})`,
    );

  const sourceSeen = raw.sourceSeen?.trim();
  if (sourceSeen && !isWebAddress(sourceSeen))
    problem(
      'source_seen',
      'Enter a full web address starting with https:// or http://, or leave it blank',
    );

  let reviewDate: string | null | undefined;
  if (raw.reviewDate !== undefined) {
    const text = raw.reviewDate.trim();
    reviewDate = text || null;
    if (text && !isIsoDate(text))
      problem(
        'review_date',
        csv
          ? 'The review date must be a real date written YYYY-MM-DD, like 2027-03-31, or blank'
          : 'Review date must be a real date',
      );
  }

  let statementIds: string[] | undefined;
  if (raw.statementIds !== undefined) {
    const parts = [...new Set(raw.statementIds.map((v) => v.trim()).filter(Boolean))];
    const unknown = parts.filter((id) => !vocabulary.statementAreas.has(id));
    const elsewhere = parts.filter((id) => {
      const area = vocabulary.statementAreas.get(id);
      return area !== undefined && areaParts.length > 0 && !areaParts.includes(area);
    });
    if (unknown.length > 0)
      problem(
        'statement_ids',
        `${quoted(unknown)} ${unknown.length === 1 ? 'is not a statement' : 'are not statements'} of the framework (statement ids look like 6.3-2-01)`,
      );
    else if (elsewhere.length > 0)
      problem(
        'statement_ids',
        `${elsewhere.map((id) => `${id} is in area ${vocabulary.statementAreas.get(id) ?? ''}`).join('; ')}: give only statements in the resource's areas, or add their areas`,
      );
    const order = [...vocabulary.statementAreas.keys()];
    statementIds = uniqueInOrder(parts, order);
  }

  let curatedBy: string | undefined;
  if (raw.curatedBy !== undefined) {
    curatedBy = oneLine(raw.curatedBy) || undefined;
    if (curatedBy && curatedBy.length > MAX_CURATED_BY)
      problem('curated_by', `Curated by must be ${String(MAX_CURATED_BY)} characters or fewer`);
  }

  let retired: boolean | undefined;
  if (raw.retired !== undefined) {
    const text = raw.retired.trim().toLowerCase();
    if (text === 'yes' || text === 'true') retired = true;
    else if (text === '' || text === 'no' || text === 'false') retired = false;
    else
      problem(
        'retired',
        `Write yes to retire the resource, or no or nothing to keep it (you gave ${quoted([raw.retired.trim()])})`,
      );
  }

  if (problems.length > 0) return { problems };
  return {
    problems,
    fields: {
      slug,
      title,
      provider,
      url,
      format: format as ResourceFields['format'],
      durationMinutes,
      cost: cost as ResourceFields['cost'],
      levels,
      areaCodes,
      archetypeCodes,
      summary,
      reviewDate,
      statementIds,
      curatedBy,
      retired,
    },
  };
}

// --- Whole files ----------------------------------------------------------------------------

const headerKey = (cell: string) =>
  cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** Catalogue columns as files spell them ("Duration minutes", "duration-minutes"…). */
function knownColumn(cell: string): CatalogueColumn | undefined {
  const key = headerKey(cell);
  return (CATALOGUE_COLUMNS as readonly string[]).includes(key)
    ? (key as CatalogueColumn)
    : undefined;
}

const splitList = (text: string) => text.split(LIST_SEPARATOR);

export interface CatalogueCsvOptions {
  maxRows?: number;
  maxBytes?: number;
}

/** A whole catalogue file → its rows, or every problem in it. */
export function parseCatalogueCsv(
  text: string,
  vocabulary: CatalogueVocabulary,
  options: CatalogueCsvOptions = {},
): CatalogueParseResult {
  const maxRows = options.maxRows ?? CATALOGUE_MAX_ROWS;
  const maxBytes = options.maxBytes ?? CATALOGUE_MAX_BYTES;
  if (Buffer.byteLength(text, 'utf8') > maxBytes)
    return {
      ok: false,
      problems: [
        {
          message: `The file must be smaller than ${(maxBytes / (1024 * 1024)).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB. Split it into smaller files`,
        },
      ],
    };
  const read = readCsvRecords(text);
  const problems: CatalogueProblem[] = [...read.problems];
  const [headerRecord, ...dataRecords] = read.records;
  const header = readCsvHeader(headerRecord, problems, {
    noun: 'catalogue',
    columns: CATALOGUE_COLUMNS,
    required: REQUIRED_COLUMNS,
    known: knownColumn,
  });
  if (!header) return { ok: false, problems: sortProblems(problems) };
  if (dataRecords.length === 0 && problems.length === 0)
    return {
      ok: false,
      problems: [
        { message: 'The file has a header row but no resources. Add a line for each resource' },
      ],
    };
  if (dataRecords.length > maxRows)
    return {
      ok: false,
      problems: [
        {
          message: `The file has ${dataRecords.length.toLocaleString('en-GB')} resources in it; the most one file can have is ${maxRows.toLocaleString('en-GB')}. Split it into smaller files`,
        },
      ],
    };

  const rows: CatalogueRow[] = [];
  const linesById = new Map<string, number[]>();
  const has = (column: CatalogueColumn) => header.columns.has(column);

  for (const record of dataRecords) {
    const { line } = record;
    if (!checkRecordShape(record, header, problems)) continue;
    const cell = (column: CatalogueColumn) => {
      const index = header.columns.get(column);
      return index === undefined ? '' : csvUnsafe(record.fields[index] ?? '');
    };
    const optional = (column: CatalogueColumn) => (has(column) ? cell(column) : undefined);
    const statementText = optional('statement_ids');
    const checked = checkResourceFields(
      {
        id: cell('id'),
        title: cell('title'),
        provider: cell('provider'),
        url: cell('url'),
        format: cell('format'),
        durationMinutes: cell('duration_minutes'),
        cost: cell('cost'),
        levels: splitList(cell('levels')),
        areas: splitList(cell('areas')),
        archetypes: splitList(cell('archetypes')),
        summary: cell('summary'),
        sourceSeen: optional('source_seen'),
        reviewDate: optional('review_date'),
        statementIds: statementText === undefined ? undefined : splitList(statementText),
        curatedBy: optional('curated_by'),
        retired: optional('retired'),
      },
      vocabulary,
      'csv',
    );
    for (const p of checked.problems) problems.push({ line, ...p });
    const id = cell('id').trim();
    if (id) linesById.set(id, [...(linesById.get(id) ?? []), line]);
    if (checked.fields) rows.push({ line, fields: checked.fields });
  }

  for (const [id, lines] of linesById) {
    if (lines.length < 2) continue;
    for (const line of lines) {
      const others = lines.filter((l) => l !== line).map(String);
      problems.push({
        line,
        column: 'id',
        message: `The id ${id} is also on line${others.length > 1 ? 's' : ''} ${others.join(', ')}. Each resource can be in the file once`,
      });
    }
  }

  return problems.length > 0
    ? { ok: false, problems: sortProblems(problems) }
    : { ok: true, rows, columns: new Set(header.columns.keys()) };
}

/**
 * Resources as a catalogue file in every column (UTF-8 with a byte-order mark, so Excel reads
 * accents and dashes; CRLF line ends), every cell safe from formula injection. `source_seen` is
 * not stored, so it is blank. Importing the file again changes nothing.
 */
export function catalogueCsv(resources: readonly Resource[]): string {
  const rows = resources.map((r) => [
    r.slug,
    r.title,
    r.provider,
    r.url,
    r.format,
    r.durationMinutes,
    r.cost,
    r.levels.join(LIST_SEPARATOR),
    r.areaCodes.join(LIST_SEPARATOR),
    r.archetypeCodes.join(LIST_SEPARATOR),
    r.summary,
    null,
    r.reviewDate,
    r.statementIds.join(LIST_SEPARATOR),
    r.curatedBy,
    r.retiredAt ? 'yes' : 'no',
  ]);
  const body = stringify([[...CATALOGUE_COLUMNS], ...rows.map((r) => r.map(csvSafe))], {
    record_delimiter: 'windows',
  });
  return `\uFEFF${body}`;
}
