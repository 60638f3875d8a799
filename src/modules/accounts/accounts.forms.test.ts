import { describe, expect, it } from 'vitest';
import { parseRegisterForm, parseSignInForm } from './accounts.forms.js';

describe('parseRegisterForm', () => {
  it('trims names and emails but never the password', () => {
    expect(
      parseRegisterForm({ displayName: ' Ada ', email: ' a@b.org ', password: ' pass ' }),
    ).toEqual({
      values: { displayName: 'Ada', email: 'a@b.org', password: ' pass ' },
      errors: [],
    });
  });

  it('names each missing or malformed field', () => {
    expect(parseRegisterForm({}).errors).toEqual([
      { field: 'displayName', text: 'Enter your full name' },
      { field: 'email', text: 'Enter your email address' },
      { field: 'password', text: 'Enter a password' },
    ]);
    expect(
      parseRegisterForm({ displayName: 'A', email: 'not-an-email', password: 'x' }).errors,
    ).toEqual([
      {
        field: 'email',
        text: 'Enter an email address in the correct format, like name@example.com',
      },
    ]);
  });

  it('takes the first value when a field is repeated', () => {
    expect(
      parseRegisterForm({ displayName: ['One', 'Two'], email: 'a@b.org', password: 'p' }).values
        .displayName,
    ).toBe('One');
  });
});

describe('parseSignInForm', () => {
  it('asks for both fields', () => {
    expect(parseSignInForm({ email: ' ', password: '' }).errors.map((e) => e.field)).toEqual([
      'email',
      'password',
    ]);
  });
});
