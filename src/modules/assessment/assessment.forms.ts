/**
 * The assessment's forms: request body → typed values or field errors. The service checks again
 * everything that matters (statement ids, values, archetypes); these only shape the input.
 */
import { type FieldError, values } from '../../platform/forms.js';

const one = (raw: unknown) => (values(raw)[0] ?? '').trim();
const fields = (body: unknown) =>
  body && typeof body === 'object' ? (body as Record<string, unknown>) : {};

/** Answer radios are named `answer-<statement id>`. */
export const ANSWER_FIELD_PREFIX = 'answer-';

/** Step 1: profession and work setting (either may be left unchosen). */
export function parseProfileStepForm(
  body: unknown,
  choices: { professions: { code: string }[]; workSettings: { code: string }[] },
) {
  const b = fields(body);
  const professionCode = one(b.professionCode);
  const workSettingCode = one(b.workSettingCode);
  const errors: FieldError[] = [];
  if (professionCode && !choices.professions.some((p) => p.code === professionCode))
    errors.push({ field: 'professionCode', text: 'Choose your profession from the list' });
  if (workSettingCode && !choices.workSettings.some((w) => w.code === workSettingCode))
    errors.push({ field: 'workSettingCode', text: 'Choose where you work from the list' });
  return {
    values: { professionCode: professionCode || null, workSettingCode: workSettingCode || null },
    errors,
  };
}

/** Step 2: at least one archetype, each from the list. */
export function parseArchetypesForm(body: unknown, known: readonly string[]) {
  const chosen = [...new Set(values(fields(body).archetypeCodes).map((v) => v.trim()))];
  const errors: FieldError[] = [];
  if (chosen.length === 0)
    errors.push({ field: 'archetypeCodes', text: 'Choose at least one archetype that fits you' });
  else if (!chosen.every((code) => known.includes(code)))
    errors.push({ field: 'archetypeCodes', text: 'Choose archetypes from the list' });
  return { values: chosen.filter((code) => known.includes(code)), errors };
}

export type YesNo = 'yes' | 'no';

/** "Help me choose": a yes or no for each question (fields question-0 … question-n). */
export function parseHelpMeChooseForm(body: unknown, questionCount: number) {
  const b = fields(body);
  const answers: (YesNo | undefined)[] = [];
  const errors: FieldError[] = [];
  for (let i = 0; i < questionCount; i += 1) {
    const raw = one(b[`question-${String(i)}`]);
    const answer = raw === 'yes' || raw === 'no' ? raw : undefined;
    answers.push(answer);
    if (!answer)
      errors.push({
        field: `question-${String(i)}`,
        text: `Answer yes or no to question ${String(i + 1)}`,
      });
  }
  return { answers, errors };
}

/** The answers to "help me choose" carried in the suggestions page's address: "ynny…". */
export function encodeYesNo(answers: readonly YesNo[]): string {
  return answers.map((a) => (a === 'yes' ? 'y' : 'n')).join('');
}

export function decodeYesNo(raw: unknown, questionCount: number): YesNo[] | undefined {
  const text = typeof raw === 'string' ? raw : '';
  if (text.length !== questionCount || !/^[yn]*$/.test(text)) return undefined;
  return Array.from({ length: text.length }, (_c, i) => (text[i] === 'y' ? 'yes' : 'no'));
}

/** Step 3: focused or full, and whether to start from the previous answers. */
export function parseModeForm(body: unknown) {
  const b = fields(body);
  const mode = one(b.mode);
  const errors: FieldError[] = [];
  if (mode !== 'focused' && mode !== 'full')
    errors.push({ field: 'mode', text: 'Choose how you want to assess yourself' });
  return { values: { mode, fromPrevious: one(b.fromPrevious) === 'yes' }, errors };
}

export interface AnswersForm {
  /** statement id → the value as sent (checked by the service). */
  answers: Record<string, string>;
  /** The statements the page showed, in order. */
  shown: string[];
  action: 'continue' | 'later';
  /** Came from check answers: go back there after saving. */
  fromCheckAnswers: boolean;
}

/**
 * An area page's body. A field sent twice (only a tampered form does that) gives an empty value,
 * which the service refuses as not on the scale.
 */
export function parseAnswersForm(body: unknown): AnswersForm {
  const b = fields(body);
  const answers: Record<string, string> = {};
  for (const [key, raw] of Object.entries(b)) {
    if (!key.startsWith(ANSWER_FIELD_PREFIX)) continue;
    const list = values(raw);
    answers[key.slice(ANSWER_FIELD_PREFIX.length)] = list.length === 1 ? (list[0] ?? '') : '';
  }
  return {
    answers,
    shown: [...new Set(values(b.shown).map((v) => v.trim()))].filter((v) => v !== ''),
    action: one(b.action) === 'later' ? 'later' : 'continue',
    fromCheckAnswers: one(b.from) === 'check-answers',
  };
}

/**
 * One answer saved as soon as it is chosen (JSON or a form body): { areaCode, statementId, value }.
 * Undefined when a field is missing or not text.
 */
export function parseAutosave(
  body: unknown,
): { areaCode: string; answers: Record<string, string> } | undefined {
  const b = fields(body);
  const { areaCode, statementId, value } = b;
  if (typeof areaCode !== 'string' || typeof statementId !== 'string' || typeof value !== 'string')
    return undefined;
  if (areaCode === '' || statementId === '') return undefined;
  return { areaCode, answers: { [statementId]: value } };
}
