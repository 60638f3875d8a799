/** Form parsers for registering and signing in: request body → values or field errors. */
import { type FieldError, values } from '../../platform/forms.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const first = (raw: unknown) => values(raw)[0] ?? '';

export interface RegisterValues {
  displayName: string;
  email: string;
  password: string;
}

/** The problem with a person's own full name, or undefined when it is fine. */
export function fullNameProblem(displayName: string): string | undefined {
  if (!displayName) return 'Enter your full name';
  if (displayName.length > 200) return 'Full name must be 200 characters or fewer';
  return undefined;
}

export function parseRegisterForm(body: unknown): { values: RegisterValues; errors: FieldError[] } {
  const b = (body ?? {}) as Record<string, unknown>;
  const v = {
    displayName: first(b.displayName).trim(),
    email: first(b.email).trim(),
    password: first(b.password),
  };
  const errors: FieldError[] = [];
  const nameProblem = fullNameProblem(v.displayName);
  if (nameProblem) errors.push({ field: 'displayName', text: nameProblem });
  if (!v.email) errors.push({ field: 'email', text: 'Enter your email address' });
  else if (!EMAIL.test(v.email) || v.email.length > 320) {
    errors.push({
      field: 'email',
      text: 'Enter an email address in the correct format, like name@example.com',
    });
  }
  if (!v.password) errors.push({ field: 'password', text: 'Enter a password' });
  return { values: v, errors };
}

export function parseEmailOnlyForm(body: unknown): {
  values: { email: string };
  errors: FieldError[];
} {
  const email = first(((body ?? {}) as Record<string, unknown>).email).trim();
  const errors: FieldError[] = [];
  if (!email) errors.push({ field: 'email', text: 'Enter your email address' });
  else if (!EMAIL.test(email)) {
    errors.push({
      field: 'email',
      text: 'Enter an email address in the correct format, like name@example.com',
    });
  }
  return { values: { email }, errors };
}

export function parseNewPasswordForm(body: unknown): {
  values: { password: string };
  errors: FieldError[];
} {
  const password = first(((body ?? {}) as Record<string, unknown>).password);
  return {
    values: { password },
    errors: password ? [] : [{ field: 'password', text: 'Enter a new password' }],
  };
}

export function parseChangePasswordForm(body: unknown): {
  values: { currentPassword: string; newPassword: string };
  errors: FieldError[];
} {
  const b = (body ?? {}) as Record<string, unknown>;
  const values = { currentPassword: first(b.currentPassword), newPassword: first(b.newPassword) };
  const errors: FieldError[] = [];
  if (!values.currentPassword)
    errors.push({ field: 'currentPassword', text: 'Enter your current password' });
  if (!values.newPassword) errors.push({ field: 'newPassword', text: 'Enter a new password' });
  return { values, errors };
}

export interface SignInValues {
  email: string;
  password: string;
}

export function parseSignInForm(body: unknown): { values: SignInValues; errors: FieldError[] } {
  const b = (body ?? {}) as Record<string, unknown>;
  const v = { email: first(b.email).trim(), password: first(b.password) };
  const errors: FieldError[] = [];
  if (!v.email) errors.push({ field: 'email', text: 'Enter your email address' });
  if (!v.password) errors.push({ field: 'password', text: 'Enter your password' });
  return { values: v, errors };
}
