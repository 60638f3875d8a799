/**
 * CSV helpers shared by every export and import.
 *
 * Exports: cells that a spreadsheet would read as a formula (starting =, +, -, @, tab or carriage
 * return) are prefixed with an apostrophe (OWASP's advice on CSV injection), so that text from
 * people can never run as a formula when the file is opened. `csvUnsafe` undoes exactly that on
 * import, so that a file exported and imported again comes back unchanged.
 *
 * Imports: `readCsvRecords` cuts text into records with the physical line each starts on (as a
 * spreadsheet or text editor numbers them), so that problems can be reported by line. A record
 * ends at a line break outside double quotes; each record is parsed by csv-parse on its own, so
 * one broken record is reported and reading carries on at the next line instead of stopping.
 */
import { CsvError, parse } from 'csv-parse/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell made safe for spreadsheets: formula-like text gets a leading apostrophe. */
export function csvSafe(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The inverse of csvSafe for an imported cell: "'=SUM(…)" → "=SUM(…)"; anything else as it is. */
export function csvUnsafe(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

export interface CsvRecord {
  /** The physical line (from 1) the record starts on. */
  line: number;
  fields: string[];
}

export interface CsvReadProblem {
  line: number;
  message: string;
}

const quoteCount = (text: string) => text.split('"').length - 1;
const isBlankRecord = (text: string) => /^[\s,]*$/.test(text);

function csvErrorMessage(error: unknown): string {
  const code = error instanceof CsvError ? error.code : undefined;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'A double quote (") opens a value but nothing closes it. Put a closing quote at the end of the value';
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'A double quote (") is in the wrong place. Put the whole value in double quotes, and write a quote inside it as two quotes ("")';
    default:
      return 'This line could not be read as CSV';
  }
}

/**
 * Text → records with their first line numbers, skipping blank lines (and lines of only commas).
 * A byte-order mark is ignored; line ends may be LF, CRLF or CR. Lines that are not CSV are
 * reported in `problems` and skipped.
 */
export function readCsvRecords(text: string): { records: CsvRecord[]; problems: CsvReadProblem[] } {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const records: CsvRecord[] = [];
  const problems: CsvReadProblem[] = [];
  let i = 0;
  while (i < lines.length) {
    // Join lines while a quoted value is open.
    let end = i;
    let recordText = lines[i] ?? '';
    let quotes = quoteCount(recordText);
    while (quotes % 2 === 1 && end + 1 < lines.length) {
      end += 1;
      const next = lines[end] ?? '';
      recordText += `\n${next}`;
      quotes += quoteCount(next);
    }
    if (isBlankRecord(recordText)) {
      i = end + 1;
      continue;
    }
    try {
      const parsed = parse(recordText, { relax_column_count: true, skip_empty_lines: false });
      records.push({ line: i + 1, fields: parsed[0] ?? [] });
      i = end + 1;
    } catch (error) {
      const message =
        quotes % 2 === 1
          ? csvErrorMessage(new CsvError('CSV_QUOTE_NOT_CLOSED', ''))
          : csvErrorMessage(error);
      problems.push({ line: i + 1, message });
      // Resume on the next line: a stray quote must not swallow the rest of the file.
      i += 1;
    }
  }
  return { records, problems };
}

/**
 * Bytes of an uploaded file → text. Only UTF-8 is accepted (Excel: "CSV UTF-8"), because other
 * encodings would silently garble accents and dashes.
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A header row read by `readCsvHeader`: where each column is, and the unnamed ones. */
export interface CsvHeader<C extends string> {
  columns: Map<C, number>;
  /** Columns with no name in the header row: they must stay empty. */
  unnamed: number[];
  /** How many cells the header row has. */
  width: number;
}

/**
 * Checks a data record against its file's header row, adding a problem for the record's line
 * when it has a different number of values (then false: nothing else on the line can be read),
 * and one for each column with no name in the header that has a value on this line.
 */
export function checkRecordShape(
  record: CsvRecord,
  header: Pick<CsvHeader<string>, 'unnamed' | 'width'>,
  problems: { line?: number; message: string }[],
): boolean {
  const { line, fields } = record;
  if (fields.length !== header.width) {
    problems.push({
      line,
      message: `This line has ${String(fields.length)} values but the header row has ${String(header.width)} columns. Put any value that contains a comma in double quotes`,
    });
    return false;
  }
  for (const index of header.unnamed) {
    if ((fields[index] ?? '').trim())
      problems.push({
        line,
        message: `Column ${String(index + 1)} has a value but no name in the header row. Name the column or remove the value`,
      });
  }
  return true;
}

/**
 * Reads an import's header row: each cell names one of `columns` (as `known` says, so files may
 * spell them their own way), none twice, and every `required` one is there. Problems name the
 * line (and the column when there is one) and list the columns; undefined when there are any,
 * or when the file has no first record.
 */
export function readCsvHeader<C extends string>(
  /** The file's first record; undefined when it has none (an empty file, unless `problems`). */
  record: CsvRecord | undefined,
  problems: { line?: number; column?: C; message: string }[],
  options: {
    /** What the file holds, for messages: "roster", "catalogue". */
    noun: string;
    columns: readonly C[];
    required: readonly C[];
    known: (cell: string) => C | undefined;
  },
): CsvHeader<C> | undefined {
  if (!record) {
    if (problems.length === 0)
      problems.push({
        message: `The file is empty. The first line must name the columns: ${options.columns.join(', ')}`,
      });
    return undefined;
  }
  const { line } = record;
  const columns = new Map<C, number>();
  const unnamed: number[] = [];
  const cells = record.fields.map((c) => c.trim());
  const list = options.columns.join(', ');
  if (cells.length === 1 && (cells[0] ?? '').includes(';')) {
    problems.push({
      line,
      message:
        'Values are separated by semicolons. Save the file as CSV with commas between values ("CSV UTF-8 (Comma delimited)" in Excel)',
    });
    return undefined;
  }
  if (!cells.some((cell) => options.known(cell))) {
    problems.push({
      line,
      message: `The first line must be a header row naming the columns: ${list}`,
    });
    return undefined;
  }
  const before = problems.length;
  cells.forEach((cell, index) => {
    const column = options.known(cell);
    if (!cell) unnamed.push(index);
    else if (!column)
      problems.push({
        line,
        message: `"${cell}" is not a ${options.noun} column. The columns are: ${list}`,
      });
    else if (columns.has(column))
      problems.push({ line, column, message: `The header row names the ${column} column twice` });
    else columns.set(column, index);
  });
  for (const column of options.required) {
    if (!columns.has(column))
      problems.push({
        line,
        message: `The header row has no ${column} column. The columns are: ${list}`,
      });
  }
  return problems.length === before ? { columns, unnamed, width: cells.length } : undefined;
}
