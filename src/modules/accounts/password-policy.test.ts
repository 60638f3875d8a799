import { describe, expect, it } from 'vitest';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  checkNewPassword,
  passwordMessages,
} from './password-policy.js';

const jane = { email: 'Jane.Smith@nhs.net', name: 'Jane Smith' };

function refusal(password: string, context = {}): string | undefined {
  const result = checkNewPassword(password, context);
  return result.ok ? undefined : result.message;
}

/** Deterministic text with no repeating pattern and no common words in it. */
function unpatterned(length: number): string {
  let text = '';
  for (let i = 0; text.length < length; i++)
    text += ((i * 2_654_435_761) % 4_294_967_296).toString(36);
  return text.slice(0, length);
}

describe('checkNewPassword', () => {
  it('asks for a password when none is given', () => {
    expect(refusal('')).toBe(passwordMessages.missing);
  });

  describe('length', () => {
    it('refuses fewer than 12 characters and allows 12', () => {
      expect(refusal('kq7 vbz2 mw')).toBe(passwordMessages.tooShort);
      expect(passwordMessages.tooShort).toBe('Enter a password that is 12 characters or more');
      expect(checkNewPassword('kq7 vbz2 mwx', {})).toEqual({ ok: true });
    });

    it('counts Unicode code points, not UTF-16 units', () => {
      const eleven = '🐢🦊🐙🦉🐝🦋🐳🦒🐘🦔🐧';
      expect(eleven.length).toBe(22);
      expect(refusal(eleven)).toBe(passwordMessages.tooShort);
      expect(refusal(`${eleven}🦜`)).toBeUndefined();
      expect(refusal('ñandú çafé ü')).toBeUndefined();
      expect(refusal('ñandú çafé')).toBe(passwordMessages.tooShort);
    });

    it('allows 256 characters and refuses more, rather than truncating', () => {
      expect(refusal(unpatterned(PASSWORD_MAX_LENGTH))).toBeUndefined();
      expect(refusal(unpatterned(PASSWORD_MAX_LENGTH + 1))).toBe(passwordMessages.tooLong);
      expect(passwordMessages.tooLong).toBe('Enter a password that is 256 characters or fewer');
    });

    it('counts a long password of multi-unit characters by code points', () => {
      const emoji = Array.from('🐢🦊🐙🦉🐝🦋🐳🦒🐘🦔🐧🦜🐌🦀');
      const of = (n: number) => Array.from({ length: n }, (_, i) => emoji[(i * i) % 13]).join('');
      expect(refusal(of(PASSWORD_MAX_LENGTH))).toBeUndefined();
      expect(refusal(of(PASSWORD_MAX_LENGTH + 1))).toBe(passwordMessages.tooLong);
    });

    it('exports the limits', () => {
      expect(PASSWORD_MIN_LENGTH).toBe(12);
      expect(PASSWORD_MAX_LENGTH).toBe(256);
    });
  });

  describe('common passwords', () => {
    it.each([
      'password1234',
      'qwertyuiop12',
      '1qaz2wsx3edc',
      'PASSWORD1234',
      'Password123!',
      'Sunshine2024!!',
      '!!!football!!!',
      'LiverpoolFC 1892',
      'P4ssw0rd2024!',
      'pass word 1234',
      'sun-shine-2024',
    ])('refuses %j', (password) => {
      expect(refusal(password)).toBe(passwordMessages.common);
    });

    it('says why in plain words', () => {
      expect(passwordMessages.common).toBe(
        'Enter a password that is harder to guess: this one is on a list of common passwords',
      );
    });

    it.each([
      'correct horse battery staple',
      'Correct Horse Battery Staple',
      'correct-horse-battery-staple',
      'purple tractor mango lighthouse',
      'sunshine football monkey dragon',
    ])('allows the passphrase %j, made of common words', (password) => {
      expect(refusal(password)).toBeUndefined();
    });

    it('has no composition rules: lower-case letters alone are fine', () => {
      expect(refusal('mylittlegreenteapotinthesun')).toBeUndefined();
    });
  });

  describe('repetition', () => {
    it.each(['aaaaaaaaaaaa', 'abcabcabcabc', '121212121212', '            ', 'monkeymonkey'])(
      'refuses %j',
      (password) => {
        expect(refusal(password)).toBe(passwordMessages.repetitive);
      },
    );

    it('allows a repeated uncommon phrase', () => {
      expect(refusal('tractor mango tractor mango ')).toBeUndefined();
    });
  });

  describe('personal information', () => {
    it('refuses a password containing the email address, whatever its case', () => {
      expect(refusal('my email is jane.smith@nhs.net', jane)).toBe(passwordMessages.containsEmail);
      expect(refusal('JANE.SMITH@NHS.NET', jane)).toBe(passwordMessages.containsEmail);
      expect(passwordMessages.containsEmail).toBe(
        'Your password must not contain your email address',
      );
    });

    it('refuses the local part of the email address plus digits or symbols', () => {
      const context = { email: 'jsmith42@nhs.net' };
      expect(refusal('jsmith42jsmith42', context)).toBe(passwordMessages.basedOnEmail);
      expect(refusal('JSmith2024!!', context)).toBe(passwordMessages.basedOnEmail);
      expect(refusal('jsm1th-2024-!', context)).toBe(passwordMessages.basedOnEmail);
    });

    it('ignores a sub-address in the local part', () => {
      const context = { email: 'jsmith+digicap@nhs.net' };
      expect(refusal('jsmith123456', context)).toBe(passwordMessages.basedOnEmail);
    });

    it("refuses the person's name, in any order, plus digits or symbols", () => {
      expect(refusal('Jane Smith 1985!', jane)).toBe(passwordMessages.basedOnName);
      expect(refusal('SmithJane1985', jane)).toBe(passwordMessages.basedOnName);
      expect(refusal('janejanejane', jane)).toBe(passwordMessages.basedOnName);
      expect(refusal('J4ne5mith1985', jane)).toBe(passwordMessages.basedOnName);
    });

    it('refuses a mix of name and email address', () => {
      const context = { email: 'jsmith@nhs.net', name: 'Jane Doe' };
      expect(refusal('jsmith-jane-1985', context)).toBe(passwordMessages.basedOnPersonal);
    });

    it('allows a passphrase that happens to include a name', () => {
      expect(refusal('jane likes green tractors', jane)).toBeUndefined();
    });

    it('without a name or email address, checks only the rest', () => {
      expect(refusal('Jane Smith 1985!')).toBeUndefined();
      expect(refusal('Jane Smith 1985!', { name: '', email: '' })).toBeUndefined();
    });

    it('ignores single letters of a name', () => {
      expect(refusal('kq7 vbz2 mwx J', { name: 'J Q' })).toBeUndefined();
    });
  });

  describe('the service name', () => {
    it.each(['digicap12345', 'NHS123456789', 'nhs-digicap-2024', 'D1g1cap!2024'])(
      'refuses %j',
      (password) => {
        expect(refusal(password)).toBe(passwordMessages.basedOnService);
      },
    );

    it('allows a phrase that mentions the NHS', () => {
      expect(refusal('NHS nurse of the year 2024')).toBeUndefined();
    });
  });
});
