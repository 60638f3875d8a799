/** Plan dates: "today" in the UK, month arithmetic, due and overdue. */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dateParts,
  daysBetween,
  dueness,
  formatPlanDate,
  parseIsoDate,
  todayIn,
} from './plans.dates.js';

describe('plan dates', () => {
  it('decides today in UK time', () => {
    // 23:30 UTC on 30 June is already 1 July in London (BST); 23:30 UTC on 30 Dec is not.
    expect(todayIn(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(todayIn(new Date('2026-12-30T23:30:00Z'))).toBe('2026-12-30');
  });

  it('adds months without running into the next month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(daysBetween('2026-03-01', '2026-03-08')).toBe(7);
    expect(daysBetween('2026-03-08', '2026-03-01')).toBe(-7);
  });

  it('knows real dates', () => {
    expect(parseIsoDate('2026-02-29')).toBeUndefined();
    expect(parseIsoDate('2028-02-29')).toBeInstanceOf(Date);
    expect(parseIsoDate('12/03/2026')).toBeUndefined();
    expect(dateParts('2026-03-07')).toEqual({ day: '7', month: '3', year: '2026' });
    expect(formatPlanDate('2026-03-07')).toBe('7 March 2026');
  });

  it('says overdue after the date, due within a week, later otherwise', () => {
    expect(dueness('2026-03-11', '2026-03-12')).toBe('overdue');
    expect(dueness('2026-03-12', '2026-03-12')).toBe('due');
    expect(dueness('2026-03-19', '2026-03-12')).toBe('due');
    expect(dueness('2026-03-20', '2026-03-12')).toBe('later');
  });
});
