/**
 * Calendar dates for development plans. Target dates are dates (YYYY-MM-DD), not instants; which
 * day "today" is, is decided in UK time, so that a goal due "today" is due all day long in the
 * UK whatever the server's time zone. Pure.
 */

export const PLAN_TIME_ZONE = 'Europe/London';

/** A goal is "due soon" (and gets a "due" reminder) this many days before its target date. */
export const DUE_SOON_DAYS = 7;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today's date in the UK, as YYYY-MM-DD. */
export function todayIn(now: Date, timeZone = PLAN_TIME_ZONE): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** The date as a UTC midnight, or undefined when it is not a real YYYY-MM-DD date. */
export function parseIsoDate(value: string): Date | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  )
    return undefined;
  return date;
}

const iso = (date: Date) => date.toISOString().slice(0, 10);

function mustParse(value: string): Date {
  const date = parseIsoDate(value);
  if (!date) throw new RangeError(`Not a date: ${value}`);
  return date;
}

export function addDays(value: string, days: number): string {
  const date = mustParse(value);
  date.setUTCDate(date.getUTCDate() + days);
  return iso(date);
}

/** The same day `months` later, or the month's last day when it has no such day (31 Jan + 1). */
export function addMonths(value: string, months: number): string {
  const date = mustParse(value);
  const day = date.getUTCDate();
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return iso(target);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((mustParse(to).getTime() - mustParse(from).getTime()) / 86_400_000);
}

/** "12 March 2026". */
export function formatPlanDate(value: string): string {
  const date = parseIsoDate(value);
  if (!date) return value;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(date);
}

/** "12 March 2026" for an instant, in UK time. */
export function formatInstantDate(value: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: PLAN_TIME_ZONE,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(value);
}

export type Due = 'overdue' | 'due' | 'later';

/** Whether a goal not yet done is overdue, due soon (within DUE_SOON_DAYS) or due later. */
export function dueness(targetDate: string, today: string): Due {
  if (targetDate < today) return 'overdue';
  return daysBetween(today, targetDate) <= DUE_SOON_DAYS ? 'due' : 'later';
}

/** The date's parts as a person types them into the date input ("7", "3", "2026"). */
export function dateParts(value: string): { day: string; month: string; year: string } {
  const date = parseIsoDate(value);
  if (!date) return { day: '', month: '', year: '' };
  return {
    day: String(date.getUTCDate()),
    month: String(date.getUTCMonth() + 1),
    year: String(date.getUTCFullYear()),
  };
}
