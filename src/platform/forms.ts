/**
 * Helpers every form parser uses. @fastify/formbody and the query-string parser give a string
 * for one value and an array for several: `values()` normalises both.
 */
export interface FieldError {
  /** The field's name, also the id the error summary links to. */
  field: string;
  text: string;
}

export function values(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((v): v is string => typeof v === 'string');
}

/** NHS.UK error-summary items for a list of field errors. */
export function errorSummaryItems(errors: FieldError[]): { text: string; href: string }[] {
  return errors.map((e) => ({ text: e.text, href: `#${e.field}` }));
}

/** Inline error message for one field, in the shape nhsuk macros take, or undefined. */
export function errorMessageFor(errors: FieldError[], field: string): { text: string } | undefined {
  const error = errors.find((e) => e.field === field);
  return error ? { text: error.text } : undefined;
}

/**
 * The options that make an NHS.UK character count of a textarea with at most `max` characters:
 * without JavaScript it says the limit; with it, it counts down as the person types. It never
 * sets the HTML maxlength, so nothing typed or pasted is cut off silently: the server's check
 * says how many characters too many there are.
 */
export function characterLimit(max: number): {
  maxlength: number;
  textareaDescriptionText: string;
} {
  return {
    maxlength: max,
    textareaDescriptionText: `You can enter up to ${max.toLocaleString('en-GB')} characters`,
  };
}

/**
 * Items for the NHS.UK select macro: a first "none" item (an empty value), then each option, with
 * `selected` (a value, or null or undefined for none) marked.
 */
export function selectItems(
  noneText: string,
  selected: string | null | undefined,
  options: readonly { value: string; text: string }[],
): { value: string; text: string; selected: boolean }[] {
  return [
    { value: '', text: noneText, selected: !selected },
    ...options.map((o) => ({ value: o.value, text: o.text, selected: o.value === selected })),
  ];
}

/** Select options for a list of coded things ({ code, name }), by name. */
export const codeOptions = (list: readonly { code: string; name: string }[]) =>
  list.map((x) => ({ value: x.code, text: x.name }));

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

/**
 * Where to send someone after signing in: only a path on this site ("/invitations/…"), never
 * another site ("//evil.example", "https://…", "/\\evil.example"). Anything else gives undefined.
 */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(value)) return undefined;
  return value;
}
