/**
 * The exports built from a snapshot: an area answered entirely "not relevant to my role" is
 * exported as that, never as level 0 ("below level 1") nor as a gap.
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
const data = buildAssessmentExport({
  assessmentId: 'a1',
  ownerName: 'Priya Sharma',
  results,
  answers: [],
  model: undefined,
  now: new Date('2026-03-13T09:00:00.000Z'),
});

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
    expect(data.format).toBe('digicap assessment export, version 2');
  });
});

describe('the CSV export', () => {
  const rows: string[][] = parse(assessmentCsv(data), { bom: true });
  const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
  const areaRow = (code: string) =>
    rows.find((r) => r[0] === 'Area result' && r[column('Area code')] === code) ?? [];

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
});
