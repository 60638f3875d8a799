/**
 * Roster files: a CSV of people to invite (email, name, profession, unit path, role). Pure: text
 * in, rows or every problem out, each problem with the line of the file it is on, so that the
 * upload page can say exactly what to fix and where.
 *
 * Line numbers are physical lines of the file as a spreadsheet or text editor shows them. To
 * keep them right, and to carry on after a broken line rather than stop at the first, the file
 * is cut into records here (a record ends at a line break outside double quotes) and each record
 * is parsed by csv-parse on its own. When a record that runs over several lines fails (usually a
 * quote that is never closed), its first line is reported and reading resumes on the next line,
 * so one stray quote cannot hide the rest of the file.
 *
 * Checks that need the organisation (unit names its rules allow) are the service's.
 */
import {
  checkRecordShape,
  type CsvRecord,
  decodeUtf8,
  readCsvHeader,
  readCsvRecords,
} from '../../platform/csv.js';
import { parseRole, type Role } from './roles.js';
import { parseUnitPath } from './unit-tree.js';

export const ROSTER_MAX_ROWS = 5_000;
export const ROSTER_MAX_BYTES = 2 * 1024 * 1024;

/** The columns of a roster file, as named in messages and on the upload page. */
export const ROSTER_COLUMNS = ['email', 'name', 'profession', 'unit path', 'role'] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

/** Header names accepted for each column, compared without case, spaces, dashes or underscores. */
const HEADER_ALIASES: Record<string, RosterColumn> = {
  email: 'email',
  emailaddress: 'email',
  name: 'name',
  fullname: 'name',
  displayname: 'name',
  profession: 'profession',
  unitpath: 'unit path',
  unit: 'unit path',
  role: 'role',
  roles: 'role',
};
const REQUIRED_COLUMNS: readonly RosterColumn[] = ['email', 'name'];

/** Several roles in one cell are separated by semicolons or vertical bars. */
const ROLE_SEPARATOR = /\s*[;|]\s*/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 200;
const MAX_UNIT_DEPTH = 10;

export interface RosterProblem {
  /** Physical line in the file; absent for problems with the file as a whole. */
  line?: number;
  column?: RosterColumn;
  message: string;
}

export interface RosterRow {
  line: number;
  /** Lower-cased and trimmed. */
  email: string;
  displayName: string;
  professionCode: string | null;
  /** Unit names from the top of the organisation down, or null when blank. */
  unitPath: string[] | null;
  roles: Role[];
}

export type RosterParseResult =
  { ok: true; rows: RosterRow[] } | { ok: false; problems: RosterProblem[] };

export interface RosterOptions {
  /** The framework's professions: a roster may give either the code or the name. */
  professions: readonly { code: string; name: string }[];
  maxRows?: number;
  maxBytes?: number;
}

/** "Line 7: Enter an email address … (column: email)" */
export function describeProblem(problem: RosterProblem): string {
  const where = problem.line === undefined ? '' : `Line ${String(problem.line)}: `;
  const column = problem.column ? ` (column: ${problem.column})` : '';
  return `${where}${problem.message}${column}`;
}

/** Sorts problems by line, file-wide problems first; keeps the order of a line's problems. */
export function sortProblems(problems: readonly RosterProblem[]): RosterProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * Bytes of an uploaded file → text. Only UTF-8 is accepted (Excel: "CSV UTF-8"), because other
 * encodings would silently garble names with accents.
 */
export function decodeRosterFile(
  bytes: Uint8Array,
  maxBytes = ROSTER_MAX_BYTES,
): { ok: true; text: string } | { ok: false; problems: RosterProblem[] } {
  if (bytes.byteLength === 0) return { ok: false, problems: [{ message: 'The file is empty' }] };
  if (bytes.byteLength > maxBytes) return { ok: false, problems: [tooBig(maxBytes)] };
  const text = decodeUtf8(bytes);
  if (text !== undefined) return { ok: true, text };
  return {
    ok: false,
    problems: [
      {
        message:
          'The file must be saved as UTF-8 text. In Excel, choose "Save as" and the type "CSV UTF-8 (Comma delimited)"',
      },
    ],
  };
}

const tooBig = (maxBytes: number): RosterProblem => ({
  message: `The file must be smaller than ${formatBytes(maxBytes)}. Split it into smaller files`,
});

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${String(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`
    : `${String(Math.round(bytes / 1024))} KB`;
}

/** Splits text into records with their first line numbers; reports lines that are not CSV. */
function readRecords(text: string, problems: RosterProblem[]): CsvRecord[] {
  const read = readCsvRecords(text);
  problems.push(...read.problems);
  return read.records;
}

const headerKey = (cell: string) => cell.toLowerCase().replace(/[\s_-]+/g, '');

function professionMatcher(professions: RosterOptions['professions']) {
  const byKey = new Map<string, string>();
  for (const p of professions) {
    byKey.set(p.code.trim().toLowerCase(), p.code);
    byKey.set(p.name.trim().toLowerCase().replace(/\s+/g, ' '), p.code);
  }
  return (text: string) => byKey.get(text.trim().toLowerCase().replace(/\s+/g, ' '));
}

export function parseRoster(text: string, options: RosterOptions): RosterParseResult {
  const maxRows = options.maxRows ?? ROSTER_MAX_ROWS;
  const maxBytes = options.maxBytes ?? ROSTER_MAX_BYTES;
  if (Buffer.byteLength(text, 'utf8') > maxBytes)
    return { ok: false, problems: [tooBig(maxBytes)] };

  const problems: RosterProblem[] = [];
  const records = readRecords(text, problems);
  const [headerRecord, ...dataRecords] = records;
  const header = readCsvHeader(headerRecord, problems, {
    noun: 'roster',
    columns: ROSTER_COLUMNS,
    required: REQUIRED_COLUMNS,
    known: (cell) => HEADER_ALIASES[headerKey(cell)],
  });
  if (!header) return { ok: false, problems: sortProblems(problems) };
  if (dataRecords.length === 0 && problems.length === 0) {
    return {
      ok: false,
      problems: [
        { message: 'The file has a header row but nobody in it. Add a line for each person' },
      ],
    };
  }
  if (dataRecords.length > maxRows) {
    return {
      ok: false,
      problems: [
        {
          message: `The file has ${dataRecords.length.toLocaleString('en-GB')} people in it; the most one file can have is ${maxRows.toLocaleString('en-GB')}. Split it into smaller files`,
        },
      ],
    };
  }

  const findProfession = professionMatcher(options.professions);
  const rows: RosterRow[] = [];
  const linesByEmail = new Map<string, number[]>();

  for (const record of dataRecords) {
    const { line } = record;
    const before = problems.length;
    if (!checkRecordShape(record, header, problems)) continue;
    const cell = (column: RosterColumn) => {
      const index = header.columns.get(column);
      return index === undefined ? '' : (record.fields[index] ?? '').trim();
    };
    const problem = (column: RosterColumn, message: string) =>
      problems.push({ line, column, message });

    const email = cell('email').toLowerCase();
    if (!email) problem('email', 'Enter an email address');
    else if (!EMAIL.test(email) || email.length > 320)
      problem('email', 'Enter an email address in the correct format, like name@example.com');
    else linesByEmail.set(email, [...(linesByEmail.get(email) ?? []), line]);

    const displayName = cell('name').replace(/\s+/g, ' ');
    if (!displayName) problem('name', "Enter the person's name");
    else if (displayName.length > MAX_NAME)
      problem('name', `The name must be ${String(MAX_NAME)} characters or fewer`);

    const professionText = cell('profession');
    let professionCode: string | null = null;
    if (professionText) {
      professionCode = findProfession(professionText) ?? null;
      if (!professionCode)
        problem(
          'profession',
          `"${professionText}" is not a profession we know. Use a profession from the list on the upload page, or leave it blank`,
        );
    }

    const unitText = cell('unit path');
    let unitPath: string[] | null = null;
    if (unitText) {
      const names = parseUnitPath(unitText);
      if (!names)
        problem(
          'unit path',
          `Write the unit path as unit names separated by ">", like "Medicine > Cardiology > Ward 5" ("${unitText}" has an empty part)`,
        );
      else if (names.length > MAX_UNIT_DEPTH)
        problem('unit path', `A unit path can have at most ${String(MAX_UNIT_DEPTH)} levels`);
      else unitPath = names;
    }

    const roleText = cell('role');
    const roles: Role[] = [];
    for (const part of roleText ? roleText.split(ROLE_SEPARATOR) : ['member']) {
      if (!part) continue;
      const role = parseRole(part);
      if (!role)
        problem(
          'role',
          `"${part}" is not a role. Use member, line manager, educator, insights viewer or admin (several separated by ";")`,
        );
      else if (!roles.includes(role)) roles.push(role);
    }
    if (roles.length === 0 && problems.length === before) roles.push('member');
    if (roles.includes('line_manager') && !unitText)
      problem('unit path', 'A line manager needs a unit path: the unit they manage');

    if (problems.length === before)
      rows.push({ line, email, displayName, professionCode, unitPath, roles });
  }

  for (const [email, lines] of linesByEmail) {
    if (lines.length < 2) continue;
    for (const line of lines) {
      const others = lines.filter((l) => l !== line).map(String);
      problems.push({
        line,
        column: 'email',
        message: `${email} is also on line${others.length > 1 ? 's' : ''} ${others.join(', ')}. Each person can be in the file once`,
      });
    }
  }

  return problems.length > 0 ? { ok: false, problems: sortProblems(problems) } : { ok: true, rows };
}

/** An example roster for the upload page's download link. */
export const ROSTER_TEMPLATE_CSV = [
  'email,name,profession,unit path,role',
  'sam.jones@example.nhs.uk,Sam Jones,Physiotherapist,Therapies > Physiotherapy,member',
  'alex.patel@example.nhs.uk,Alex Patel,,Therapies > Physiotherapy,line manager',
  'kim.lee@example.nhs.uk,Kim Lee,,,educator',
  '',
].join('\r\n');
