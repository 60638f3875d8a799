/**
 * Arguments for the NHS.UK input macro for the fields of an account that more than one page asks
 * for: the person's full name and passwords. Other modules (an invitation's "create an account"
 * form) use them through index.ts, so every such form looks and behaves the same.
 */
import { errorMessageFor, type FieldError } from '../../platform/forms.js';

export const NEW_PASSWORD_HINT =
  '12 characters or more. Three or four unrelated words make a strong password that is easy to remember.';

/** A password field (never given a value back). */
export function passwordArgs(
  id: string,
  label: string,
  errors: FieldError[],
  autocomplete: string,
  hint?: string,
) {
  return {
    id,
    name: id,
    type: 'password',
    label: { text: label },
    hint: hint ? { text: hint } : undefined,
    autocomplete,
    errorMessage: errorMessageFor(errors, id),
  };
}

/** The password of a new account, with the policy in the hint. */
export const newAccountPasswordArgs = (errors: FieldError[]) =>
  passwordArgs('password', 'Create a password', errors, 'new-password', NEW_PASSWORD_HINT);

/** A person's own full name (`displayName`). */
export function fullNameArgs(value: string | undefined, errors: FieldError[]) {
  return {
    id: 'displayName',
    name: 'displayName',
    label: { text: 'Full name' },
    autocomplete: 'name',
    spellcheck: false,
    value,
    errorMessage: errorMessageFor(errors, 'displayName'),
  };
}
