/** Form parsers for the invitation pages: request body → typed values or field errors. */
import { csvFileOf } from '../../platform/csv-upload.js';
import { type FieldError, values } from '../../platform/forms.js';
import { fullNameProblem } from '../accounts/index.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const first = (raw: unknown) => values(raw)[0] ?? '';
const record = (body: unknown) =>
  body && typeof body === 'object' ? (body as Record<string, unknown>) : {};

export interface InviteFormValues {
  email: string;
  displayName: string;
  professionCode: string;
  unitId: string;
  roles: string[];
}

export function parseInviteForm(body: unknown): { values: InviteFormValues; errors: FieldError[] } {
  const b = record(body);
  const v: InviteFormValues = {
    email: first(b.email).trim(),
    displayName: first(b.displayName).trim(),
    professionCode: first(b.professionCode).trim(),
    unitId: first(b.unitId).trim(),
    roles: values(b.roles),
  };
  const errors: FieldError[] = [];
  if (!v.email) errors.push({ field: 'email', text: 'Enter their email address' });
  else if (!EMAIL.test(v.email) || v.email.length > 320)
    errors.push({
      field: 'email',
      text: 'Enter an email address in the correct format, like name@example.com',
    });
  if (!v.displayName) errors.push({ field: 'displayName', text: 'Enter their full name' });
  else if (v.displayName.length > 200)
    errors.push({ field: 'displayName', text: 'Full name must be 200 characters or fewer' });
  if (v.roles.length === 0) errors.push({ field: 'roles', text: 'Select at least one role' });
  else if (v.roles.includes('line_manager') && !v.unitId)
    errors.push({ field: 'unitId', text: 'Select the unit a line manager manages' });
  return { values: v, errors };
}

export interface AcceptAccountValues {
  displayName: string;
  password: string;
}

export function parseAcceptAccountForm(body: unknown): {
  values: AcceptAccountValues;
  errors: FieldError[];
} {
  const b = record(body);
  const v = { displayName: first(b.displayName).trim(), password: first(b.password) };
  const errors: FieldError[] = [];
  const nameProblem = fullNameProblem(v.displayName);
  if (nameProblem) errors.push({ field: 'displayName', text: nameProblem });
  if (!v.password) errors.push({ field: 'password', text: 'Enter a password' });
  return { values: v, errors };
}

/** The roster upload form: one CSV file in the `file` field. */
export function parseRosterUpload(body: unknown) {
  return csvFileOf(record(body).file);
}
