/** Catalogue CSV files: reading, every kind of problem with its line and column, and writing. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { findRootDir } from '../../config.js';
import { loadFrameworkContent } from '../framework/index.js';
import {
  BUNDLED_COLUMNS,
  CATALOGUE_COLUMNS,
  type CatalogueProblem,
  type CatalogueVocabulary,
  catalogueCsv,
  checkResourceFields,
  describeProblem,
  parseCatalogueCsv,
} from './catalogue.csv.js';
import type { Resource } from './catalogue.model.js';

const vocabulary: CatalogueVocabulary = {
  areaCodes: ['1', '2.1', '5.1.3', '6.2', '6.3'],
  statementAreas: new Map([
    ['6.3-2-01', '6.3'],
    ['6.3-2-02', '6.3'],
    ['1-1-01', '1'],
  ]),
};

const HEADER = BUNDLED_COLUMNS.join(',');
const GOOD =
  'ai-ethics-primer,AI ethics: a primer,Example Trust,https://www.example.org/ai-ethics,course,45,free,1|2,6.3|6.2,S|U,"A short course on bias, consent and accountability.",https://www.example.org/';
const file = (...lines: string[]) => [HEADER, ...lines].join('\n');
/** The GOOD line with one column replaced. */
function lineWith(column: (typeof BUNDLED_COLUMNS)[number], value: string, id = 'x-resource') {
  const cells = parse(GOOD)[0] ?? [];
  cells[BUNDLED_COLUMNS.indexOf('id')] = id;
  cells[BUNDLED_COLUMNS.indexOf(column)] = value;
  return cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

function problemsOf(text: string): CatalogueProblem[] {
  const result = parseCatalogueCsv(text, vocabulary);
  if (result.ok) throw new Error('expected problems, but the file was accepted');
  return result.problems;
}

describe('parseCatalogueCsv', () => {
  it('reads a good file into typed rows, lists in canonical order', () => {
    const result = parseCatalogueCsv(file(GOOD), vocabulary);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toEqual({
      line: 2,
      fields: {
        slug: 'ai-ethics-primer',
        title: 'AI ethics: a primer',
        provider: 'Example Trust',
        url: 'https://www.example.org/ai-ethics',
        format: 'course',
        durationMinutes: 45,
        cost: 'free',
        levels: [1, 2],
        // Framework order, whatever the file's order.
        areaCodes: ['6.2', '6.3'],
        archetypeCodes: ['S', 'U'],
        summary: 'A short course on bias, consent and accountability.',
        reviewDate: undefined,
        statementIds: undefined,
        curatedBy: undefined,
        retired: undefined,
      },
    });
    expect([...result.columns]).toEqual([...BUNDLED_COLUMNS]);
  });

  it('accepts a byte-order mark, CRLF line ends and quoted fields with commas, quotes and line breaks', () => {
    const quoted =
      'quoted-one,"Title, with ""quotes""",Example,https://www.example.org/q,report,,paid,3,1,D,"First line,\nsecond line",';
    const text = `\uFEFF${[HEADER, quoted, GOOD].join('\r\n')}\r\n`;
    const result = parseCatalogueCsv(text, vocabulary);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(result.rows[0]?.fields.title).toBe('Title, with "quotes"');
    expect(result.rows[0]?.fields.summary).toBe('First line,\nsecond line');
    expect(result.rows[0]?.fields.durationMinutes).toBeNull();
  });

  it('skips blank lines but counts them in line numbers', () => {
    const problems = problemsOf(file('', GOOD, '', lineWith('cost', 'cheap')));
    expect(problems.map(describeProblem)).toEqual([
      'Line 5: "cheap" is not a cost. Use free, paid or unknown (column: cost)',
    ]);
  });

  it.each([
    ['id', '', 'Enter an id'],
    ['id', 'Not A Slug', 'The id must be lower-case letters, numbers and single dashes'],
    ['title', '', 'Enter the title'],
    ['title', 'x'.repeat(301), 'The title must be 300 characters or fewer'],
    ['provider', '  ', 'Enter the provider'],
    ['url', '', 'Enter the web address'],
    ['url', 'javascript:alert(1)', 'starting with https:// or http://'],
    ['url', 'ftp://example.org/file', 'starting with https:// or http://'],
    ['url', 'https://exa mple.org/', 'starting with https:// or http://'],
    ['url', 'https://user:secret@example.org/', 'starting with https:// or http://'],
    ['url', 'www.example.org', 'starting with https:// or http://'],
    ['format', '', 'Enter the format'],
    ['format', 'book', '"book" is not a format'],
    ['duration_minutes', '1.5', 'whole number of minutes'],
    ['duration_minutes', 'an hour', 'whole number of minutes'],
    ['duration_minutes', '0', 'between 1 and 100,000 minutes'],
    ['cost', '', 'Enter the cost'],
    ['cost', '£10', '"£10" is not a cost'],
    ['levels', '', 'Enter at least one level'],
    ['levels', '0|5', 'Levels must be 1, 2, 3 or 4 (you gave "0", "5")'],
    ['levels', 'two', 'Levels must be 1, 2, 3 or 4'],
    ['areas', '', 'Enter at least one framework area code'],
    [
      'areas',
      '6.2|9.9',
      '"9.9" is not an area of the framework. The areas are: 1, 2.1, 5.1.3, 6.2, 6.3',
    ],
    ['archetypes', '', 'Enter at least one archetype'],
    ['archetypes', 'S|X', 'Archetypes must be S, D, C, E or U (you gave "X")'],
    ['summary', '', 'Enter a summary'],
    ['summary', 'x'.repeat(241), 'The summary must be 240 characters or fewer (it has 241)'],
    ['source_seen', 'not a web address', 'Enter a full web address'],
  ] as const)(
    'reports a problem with %s (case %#) with its line and column',
    (column, value, message) => {
      const problems = problemsOf(file(GOOD, lineWith(column, value)));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ line: 3, column });
      expect(problems[0]?.message).toContain(message);
      expect(describeProblem(problems[0] as CatalogueProblem)).toMatch(
        new RegExp(`^Line 3: .* \\(column: ${column}\\)$`),
      );
    },
  );

  it('accepts a summary of exactly 240 characters, and lower-case archetypes and formats', () => {
    const result = parseCatalogueCsv(
      file(lineWith('summary', 'x'.repeat(240)), lineWith('archetypes', 's|u', 'second')),
      vocabulary,
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.rows[1]?.fields.archetypeCodes).toEqual(['S', 'U']);
  });

  it('reports every problem on every line at once', () => {
    const problems = problemsOf(
      file(lineWith('levels', '7', 'a-one'), GOOD, lineWith('format', 'book', 'a-three')),
    );
    expect(problems.map((p) => [p.line, p.column])).toEqual([
      [2, 'levels'],
      [4, 'format'],
    ]);
  });

  it('reports a duplicate id on each line it is on', () => {
    const problems = problemsOf(file(GOOD, lineWith('title', 'Other'), GOOD));
    expect(problems.map(describeProblem)).toEqual([
      'Line 2: The id ai-ethics-primer is also on line 4. Each resource can be in the file once (column: id)',
      'Line 4: The id ai-ethics-primer is also on line 2. Each resource can be in the file once (column: id)',
    ]);
  });

  it('reports a line with the wrong number of values', () => {
    const problems = problemsOf(file(GOOD, 'too-short,Title,Provider'));
    expect(problems).toEqual([
      {
        line: 3,
        message:
          'This line has 3 values but the header row has 12 columns. Put any value that contains a comma in double quotes',
      },
    ]);
  });

  it('reports a quote that is never closed on its first line, and reads on', () => {
    const problems = problemsOf(file(GOOD, 'broken,"Title never closed', lineWith('cost', 'x')));
    expect(problems[0]).toMatchObject({ line: 3 });
    expect(problems[0]?.message).toContain('nothing closes it');
  });

  it('checks the header row: missing, unknown and repeated columns', () => {
    expect(problemsOf('').map(describeProblem)[0]).toContain('The file is empty');
    expect(problemsOf('a;b;c\n1;2;3').map(describeProblem)[0]).toContain('semicolons');
    expect(problemsOf('name,email\nx,y').map(describeProblem)[0]).toContain(
      'The first line must be a header row',
    );
    const header = problemsOf(`${HEADER},colour,title\n`).map(describeProblem);
    expect(header).toEqual([
      'Line 1: "colour" is not a catalogue column. The columns are: ' +
        CATALOGUE_COLUMNS.join(', '),
      'Line 1: The header row names the title column twice (column: title)',
    ]);
    const missing = problemsOf('id,title\nx,Y').map(describeProblem);
    expect(missing).toContain(
      `Line 1: The header row has no summary column. The columns are: ${CATALOGUE_COLUMNS.join(', ')}`,
    );
    expect(problemsOf(`${HEADER}\n`).map(describeProblem)).toEqual([
      'The file has a header row but no resources. Add a line for each resource',
    ]);
  });

  it('refuses files with too many rows or bytes', () => {
    const many = parseCatalogueCsv(file(GOOD, lineWith('title', 'B', 'b')), vocabulary, {
      maxRows: 1,
    });
    expect(many.ok ? [] : many.problems.map((p) => p.message)).toEqual([
      'The file has 2 resources in it; the most one file can have is 1. Split it into smaller files',
    ]);
    const big = parseCatalogueCsv(file(GOOD), vocabulary, { maxBytes: 100 });
    expect(big.ok ? [] : big.problems[0]?.message).toContain('The file must be smaller than');
  });

  it('reads the extra columns: review date, statement ids, curated by and retired', () => {
    const header = `${HEADER},review_date,statement_ids,curated_by,retired`;
    const ok = parseCatalogueCsv(
      `${header}\n${GOOD},2027-03-31,6.3-2-02|6.3-2-01,Learning team,yes`,
      vocabulary,
    );
    expect(ok.ok).toBe(true);
    if (ok.ok)
      expect(ok.rows[0]?.fields).toMatchObject({
        reviewDate: '2027-03-31',
        statementIds: ['6.3-2-01', '6.3-2-02'],
        curatedBy: 'Learning team',
        retired: true,
      });
    const blank = parseCatalogueCsv(`${header}\n${GOOD},,,,`, vocabulary);
    if (blank.ok)
      expect(blank.rows[0]?.fields).toMatchObject({
        reviewDate: null,
        statementIds: [],
        curatedBy: undefined,
        retired: false,
      });
    const bad = problemsOf(
      `${header}\n${GOOD},2027-02-30,9.9-1-01,,maybe\n${lineWith('areas', '6.2')},,1-1-01,,`,
    ).map(describeProblem);
    expect(bad).toEqual([
      'Line 2: The review date must be a real date written YYYY-MM-DD, like 2027-03-31, or blank (column: review_date)',
      'Line 2: "9.9-1-01" is not a statement of the framework (statement ids look like 6.3-2-01) (column: statement_ids)',
      'Line 2: Write yes to retire the resource, or no or nothing to keep it (you gave "maybe") (column: retired)',
      "Line 3: 1-1-01 is in area 1: give only statements in the resource's areas, or add their areas (column: statement_ids)",
    ]);
  });

  it('undoes the apostrophe an export puts before formula-like text', () => {
    const result = parseCatalogueCsv(file(lineWith('title', "'=Not a formula")), vocabulary);
    expect(result.ok && result.rows[0]?.fields.title).toBe('=Not a formula');
  });
});

describe('checkResourceFields in form style', () => {
  const raw = {
    id: '',
    title: 'A title',
    provider: 'A provider',
    url: 'https://www.example.org/',
    format: '',
    durationMinutes: '',
    cost: '',
    levels: [],
    areas: [],
    archetypes: [],
    summary: 'A summary',
  };
  it('allows an empty id and asks people to select, not to write', () => {
    const { problems } = checkResourceFields(raw, vocabulary, 'form');
    expect(problems).toEqual([
      { column: 'format', message: 'Select the format' },
      { column: 'cost', message: 'Select the cost' },
      { column: 'levels', message: 'Select at least one level' },
      { column: 'areas', message: 'Select at least one area' },
      { column: 'archetypes', message: 'Select at least one archetype' },
    ]);
  });
});

describe('catalogueCsv', () => {
  const resource: Resource = {
    id: '6d1f0c59-1b9f-4a51-9f0e-3f5b4b1b2a11',
    slug: 'formula-test',
    organisationId: null,
    title: '=HYPERLINK("https://evil.example","click")',
    provider: '+Provider',
    url: 'https://www.example.org/r',
    format: 'guidance',
    durationMinutes: 30,
    cost: 'free',
    levels: [1, 2],
    areaCodes: ['6.2', '6.3'],
    statementIds: ['6.3-2-01'],
    archetypeCodes: ['S', 'U'],
    summary: '-A summary, with a comma',
    reviewDate: '2027-03-31',
    curatedBy: '@someone',
    curatedByPersonId: null,
    source: 'local',
    retiredAt: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  };

  it('writes every column with a BOM and CRLF, formula-like cells made safe', () => {
    const csv = catalogueCsv([resource]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\n');
    const rows = parse(csv.slice(1));
    expect(rows[0]).toEqual([...CATALOGUE_COLUMNS]);
    const row = Object.fromEntries(CATALOGUE_COLUMNS.map((c, i) => [c, rows[1]?.[i]]));
    expect(row).toMatchObject({
      id: 'formula-test',
      title: `'=HYPERLINK("https://evil.example","click")`,
      provider: "'+Provider",
      summary: "'-A summary, with a comma",
      curated_by: "'@someone",
      levels: '1|2',
      areas: '6.2|6.3',
      archetypes: 'S|U',
      statement_ids: '6.3-2-01',
      review_date: '2027-03-31',
      duration_minutes: '30',
      source_seen: '',
      retired: 'no',
    });
  });

  it('reads back as the same fields', () => {
    const result = parseCatalogueCsv(catalogueCsv([resource]), vocabulary);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows[0]?.fields).toMatchObject({
      slug: resource.slug,
      title: resource.title,
      provider: resource.provider,
      summary: resource.summary,
      curatedBy: resource.curatedBy,
      levels: resource.levels,
      areaCodes: resource.areaCodes,
      statementIds: resource.statementIds,
      reviewDate: resource.reviewDate,
      retired: false,
    });
  });
});

describe('the bundled starter catalogue', () => {
  it('is valid against the bundled framework, with 117 resources', async () => {
    const root = findRootDir();
    const { data } = await loadFrameworkContent(
      path.join(root, 'content', 'frameworks', 'ai-digital-healthcare'),
      root,
    );
    const real: CatalogueVocabulary = {
      areaCodes: data.nodes.filter((n) => n.isArea).map((n) => n.code),
      statementAreas: new Map(data.statements.map((s) => [s.id, s.areaCode])),
    };
    const text = await readFile(
      path.join(root, 'content', 'learning', 'learning-resources.csv'),
      'utf8',
    );
    const result = parseCatalogueCsv(text, real);
    expect(result.ok ? [] : result.problems.map(describeProblem)).toEqual([]);
    expect(result.ok && result.rows.length).toBe(117);
  });
});
