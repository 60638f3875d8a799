/**
 * What a new password must be, in line with NCSC guidance: long enough, not on a list of common
 * passwords, not based on the person's own name or email address; no composition rules (no
 * required digits, capitals or symbols) and no silent truncation.
 *
 * Comparisons are made on a normalised form (Unicode NFKC, lower case) and on a few simple
 * variants that people reach for to get past a list: digits or symbols added at either end
 * ("Password123!"), spaces or separators between words ("pass word 1234"), common character
 * swaps ("P4ssw0rd") and repetition ("monkeymonkey"). A passphrase of several ordinary words
 * ("correct horse battery staple") passes, because the phrase as a whole is not common.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

/** Counted in Unicode code points, so an emoji or an accented letter counts as one. */
export const PASSWORD_MIN_LENGTH = 12;
/** Longer passwords are refused with a message rather than truncated. */
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordCheck = { ok: true } | { ok: false; message: string };

export interface PasswordContext {
  email?: string;
  name?: string;
}

export const passwordMessages = {
  missing: 'Enter a password',
  tooShort: `Enter a password that is ${PASSWORD_MIN_LENGTH} characters or more`,
  tooLong: `Enter a password that is ${PASSWORD_MAX_LENGTH} characters or fewer`,
  containsEmail: 'Your password must not contain your email address',
  basedOnEmail: 'Enter a password that is harder to guess: do not base it on your email address',
  basedOnName: 'Enter a password that is harder to guess: do not base it on your name',
  basedOnPersonal:
    'Enter a password that is harder to guess: do not base it on your name or email address',
  basedOnService:
    'Enter a password that is harder to guess: do not base it on the words digicap or NHS',
  common: 'Enter a password that is harder to guess: this one is on a list of common passwords',
  repetitive:
    'Enter a password that is harder to guess: do not repeat the same characters or words',
} as const;

/** Words the service's own users would reach for first. */
const SERVICE_WORDS = ['digicap', 'nhs'];

/** A repeated unit this short (code points) is never a real password: "aaaa…", "abcabc…". */
const SHORT_REPEATED_UNIT = 3;

let commonPasswords: Set<string> | undefined;

/** The bundled list (~49,000 lower-case entries), built into a Set on first use. */
function isCommon(candidate: string): boolean {
  commonPasswords ??= new Set(dictionary['passwords-common']);
  return commonPasswords.has(candidate);
}

export function checkNewPassword(password: string, context: PasswordContext = {}): PasswordCheck {
  const length = codePoints(password);
  if (length === 0) return refuse(passwordMessages.missing);
  if (length < PASSWORD_MIN_LENGTH) return refuse(passwordMessages.tooShort);
  if (length > PASSWORD_MAX_LENGTH) return refuse(passwordMessages.tooLong);

  const normalised = normalise(password);

  const personal = checkPersonal(normalised, context);
  if (personal) return refuse(personal);

  const variants = guessableVariants(normalised);
  if (variants.some(isCommon)) return refuse(passwordMessages.common);
  if (variants.some(isRepetitive)) return refuse(passwordMessages.repetitive);

  return { ok: true };
}

/** Length in Unicode code points: "🦜" and "é" count as one each. */
function codePoints(text: string): number {
  return Array.from(text).length;
}

function refuse(message: string): PasswordCheck {
  return { ok: false, message };
}

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Everything but letters (and their combining marks) removed: "Jane.Smith-2024!" → "janesmith". */
function lettersOnly(text: string): string {
  return text.replace(/[^\p{L}\p{M}]+/gu, '');
}

/** Digits, symbols, punctuation and spaces removed from both ends. */
function stripEnds(text: string): string {
  return text.replace(/^[^\p{L}\p{M}]+|[^\p{L}\p{M}]+$/gu, '');
}

/** Spaces and the usual word separators removed: "pass word" → "password". */
function compact(text: string): string {
  return text.replace(/[\s._-]+/gu, '');
}

const SWAPS: Readonly<Record<string, string>> = {
  '@': 'a',
  '4': 'a',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
};

/** Common look-alike swaps undone: "p4ssw0rd" → "password". */
function unswap(text: string): string {
  return text.replace(/[@43!10$57]/g, (c) => SWAPS[c] ?? c);
}

/** The forms of a password that we compare with the common list. */
function guessableVariants(normalised: string): string[] {
  const variants = new Set<string>();
  for (const form of [normalised, compact(normalised)]) {
    const stripped = stripEnds(form);
    variants.add(form);
    variants.add(stripped);
    variants.add(unswap(stripped));
  }
  variants.delete('');
  return [...variants];
}

/** True when the text is one unit repeated, and the unit is very short or itself common. */
function isRepetitive(text: string): boolean {
  const period = (text + text).indexOf(text, 1);
  if (period <= 0 || period >= text.length) return false;
  const unit = text.slice(0, period);
  return (
    codePoints(unit) <= SHORT_REPEATED_UNIT ||
    isCommon(unit) ||
    isCommon(stripEnds(unit)) ||
    isCommon(unswap(stripEnds(unit)))
  );
}

/**
 * Refuses a password that contains the email address, or whose letters are made up only of the
 * person's name, their email address's local part, or the service's own words (so "Jane Smith
 * 1985", "jsmith2024!!" and "digicap12345" are refused, but a passphrase that happens to include
 * a first name is not).
 */
function checkPersonal(normalised: string, context: PasswordContext): string | undefined {
  const email = normalise(context.email?.trim() ?? '');
  if (email.includes('@') && normalised.includes(email)) return passwordMessages.containsEmail;

  const localPart = email.includes('@') ? email.slice(0, email.lastIndexOf('@')) : email;
  const emailWords = words(localPart.split('+')[0] ?? '');
  const nameWords = words(normalise(context.name ?? ''));

  const letters = [lettersOnly(normalised), lettersOnly(unswap(stripEnds(normalised)))];
  const basedOn = (tokens: string[]): boolean =>
    letters.some((text) => isMadeOf(text, [...tokens, ...SERVICE_WORDS]));

  if (basedOn([])) return passwordMessages.basedOnService;
  if (basedOn(nameWords)) return passwordMessages.basedOnName;
  if (basedOn(emailWords)) return passwordMessages.basedOnEmail;
  if (basedOn([...nameWords, ...emailWords])) return passwordMessages.basedOnPersonal;
  return undefined;
}

/** The words of a name or local part, and the whole of it run together; single letters dropped. */
function words(text: string): string[] {
  const parts = text.split(/[^\p{L}\p{M}]+/u);
  return [...parts, lettersOnly(text)].filter((word) => codePoints(word) >= 2);
}

/** True when `text` is non-empty and can be split entirely into the given tokens. */
function isMadeOf(text: string, tokens: string[]): boolean {
  if (text === '') return false;
  const reachable = new Array<boolean>(text.length + 1).fill(false);
  reachable[0] = true;
  for (let start = 0; start < text.length; start++) {
    if (!reachable[start]) continue;
    for (const token of tokens) {
      if (text.startsWith(token, start)) reachable[start + token.length] = true;
    }
  }
  return reachable[text.length] === true;
}
