/** The development plan's form parsers: values as typed kept, clear errors, nothing cut short. */
import { describe, expect, it } from 'vitest';
import {
  NOTES_MAX,
  parseAddResourceForm,
  parseAttachForm,
  parseEditGoalForm,
  parseNewGoalForm,
  parseReflectionForm,
  parseResourceSearch,
  parseResourceStatusForm,
  parseTargetDate,
  REFLECTION_MAX,
} from './plans.forms.js';

const TODAY = '2026-03-12';
const date = (day: string, month: string, year: string) => ({
  'targetDate-day': day,
  'targetDate-month': month,
  'targetDate-year': year,
});
const areaCodes = new Set(['2.1', '6.2']);

describe('parseTargetDate', () => {
  const parse = (fields: Record<string, string>, unchanged?: string) =>
    parseTargetDate(fields, { today: TODAY, unchanged });

  it('reads a real date, with or without leading zeros', () => {
    expect(parse(date('7', '4', '2026')).field).toEqual({
      typed: { day: '7', month: '4', year: '2026' },
      value: '2026-04-07',
      invalidParts: [],
    });
    expect(parse(date(' 07 ', '04', '2026')).field.value).toBe('2026-04-07');
    expect(parse(date('12', '3', '2026')).field.value).toBe(TODAY);
  });

  it('says which part is missing, and marks only that part', () => {
    expect(parse({}).error).toEqual({ field: 'targetDate-day', text: 'Enter a target date' });
    const noMonth = parse(date('7', '', '2026'));
    expect(noMonth.error).toEqual({
      field: 'targetDate-month',
      text: 'Target date must include a month',
    });
    expect(noMonth.field.invalidParts).toEqual(['month']);
    expect(noMonth.field.typed).toEqual({ day: '7', month: '', year: '2026' });
    expect(parse(date('', '', '2026')).error?.text).toBe(
      'Target date must include a day and a month',
    );
  });

  it('refuses dates that do not exist, short years, the past and the far future', () => {
    expect(parse(date('31', '2', '2027')).error?.text).toBe('Target date must be a real date');
    expect(parse(date('x', '2', '2027')).error?.text).toBe('Target date must be a real date');
    expect(parse(date('1', '13', '2027')).error?.text).toBe('Target date must be a real date');
    const shortYear = parse(date('1', '2', '27'));
    expect(shortYear.error).toEqual({
      field: 'targetDate-year',
      text: 'Year must include 4 numbers',
    });
    expect(shortYear.field.invalidParts).toEqual(['year']);
    expect(parse(date('11', '3', '2026')).error?.text).toBe(
      'Target date must be today or in the future',
    );
    expect(parse(date('13', '3', '2031')).error?.text).toBe(
      'Target date must be within 5 years from today',
    );
    expect(parse(date('12', '3', '2031')).error).toBeUndefined();
  });

  it('lets an overdue goal keep its date while it is edited', () => {
    expect(parse(date('1', '1', '2026'), '2026-01-01').field.value).toBe('2026-01-01');
    expect(parse(date('2', '1', '2026'), '2026-01-01').error?.text).toBe(
      'Target date must be today or in the future',
    );
  });
});

describe('parseNewGoalForm', () => {
  const rules = { areaCodes, today: TODAY };

  it('gives values for a complete form, with hidden fields as sent', () => {
    const parsed = parseNewGoalForm(
      {
        areaCode: '2.1',
        targetLevel: '3',
        ...date('1', '6', '2026'),
        notes: '  Line one\r\nLine two  ',
        from: 'abc',
        resource: 'def',
      },
      rules,
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.values).toEqual({
      areaCode: '2.1',
      targetLevel: 3,
      targetDate: '2026-06-01',
      notes: 'Line one\nLine two',
      from: 'abc',
      resource: 'def',
    });
  });

  it('lists every problem in page order, keeping what was typed', () => {
    const parsed = parseNewGoalForm(
      { areaCode: '9.9', targetLevel: '5', ...date('1', '', ''), notes: 'Kept' },
      rules,
    );
    expect(parsed.values).toBeUndefined();
    expect(parsed.errors).toEqual([
      { field: 'areaCode', text: 'Select an area from the list' },
      { field: 'targetLevel', text: 'Select the level you want to reach' },
      { field: 'targetDate-month', text: 'Target date must include a month and a year' },
    ]);
    expect(parsed.typed).toMatchObject({ areaCode: '9.9', targetLevel: '5', notes: 'Kept' });
    expect(parseNewGoalForm({}, rules).errors.map((e) => e.field)).toEqual([
      'areaCode',
      'targetLevel',
      'targetDate-day',
    ]);
  });

  it('refuses notes over the limit rather than cutting them short', () => {
    const notes = 'n'.repeat(NOTES_MAX + 1);
    const parsed = parseNewGoalForm(
      { areaCode: '2.1', targetLevel: '2', ...date('1', '6', '2026'), notes },
      rules,
    );
    expect(parsed.errors).toEqual([
      { field: 'notes', text: 'Notes must be 5,000 characters or fewer (you have 5,001)' },
    ]);
    expect(parsed.typed.notes).toBe(notes);
    // Windows line endings count once, as the person sees them.
    const lines = `${'n'.repeat(NOTES_MAX / 2 - 1)}\r\n${'n'.repeat(NOTES_MAX / 2)}`;
    expect(
      parseNewGoalForm(
        { areaCode: '2.1', targetLevel: '2', ...date('1', '6', '2026'), notes: lines },
        rules,
      ).errors,
    ).toEqual([]);
  });
});

describe('parseEditGoalForm', () => {
  const rules = { today: TODAY, currentTargetDate: '2026-01-01' };

  it('reads level, date, status and notes', () => {
    expect(
      parseEditGoalForm(
        { targetLevel: '4', ...date('1', '1', '2026'), status: 'done', notes: 'Done it' },
        rules,
      ).values,
    ).toEqual({ targetLevel: 4, targetDate: '2026-01-01', status: 'done', notes: 'Done it' });
  });

  it('needs a status from the list', () => {
    const parsed = parseEditGoalForm(
      { targetLevel: '2', ...date('1', '1', '2026'), status: 'finished' },
      rules,
    );
    expect(parsed.errors).toEqual([
      { field: 'status', text: 'Select how far you have got with this goal' },
    ]);
    expect(parsed.typed.status).toBe('finished');
  });
});

describe('parseReflectionForm', () => {
  it('needs both answers, trimmed, with a clear message for each', () => {
    expect(parseReflectionForm({ learned: ' ', use: '' }).errors).toEqual([
      { field: 'learned', text: 'Enter what you learned' },
      { field: 'use', text: 'Enter how you will use it' },
    ]);
    expect(parseReflectionForm({ learned: ' A \r\n B ', use: 'C' }).values).toEqual({
      learned: 'A \n B',
      use: 'C',
    });
  });

  it('refuses answers over the limit, saying how long they are, and keeps them', () => {
    const long = 'x'.repeat(REFLECTION_MAX + 10);
    const parsed = parseReflectionForm({ learned: long, use: 'fine' });
    expect(parsed.errors).toEqual([
      {
        field: 'learned',
        text: 'What you learned must be 2,000 characters or fewer (you have 2,010)',
      },
    ]);
    expect(parsed.typed.learned).toBe(long);
    expect(
      parseReflectionForm({ learned: 'x'.repeat(REFLECTION_MAX), use: 'fine' }).errors,
    ).toEqual([]);
  });

  it('takes the first of a field sent twice', () => {
    expect(parseReflectionForm({ learned: ['a', 'b'], use: 'c' }).values?.learned).toBe('a');
  });
});

describe('the small forms', () => {
  it('reads a resource status from the three', () => {
    expect(parseResourceStatusForm({ status: 'in_progress' })).toEqual({
      status: 'in_progress',
      errors: [],
    });
    expect(parseResourceStatusForm({ status: 'finished' }).errors[0]?.text).toBe(
      'Select a status for this learning',
    );
  });

  it('needs a resource to add', () => {
    expect(parseAttachForm({ resourceId: ' abc ' })).toEqual({ resourceId: 'abc', errors: [] });
    expect(parseAttachForm({}).errors[0]).toEqual({
      field: 'resourceId',
      text: 'Select the learning you want to add to this goal',
    });
  });

  it('reads "Add to my plan": a goal or a new goal for an area', () => {
    expect(parseAddResourceForm({ resource: 'r', goal: 'g' }).choice).toEqual({
      kind: 'goal',
      goalId: 'g',
    });
    expect(parseAddResourceForm({ resource: 'r', goal: 'new:6.2' }).choice).toEqual({
      kind: 'new',
      areaCode: '6.2',
    });
    expect(parseAddResourceForm({ resource: 'r' }).errors[0]?.text).toBe(
      'Select a goal to add this learning to',
    );
  });

  it('tidies search words and keeps them short', () => {
    expect(parseResourceSearch({ q: '  data   protection ' })).toBe('data protection');
    expect(parseResourceSearch({ q: 'x'.repeat(500) })).toHaveLength(100);
    expect(parseResourceSearch({})).toBe('');
  });
});
