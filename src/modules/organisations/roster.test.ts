import { describe, expect, it } from 'vitest';
import {
  decodeRosterFile,
  describeProblem,
  parseRoster,
  ROSTER_TEMPLATE_CSV,
  type RosterParseResult,
  type RosterProblem,
} from './roster.js';

const professions = [
  { code: 'physiotherapist', name: 'Physiotherapist' },
  { code: 'occupational-therapist', name: 'Occupational therapist' },
];
const HEADER = 'email,name,profession,unit path,role';
const csv = (...lines: string[]) => lines.join('\n');
const parseText = (text: string, extra: { maxRows?: number; maxBytes?: number } = {}) =>
  parseRoster(text, { professions, ...extra });

function problemsOf(result: RosterParseResult): RosterProblem[] {
  if (result.ok) throw new Error('expected problems, got rows');
  return result.problems;
}
function rowsOf(result: RosterParseResult) {
  if (!result.ok)
    throw new Error(`expected rows, got: ${result.problems.map(describeProblem).join('; ')}`);
  return result.rows;
}

describe('parseRoster: good files', () => {
  it('reads every column, matches professions by code or name and defaults the role', () => {
    const rows = rowsOf(
      parseText(
        csv(
          HEADER,
          'Sam.Jones@Example.org , Sam  Jones ,physiotherapist,Medicine > Cardiology,',
          'kim@example.org,Kim Lee,OCCUPATIONAL THERAPIST,Medicine/Cardiology/Ward 5,Line manager',
          'lee@example.org,Lee Ray,,,educator; admin',
        ),
      ),
    );
    expect(rows).toEqual([
      {
        line: 2,
        email: 'sam.jones@example.org',
        displayName: 'Sam Jones',
        professionCode: 'physiotherapist',
        unitPath: ['Medicine', 'Cardiology'],
        roles: ['member'],
      },
      {
        line: 3,
        email: 'kim@example.org',
        displayName: 'Kim Lee',
        professionCode: 'occupational-therapist',
        unitPath: ['Medicine', 'Cardiology', 'Ward 5'],
        roles: ['line_manager'],
      },
      {
        line: 4,
        email: 'lee@example.org',
        displayName: 'Lee Ray',
        professionCode: null,
        unitPath: null,
        roles: ['educator', 'admin'],
      },
    ]);
  });

  it('accepts header names in any case, order and spacing, a BOM, CRLF and blank lines', () => {
    const text =
      '\uFEFFRole,Unit_Path, E-mail Address ,Full name,Profession\r\n\r\n,,,,\r\nmember,,a@example.org,"Ash, A",\r\n   \r\n';
    const rows = rowsOf(parseText(text));
    expect(rows).toEqual([
      expect.objectContaining({ line: 4, email: 'a@example.org', displayName: 'Ash, A' }),
    ]);
  });

  it('allows only the email and name columns', () => {
    expect(rowsOf(parseText(csv('name,email', 'Jo,jo@example.org')))[0]).toMatchObject({
      roles: ['member'],
      unitPath: null,
      professionCode: null,
    });
  });

  it('keeps physical line numbers after a value that spans lines', () => {
    const rows = rowsOf(
      parseText(csv(HEADER, 'a@example.org,"Ann', 'Smith",,,', '', 'b@example.org,Bo,,,')),
    );
    expect(rows.map((r) => [r.line, r.displayName])).toEqual([
      [2, 'Ann Smith'],
      [5, 'Bo'],
    ]);
  });

  it('parses the template offered for download', () => {
    expect(rowsOf(parseText(ROSTER_TEMPLATE_CSV))).toHaveLength(3);
  });
});

describe('parseRoster: problems', () => {
  it('reports every problem on every line, with line and column', () => {
    const problems = problemsOf(
      parseText(
        csv(
          HEADER,
          'not-an-email,Ann,,,', // 2
          'b@example.org,,,,', // 3
          'c@example.org,Cy,Astronaut,,', // 4
          'd@example.org,Di,,Medicine > > Ward,', // 5
          'e@example.org,Ed,,,boss', // 6
          'f@example.org,Fi,,,line manager', // 7
          ',Gus,,,', // 8
        ),
      ),
    );
    expect(problems.map(describeProblem)).toEqual([
      'Line 2: Enter an email address in the correct format, like name@example.com (column: email)',
      "Line 3: Enter the person's name (column: name)",
      'Line 4: "Astronaut" is not a profession we know. Use a profession from the list on the upload page, or leave it blank (column: profession)',
      'Line 5: Write the unit path as unit names separated by ">", like "Medicine > Cardiology > Ward 5" ("Medicine > > Ward" has an empty part) (column: unit path)',
      'Line 6: "boss" is not a role. Use member, line manager, educator, insights viewer or admin (several separated by ";") (column: role)',
      'Line 7: A line manager needs a unit path: the unit they manage (column: unit path)',
      'Line 8: Enter an email address (column: email)',
    ]);
  });

  it('names both lines when an email appears twice, ignoring case', () => {
    const problems = problemsOf(
      parseText(
        csv(HEADER, 'a@example.org,A,,,', 'b@example.org,B,,,', '', 'A@Example.org,A again,,,'),
      ),
    );
    expect(problems).toEqual([
      {
        line: 2,
        column: 'email',
        message: 'a@example.org is also on line 5. Each person can be in the file once',
      },
      {
        line: 5,
        column: 'email',
        message: 'a@example.org is also on line 2. Each person can be in the file once',
      },
    ]);
  });

  it('reports lines with the wrong number of values', () => {
    const problems = problemsOf(
      parseText(
        csv(HEADER, 'a@example.org,Smith, Ann,,,', 'b@example.org,Bo', 'c@example.org,C,,,'),
      ),
    );
    expect(problems).toEqual([
      {
        line: 2,
        message:
          'This line has 6 values but the header row has 5 columns. Put any value that contains a comma in double quotes',
      },
      {
        line: 3,
        message:
          'This line has 2 values but the header row has 5 columns. Put any value that contains a comma in double quotes',
      },
    ]);
  });

  it('reports stray and unclosed quotes on their own line and reads on', () => {
    const problems = problemsOf(
      parseText(
        csv(
          HEADER,
          'a@example.org,Jo "JJ" Bloggs,,,', // 2: quote inside an unquoted value
          'b@example.org,"Bo"x,,,', // 3: text after a closing quote
          'c@example.org,"Cy,,,', // 4: never closed
          'bad-email,Di,,,', // 5: still checked
        ),
      ),
    );
    expect(problems.map((p) => [p.line, p.column, p.message.slice(0, 40)])).toEqual([
      [2, undefined, 'A double quote (") is in the wrong place'],
      [3, undefined, 'A double quote (") is in the wrong place'],
      [4, undefined, 'A double quote (") opens a value but not'],
      [5, 'email', 'Enter an email address in the correct fo'],
    ]);
  });

  it('requires a header row with the email and name columns and no unknown ones', () => {
    expect(problemsOf(parseText(csv('a@example.org,Ann,,,', 'b@example.org,Bo,,,')))).toEqual([
      {
        line: 1,
        message:
          'The first line must be a header row naming the columns: email, name, profession, unit path, role',
      },
    ]);
    expect(problemsOf(parseText(csv('Email,Grade', 'a@example.org,7')))).toEqual([
      {
        line: 1,
        message:
          '"Grade" is not a roster column. The columns are: email, name, profession, unit path, role',
      },
      {
        line: 1,
        message:
          'The header row has no name column. The columns are: email, name, profession, unit path, role',
      },
    ]);
    expect(
      problemsOf(parseText(csv('email,name,,', 'a@example.org,A,,', 'b@example.org,B,,x'))),
    ).toEqual([
      {
        line: 3,
        message:
          'Column 4 has a value but no name in the header row. Name the column or remove the value',
      },
    ]);
    expect(problemsOf(parseText(csv('email,name,Email', 'a@example.org,A,a@example.org')))).toEqual(
      [{ line: 1, column: 'email', message: 'The header row names the email column twice' }],
    );
    expect(problemsOf(parseText('\n\nemail;name;role\n'))[0]).toMatchObject({
      line: 3,
      message: expect.stringContaining('semicolons') as string,
    });
  });

  it('refuses empty files, header-only files, too many rows and too many bytes', () => {
    expect(problemsOf(parseText('\n \n'))[0]?.message).toMatch(/^The file is empty/);
    expect(problemsOf(parseText(HEADER))[0]?.message).toMatch(/nobody in it/);
    const three = csv(HEADER, 'a@example.org,A,,,', 'b@example.org,B,,,', 'c@example.org,C,,,');
    expect(problemsOf(parseText(three, { maxRows: 2 }))).toEqual([
      {
        message:
          'The file has 3 people in it; the most one file can have is 2. Split it into smaller files',
      },
    ]);
    expect(problemsOf(parseText(three, { maxBytes: 50 }))[0]?.message).toMatch(
      /must be smaller than/,
    );
  });

  it('handles the maximum row count quickly enough for a web request', () => {
    const lines = [HEADER];
    for (let i = 0; i < 5_000; i++)
      lines.push(`p${String(i)}@example.org,Person ${String(i)},,A > B,`);
    const started = performance.now();
    expect(rowsOf(parseText(csv(...lines)))).toHaveLength(5_000);
    // Not a benchmark: a generous bound that catches an accidental quadratic.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('decodeRosterFile', () => {
  it('accepts UTF-8 and refuses other encodings, empty and oversized files', () => {
    expect(decodeRosterFile(new TextEncoder().encode('email,name\n'))).toEqual({
      ok: true,
      text: 'email,name\n',
    });
    const latin1 = Uint8Array.from([0x4a, 0xf6, 0x72, 0x67]); // "Jörg" in Windows-1252
    expect(decodeRosterFile(latin1)).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringContaining('UTF-8') as string }],
    });
    expect(decodeRosterFile(new Uint8Array())).toEqual({
      ok: false,
      problems: [{ message: 'The file is empty' }],
    });
    expect(decodeRosterFile(new Uint8Array(11), 10)).toMatchObject({ ok: false });
  });
});
