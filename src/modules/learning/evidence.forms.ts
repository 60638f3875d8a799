/**
 * Form parsers for the evidence pages: request body → typed values or field errors. Which areas
 * and statements exist comes in as `choices` (from the framework's latest version), so these stay
 * pure. Everything typed is kept in `values`, so a page with errors shows it again.
 */
import { type FieldError, values as valuesOf } from '../../platform/forms.js';
import type { EvidenceKind } from './evidence.repository.js';
import { parseReflectionForm } from './plans.forms.js';

/** The kinds a person adds here; reflections are written from the development plan. */
export type AddableKind = Exclude<EvidenceKind, 'reflection'>;
export const ADDABLE_KINDS: readonly AddableKind[] = ['note', 'link', 'file'];

export const isAddableKind = (value: unknown): value is AddableKind =>
  typeof value === 'string' && (ADDABLE_KINDS as readonly string[]).includes(value);

export const TITLE_MAX = 200;
export const TEXT_MAX = 20_000;
export const URL_MAX = 2_000;

/** The framework's areas and which area each statement belongs to. */
export interface EvidenceChoices {
  areaCodes: ReadonlySet<string>;
  /** Statement id → its area code. */
  statementArea: ReadonlyMap<string, string>;
}

const first = (raw: unknown) => valuesOf(raw)[0] ?? '';
const record = (body: unknown) =>
  body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
/** Line endings as the browser sent them become \n; nothing else is changed but the ends. */
const text = (raw: unknown) => first(raw).replace(/\r\n?/g, '\n').trim();

// --- Step 1: what is it about, and what kind ------------------------------------------------

export interface StartValues {
  areaCode: string;
  kind: string;
}

export function parseStartForm(
  body: unknown,
  choices: EvidenceChoices,
): { values: StartValues; errors: FieldError[]; kind?: AddableKind } {
  const b = record(body);
  const v: StartValues = { areaCode: first(b.areaCode).trim(), kind: first(b.kind).trim() };
  const errors: FieldError[] = [];
  if (!choices.areaCodes.has(v.areaCode))
    errors.push({ field: 'areaCode', text: 'Select the area of the framework it is about' });
  if (!isAddableKind(v.kind))
    errors.push({ field: 'kind', text: 'Select the kind of evidence you are adding' });
  return isAddableKind(v.kind) ? { values: v, errors, kind: v.kind } : { values: v, errors };
}

// --- Step 2: the evidence itself, and changes to it -----------------------------------------

export interface EvidenceValues {
  areaCode: string;
  /** '' for "the area in general". */
  statementId: string;
  title: string;
  /** A note's text, or the optional note with a link or file, or "what I learned". */
  body: string;
  url: string;
  /** A reflection's "how I will use it". */
  reflectionUse: string;
}

/** A problem with a web address, or undefined when it is an http(s) address we can link to. */
export function urlProblem(value: string): string | undefined {
  if (!value) return 'Enter the web address';
  if (value.length > URL_MAX)
    return `Web address must be ${URL_MAX.toLocaleString('en-GB')} characters or fewer`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a web address in the correct format, like https://www.example.org/certificate';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'Enter a web address starting with https:// or http://';
  if (!url.hostname.includes('.') && url.hostname !== 'localhost')
    return 'Enter a web address in the correct format, like https://www.example.org/certificate';
  if (url.username || url.password)
    return 'Enter the web address without a user name or password in it';
  return undefined;
}

/**
 * The evidence form, for adding (`kind` note, link or file) or changing (any kind, reflections
 * included). Checks the area and statement against `choices`: a statement must be in the area.
 */
export function parseEvidenceForm(
  kind: EvidenceKind,
  body: unknown,
  choices: EvidenceChoices,
  mode: 'add' | 'change',
): { values: EvidenceValues; errors: FieldError[] } {
  const b = record(body);
  const v: EvidenceValues = {
    areaCode: first(b.areaCode).trim(),
    statementId: first(b.statementId).trim(),
    title: text(b.title).replace(/\s+/g, ' '),
    body: text(b.body),
    url: first(b.url).trim(),
    reflectionUse: text(b.reflectionUse),
  };
  const errors: FieldError[] = [];
  const areaKnown = choices.areaCodes.has(v.areaCode);
  if (!areaKnown)
    errors.push({ field: 'areaCode', text: 'Select the area of the framework it is about' });
  if (v.statementId && areaKnown && choices.statementArea.get(v.statementId) !== v.areaCode)
    errors.push({
      field: 'statementId',
      text:
        mode === 'change'
          ? 'Select a statement from the area you chose, or "The area in general"'
          : 'Select one of the statements listed, or "The area in general"',
    });
  if (!v.title) errors.push({ field: 'title', text: 'Enter a title' });
  else if (v.title.length > TITLE_MAX)
    errors.push({ field: 'title', text: `Title must be ${String(TITLE_MAX)} characters or fewer` });
  if (kind === 'link') {
    const problem = urlProblem(v.url);
    if (problem) errors.push({ field: 'url', text: problem });
  }
  if (kind === 'reflection') {
    // The rules (and words) of marking learning done, where the reflection was written.
    const fields = { learned: 'body', use: 'reflectionUse' } as const;
    for (const e of parseReflectionForm({ learned: v.body, use: v.reflectionUse }).errors)
      errors.push({ ...e, field: fields[e.field as keyof typeof fields] });
    return { values: v, errors };
  }
  if (kind === 'note' && !v.body) errors.push({ field: 'body', text: 'Enter your note' });
  if (v.body.length > TEXT_MAX)
    errors.push({
      field: 'body',
      text: `${kind === 'note' ? 'Your note' : 'The note'} must be ${TEXT_MAX.toLocaleString('en-GB')} characters or fewer`,
    });
  return { values: v, errors };
}
