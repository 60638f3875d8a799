/**
 * The development plan's forms: request body → typed values, or field errors and the values as
 * typed, so that a page re-rendered with errors shows everything the person entered. Long text
 * is never cut short: over the limit is an error saying so. Line endings are counted as one
 * character (browsers send CRLF; the character count counts a new line once).
 */
import { type FieldError, values } from '../../platform/forms.js';
import { addMonths, parseIsoDate } from './plans.dates.js';
import { isPlanStatus, type PlanStatus } from './plans.repository.js';

export const NOTES_MAX = 5000;
export const REFLECTION_MAX = 2000;
export const SEARCH_MAX = 100;
/** Target dates may be set up to this many years ahead. */
export const TARGET_YEARS_AHEAD = 5;

const fields = (body: unknown) =>
  body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
/** A single-line field: the first value sent, trimmed. */
const one = (raw: unknown) => (values(raw)[0] ?? '').trim();
/** A multi-line field: the first value sent, with CRLF as LF; not trimmed (it is kept as typed). */
const multiline = (raw: unknown) => (values(raw)[0] ?? '').replace(/\r\n?/g, '\n');

const thousands = (n: number) => n.toLocaleString('en-GB');

export type DatePart = 'day' | 'month' | 'year';

/** The target date as typed, its parsed value, and which parts to mark when it is wrong. */
export interface DateField {
  typed: { day: string; month: string; year: string };
  value: string | undefined;
  /** Parts with a problem (all three for "not a real date"). */
  invalidParts: DatePart[];
}

/**
 * The date input's three parts → YYYY-MM-DD, with GOV.UK-style messages. `earliest` (today)
 * applies unless the date is `unchanged` (an overdue goal keeps its date while edited).
 */
export function parseTargetDate(
  body: unknown,
  rules: { today: string; unchanged?: string | undefined },
): { field: DateField; error?: FieldError } {
  const b = fields(body);
  const typed = {
    day: one(b['targetDate-day']),
    month: one(b['targetDate-month']),
    year: one(b['targetDate-year']),
  };
  const fail = (parts: DatePart[], text: string) => ({
    field: { typed, value: undefined, invalidParts: parts },
    error: { field: `targetDate-${parts[0] ?? 'day'}`, text },
  });
  const missing = (['day', 'month', 'year'] as const).filter((p) => typed[p] === '');
  if (missing.length === 3) return fail(['day', 'month', 'year'], 'Enter a target date');
  if (missing.length > 0)
    return fail(missing, `Target date must include a ${missing.join(' and a ')}`);
  if (!/^\d{1,2}$/.test(typed.day) || !/^\d{1,2}$/.test(typed.month) || !/^\d+$/.test(typed.year))
    return fail(['day', 'month', 'year'], 'Target date must be a real date');
  if (!/^\d{4}$/.test(typed.year)) return fail(['year'], 'Year must include 4 numbers');
  const value = `${typed.year}-${typed.month.padStart(2, '0')}-${typed.day.padStart(2, '0')}`;
  if (!parseIsoDate(value))
    return fail(['day', 'month', 'year'], 'Target date must be a real date');
  if (value !== rules.unchanged) {
    if (value < rules.today)
      return fail(['day', 'month', 'year'], 'Target date must be today or in the future');
    if (value > addMonths(rules.today, 12 * TARGET_YEARS_AHEAD))
      return fail(
        ['day', 'month', 'year'],
        `Target date must be within ${String(TARGET_YEARS_AHEAD)} years from today`,
      );
  }
  return { field: { typed, value, invalidParts: [] } };
}

function parseTargetLevel(raw: unknown): { typed: string; value?: number; error?: FieldError } {
  const typed = one(raw);
  const value = Number(typed);
  if (!/^[1-4]$/.test(typed))
    return {
      typed,
      error: { field: 'targetLevel', text: 'Select the level you want to reach' },
    };
  return { typed, value };
}

function parseNotes(raw: unknown): { typed: string; error?: FieldError } {
  const typed = multiline(raw);
  if (typed.trim().length > NOTES_MAX)
    return {
      typed,
      error: {
        field: 'notes',
        text: `Notes must be ${thousands(NOTES_MAX)} characters or fewer (you have ${thousands(typed.trim().length)})`,
      },
    };
  return { typed };
}

/** What the new-goal form sent, as typed. */
export interface NewGoalTyped {
  areaCode: string;
  targetLevel: string;
  targetDate: DateField;
  notes: string;
  /** The assessment whose gap this goal comes from (hidden field), if any. */
  from: string;
  /** A resource to add to the new goal once made (hidden field, from "Add to my plan"). */
  resource: string;
}

export interface NewGoalValues {
  areaCode: string;
  targetLevel: number;
  targetDate: string;
  notes: string;
  from: string;
  resource: string;
}

export function parseNewGoalForm(
  body: unknown,
  rules: { areaCodes: ReadonlySet<string>; today: string },
): { typed: NewGoalTyped; errors: FieldError[]; values?: NewGoalValues } {
  const b = fields(body);
  const errors: FieldError[] = [];
  const areaCode = one(b.areaCode);
  if (areaCode === '') errors.push({ field: 'areaCode', text: 'Select an area' });
  else if (!rules.areaCodes.has(areaCode))
    errors.push({ field: 'areaCode', text: 'Select an area from the list' });
  const level = parseTargetLevel(b.targetLevel);
  if (level.error) errors.push(level.error);
  const date = parseTargetDate(body, { today: rules.today });
  if (date.error) errors.push(date.error);
  const notes = parseNotes(b.notes);
  if (notes.error) errors.push(notes.error);
  const typed: NewGoalTyped = {
    areaCode,
    targetLevel: level.typed,
    targetDate: date.field,
    notes: notes.typed,
    from: one(b.from),
    resource: one(b.resource),
  };
  if (errors.length > 0 || level.value === undefined || date.field.value === undefined)
    return { typed, errors };
  return {
    typed,
    errors,
    values: {
      areaCode,
      targetLevel: level.value,
      targetDate: date.field.value,
      notes: notes.typed.trim(),
      from: typed.from,
      resource: typed.resource,
    },
  };
}

export interface EditGoalTyped {
  targetLevel: string;
  targetDate: DateField;
  status: string;
  notes: string;
}

export interface EditGoalValues {
  targetLevel: number;
  targetDate: string;
  status: PlanStatus;
  notes: string;
}

/** The edit form: level, date (a past date may stay as it was), status and notes. */
export function parseEditGoalForm(
  body: unknown,
  rules: { today: string; currentTargetDate: string },
): { typed: EditGoalTyped; errors: FieldError[]; values?: EditGoalValues } {
  const b = fields(body);
  const errors: FieldError[] = [];
  const level = parseTargetLevel(b.targetLevel);
  if (level.error) errors.push(level.error);
  const date = parseTargetDate(body, { today: rules.today, unchanged: rules.currentTargetDate });
  if (date.error) errors.push(date.error);
  const status = one(b.status);
  if (!isPlanStatus(status))
    errors.push({ field: 'status', text: 'Select how far you have got with this goal' });
  const notes = parseNotes(b.notes);
  if (notes.error) errors.push(notes.error);
  const typed = {
    targetLevel: level.typed,
    targetDate: date.field,
    status,
    notes: notes.typed,
  };
  if (
    errors.length > 0 ||
    level.value === undefined ||
    date.field.value === undefined ||
    !isPlanStatus(status)
  )
    return { typed, errors };
  return {
    typed,
    errors,
    values: {
      targetLevel: level.value,
      targetDate: date.field.value,
      status,
      notes: notes.typed.trim(),
    },
  };
}

export interface ReflectionTyped {
  learned: string;
  use: string;
}

/** "What did you learn?" and "How will you use it?": both needed, each up to REFLECTION_MAX. */
export function parseReflectionForm(body: unknown): {
  typed: ReflectionTyped;
  errors: FieldError[];
  values?: ReflectionTyped;
} {
  const b = fields(body);
  const typed = { learned: multiline(b.learned), use: multiline(b.use) };
  const errors: FieldError[] = [];
  const check = (field: 'learned' | 'use', empty: string, name: string) => {
    const length = typed[field].trim().length;
    if (length === 0) errors.push({ field, text: empty });
    else if (length > REFLECTION_MAX)
      errors.push({
        field,
        text: `${name} must be ${thousands(REFLECTION_MAX)} characters or fewer (you have ${thousands(length)})`,
      });
  };
  check('learned', 'Enter what you learned', 'What you learned');
  check('use', 'Enter how you will use it', 'How you will use it');
  if (errors.length > 0) return { typed, errors };
  return { typed, errors, values: { learned: typed.learned.trim(), use: typed.use.trim() } };
}

/** A resource's status, from the goal page's select: any of the three (done asks for a reflection). */
export function parseResourceStatusForm(body: unknown): {
  status?: PlanStatus;
  errors: FieldError[];
} {
  const status = one(fields(body).status);
  if (!isPlanStatus(status))
    return { errors: [{ field: 'status', text: 'Select a status for this learning' }] };
  return { status, errors: [] };
}

/** Adding a resource to a goal: its id (from the goal page's list, or "Add to my plan"). */
export function parseAttachForm(body: unknown): { resourceId: string; errors: FieldError[] } {
  const resourceId = one(fields(body).resourceId);
  return {
    resourceId,
    errors:
      resourceId === ''
        ? [{ field: 'resourceId', text: 'Select the learning you want to add to this goal' }]
        : [],
  };
}

/** "Add to my plan": which goal, or a new goal for one of the resource's areas ("new:<area>"). */
export type AddResourceChoice =
  { kind: 'goal'; goalId: string } | { kind: 'new'; areaCode: string };

export function parseAddResourceForm(body: unknown): {
  resource: string;
  choice?: AddResourceChoice;
  typed: string;
  errors: FieldError[];
} {
  const b = fields(body);
  const resource = one(b.resource);
  const typed = one(b.goal);
  if (typed === '')
    return {
      resource,
      typed,
      errors: [{ field: 'goal', text: 'Select a goal to add this learning to' }],
    };
  const choice: AddResourceChoice = typed.startsWith('new:')
    ? { kind: 'new', areaCode: typed.slice(4) }
    : { kind: 'goal', goalId: typed };
  return { resource, typed, choice, errors: [] };
}

/** Words to search the catalogue for on the goal page (?q=), at most SEARCH_MAX characters. */
export function parseResourceSearch(query: unknown): string {
  const q = one(fields(query).q).replace(/\s+/g, ' ');
  return q.slice(0, SEARCH_MAX);
}
