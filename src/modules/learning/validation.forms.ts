/**
 * The validation forms: request body → typed values, or field errors and the values as typed, so
 * that a page re-rendered with errors shows everything the person entered. Long text is never
 * cut short: over the limit is an error saying so. Whether the person chosen may be asked, and
 * whether the evidence is the person's own, only the service can tell (ValidationFieldError).
 */
import { type FieldError, values } from '../../platform/forms.js';

export const MESSAGE_MAX = 2000;
export const COMMENT_MAX = 2000;

const fields = (body: unknown) =>
  body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
/** A single-line field: the first value sent, trimmed. */
const one = (raw: unknown) => (values(raw)[0] ?? '').trim();
/** A multi-line field: the first value sent, with CRLF as LF; kept as typed. */
const multiline = (raw: unknown) => (values(raw)[0] ?? '').replace(/\r\n?/g, '\n');
const thousands = (n: number) => n.toLocaleString('en-GB');

function tooLong(field: string, label: string, text: string, max: number): FieldError | undefined {
  const length = text.trim().length;
  return length > max
    ? {
        field,
        text: `${label} must be ${thousands(max)} characters or fewer (you have ${thousands(length)})`,
      }
    : undefined;
}

/** What the ask form sent, as typed. */
export interface AskTyped {
  areaCode: string;
  claimedLevel: string;
  validator: string;
  message: string;
  evidence: string[];
}

export interface AskValues {
  areaCode: string;
  claimedLevel: number;
  validatorPersonId: string;
  message: string;
  evidenceIds: string[];
}

/** The ask form: area, level claimed (1–4), who, an optional message, evidence (optional). */
export function parseAskForm(
  body: unknown,
  rules: { areaCodes: ReadonlySet<string> },
): { typed: AskTyped; errors: FieldError[]; values?: AskValues } {
  const b = fields(body);
  const typed: AskTyped = {
    areaCode: one(b.areaCode),
    claimedLevel: one(b.claimedLevel),
    validator: one(b.validator),
    message: multiline(b.message),
    // One ticked box arrives as a string, several as an array; the same one twice counts once.
    evidence: [...new Set(values(b.evidence).map((v) => v.trim()))].filter((v) => v !== ''),
  };
  const errors: FieldError[] = [];
  if (typed.areaCode === '') errors.push({ field: 'areaCode', text: 'Select an area' });
  else if (!rules.areaCodes.has(typed.areaCode))
    errors.push({ field: 'areaCode', text: 'Select an area from the list' });
  if (!/^[1-4]$/.test(typed.claimedLevel))
    errors.push({ field: 'claimedLevel', text: 'Select the level you want validated' });
  if (typed.validator === '')
    errors.push({ field: 'validator', text: 'Select who to ask to validate your level' });
  const message = tooLong('message', 'Your message', typed.message, MESSAGE_MAX);
  if (message) errors.push(message);
  if (errors.length > 0) return { typed, errors };
  return {
    typed,
    errors,
    values: {
      areaCode: typed.areaCode,
      claimedLevel: Number(typed.claimedLevel),
      validatorPersonId: typed.validator,
      message: typed.message.trim(),
      evidenceIds: typed.evidence,
    },
  };
}

export type DecisionOutcome = 'validated' | 'returned';

export interface DecisionTyped {
  outcome: string;
  comment: string;
}

export interface DecisionValues {
  outcome: DecisionOutcome;
  /** Needed to return a request; optional when confirming (null when none). */
  comment: string | null;
}

/** The decision form: confirm, or return with a comment (a comment is needed to return). */
export function parseDecisionForm(body: unknown): {
  typed: DecisionTyped;
  errors: FieldError[];
  values?: DecisionValues;
} {
  const b = fields(body);
  const typed: DecisionTyped = { outcome: one(b.outcome), comment: multiline(b.comment) };
  const errors: FieldError[] = [];
  const outcome =
    typed.outcome === 'validated' || typed.outcome === 'returned' ? typed.outcome : undefined;
  if (!outcome)
    errors.push({ field: 'outcome', text: 'Select whether you confirm the level or return it' });
  const comment = typed.comment.trim();
  const long = tooLong('comment', 'Your comment', typed.comment, COMMENT_MAX);
  if (long) errors.push(long);
  else if (outcome === 'returned' && comment === '')
    errors.push({
      field: 'comment',
      text: 'Enter a comment saying why you are returning it and what would help',
    });
  if (errors.length > 0 || !outcome) return { typed, errors };
  return { typed, errors, values: { outcome, comment: comment === '' ? null : comment } };
}
