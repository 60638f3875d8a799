/**
 * The exports built from a snapshot: an area answered entirely "not relevant to my role" is
 * exported as that, never as level 0 ("below level 1") nor as a gap; validated levels are
 * exported beside the person's own, never merged into them, and the file says when they could
 * not be read.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { handMadeResults } from '../../../test/support/assessments.js';
import { assessmentCsv, buildAssessmentExport, CSV_COLUMNS } from './export.js';

// 2.2 was answered "not relevant" throughout: the engine recorded level 0 against target 2, and
// the snapshot (never rewritten) lists it as the most urgent gap.
const base = handMadeResults([
  ['1', 'Digital implementation', '1', 1, 2],
  ['2.2', 'Remote consultation and monitoring', '2', 0, 2, 10],
  ['6.1', 'Machine learning', '6', 3, 1],
  ['6.4', 'Robotics', '6', 0, 0],
]);
const results = {
  ...base,
  areas: base.areas.map((a) => (a.areaCode === '2.2' ? { ...a, answered: 0, notRelevant: 5 } : a)),
};
// Area 1 (self-assessed level 1) was validated at level 2; 6.1 by someone whose name looks like
// a formula; an area these results do not have is left out.
const validated = [
  {
    areaCode: '1',
    level: 2,
    validatorName: 'Morgan Reid',
    validatedAt: new Date('2026-03-20T12:00:00.000Z'),
  },
  {
    areaCode: '6.1',
    level: 3,
    validatorName: '=HYPERLINK("http://evil.example")',
    validatedAt: new Date('2026-03-21T12:00:00.000Z'),
  },
  { areaCode: '9.9', level: 4, validatorName: 'Jo', validatedAt: new Date('2026-03-21') },
];
const exportWith = (levels: typeof validated | undefined) =>
  buildAssessmentExport({
    assessmentId: 'a1',
    ownerName: 'Priya Sharma',
    results,
    answers: [],
    model: undefined,
    validated: levels,
    now: new Date('2026-03-13T09:00:00.000Z'),
  });
const data = exportWith(validated);

describe('the JSON export', () => {
  it('gives an area answered entirely "not relevant" no level and says so', () => {
    expect(results.gaps).toEqual(['2.2', '1']);
    const area = data.results.areas.find((a) => a.areaCode === '2.2');
    expect(area).toEqual(
      expect.objectContaining({
        level: null,
        notRelevant: true,
        status: 'not-relevant',
        notRelevantAnswers: 5,
        answered: 0,
        targetLevel: 2,
        shortfall: null,
      }),
    );
    expect(data.results.gaps).toEqual(['1']);
  });

  it('gives every other area its level, status and shortfall', () => {
    expect(
      data.results.areas.map((a) => [a.areaCode, a.level, a.notRelevant, a.status, a.shortfall]),
    ).toEqual([
      ['1', 1, false, 'below-target', 1],
      ['2.2', null, true, 'not-relevant', null],
      ['6.1', 3, false, 'above-target', 0],
      ['6.4', 0, false, 'no-target', 0],
    ]);
    expect(data.results.strengths).toEqual(['6.1']);
    expect(data.format).toBe('digicap assessment export, version 3');
  });

  it('gives each area its validated level beside its own, never merged into it', () => {
    expect(data.validatedLevels).toBe('included');
    const area = (code: string) => data.results.areas.find((a) => a.areaCode === code);
    expect(area('1')).toEqual(
      expect.objectContaining({
        level: 1,
        shortfall: 1,
        status: 'below-target',
        validated: {
          level: 2,
          validatedBy: 'Morgan Reid',
          validatedOn: '2026-03-20T12:00:00.000Z',
        },
      }),
    );
    expect(area('6.1')?.validated?.level).toBe(3);
    expect(area('2.2')?.validated).toBeNull();
    expect(area('6.4')?.validated).toBeNull();
    // Still a gap: the gap is the person's own level against the target.
    expect(data.results.gaps).toEqual(['1']);
    expect(data.results.areas.map((a) => a.areaCode)).not.toContain('9.9');
  });

  it('says when none was validated, and when they could not be read', () => {
    const none = exportWith([]);
    expect(none.validatedLevels).toBe('included');
    expect(none.results.areas.every((a) => a.validated === null)).toBe(true);
    const unread = exportWith(undefined);
    expect(unread.validatedLevels).toBe('unavailable');
    expect(unread.results.areas.every((a) => a.validated === null)).toBe(true);
  });
});

describe('the CSV export', () => {
  const rowsOf = (d: typeof data): string[][] => parse(assessmentCsv(d), { bom: true });
  const rows = rowsOf(data);
  const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
  const areaRow = (code: string, from = rows) =>
    from.find((r) => r[0] === 'Area result' && r[column('Area code')] === code) ?? [];
  const validatedCells = (row: string[]) =>
    (['Validated level', 'Validated by', 'Validated on'] as const).map((c) => row[column(c)]);

  it('leaves the level empty for an area answered entirely "not relevant", and says so', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const row = areaRow('2.2');
    expect(row[column('Your level')]).toBe('');
    expect(row[column('Target level')]).toBe('2');
    expect(row[column('Compared with target')]).toBe('Not counted as a gap');
    expect(row[column('Not relevant to your role')]).toBe('Yes');
  });

  it('keeps the columns before it where they were, and says "No" for other areas', () => {
    expect(CSV_COLUMNS.slice(0, 12)).toEqual([
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
    ]);
    expect(areaRow('6.4')[column('Your level')]).toBe('0');
    expect(areaRow('6.4')[column('Not relevant to your role')]).toBe('No');
    expect(areaRow('1')[column('Compared with target')]).toBe('1 level below target');
  });

  it('gives the validated level, who and when in columns of their own, at the end', () => {
    expect(CSV_COLUMNS.slice(12)).toEqual([
      'Not relevant to your role',
      'Validated level',
      'Validated by',
      'Validated on',
    ]);
    expect(areaRow('1')[column('Your level')]).toBe('1');
    expect(validatedCells(areaRow('1'))).toEqual(['2', 'Morgan Reid', '20 March 2026']);
    // A name a spreadsheet would run as a formula starts with an apostrophe.
    expect(validatedCells(areaRow('6.1'))).toEqual([
      '3',
      `'=HYPERLINK("http://evil.example")`,
      '21 March 2026',
    ]);
    expect(validatedCells(areaRow('6.4'))).toEqual(['', '', '']);
  });

  it('leaves them empty when none was validated, and says when they could not be read', () => {
    const none = rowsOf(exportWith([]));
    const unread = rowsOf(exportWith(undefined));
    for (const code of ['1', '2.2', '6.1', '6.4']) {
      expect(validatedCells(areaRow(code, none))).toEqual(['', '', '']);
      expect(validatedCells(areaRow(code, unread))).toEqual(['Not available', '', '']);
    }
  });
});
