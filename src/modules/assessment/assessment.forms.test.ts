/** The assessment's form parsers: request bodies → typed values or field errors. */
import { describe, expect, it } from 'vitest';
import {
  decodeYesNo,
  encodeYesNo,
  parseAnswersForm,
  parseArchetypesForm,
  parseAutosave,
  parseHelpMeChooseForm,
  parseModeForm,
  parseProfileStepForm,
} from './assessment.forms.js';

describe('parseAnswersForm', () => {
  it('collects answer-<id> fields, the statements shown and the button pressed', () => {
    expect(
      parseAnswersForm({
        _csrf: 'x',
        'answer-6.3-1-01': '2',
        'answer-6.3-1-02': 'not-relevant',
        shown: ['6.3-1-01', '6.3-1-02', '6.3-1-02', ' '],
        action: 'later',
        from: 'check-answers',
      }),
    ).toEqual({
      answers: { '6.3-1-01': '2', '6.3-1-02': 'not-relevant' },
      shown: ['6.3-1-01', '6.3-1-02'],
      action: 'later',
      fromCheckAnswers: true,
    });
  });

  it('turns a field sent twice into an empty value (refused later) and defaults to continue', () => {
    expect(parseAnswersForm({ 'answer-a': ['1', '2'], shown: 'a', action: 'odd' })).toEqual({
      answers: { a: '' },
      shown: ['a'],
      action: 'continue',
      fromCheckAnswers: false,
    });
    expect(parseAnswersForm(undefined).answers).toEqual({});
  });
});

describe('parseAutosave', () => {
  it('needs an area, a statement and a value, all text', () => {
    expect(parseAutosave({ areaCode: '1', statementId: 's', value: '3' })).toEqual({
      areaCode: '1',
      answers: { s: '3' },
    });
    expect(parseAutosave({ areaCode: '1', statementId: 's' })).toBeUndefined();
    expect(parseAutosave({ areaCode: '', statementId: 's', value: '1' })).toBeUndefined();
    expect(parseAutosave({ areaCode: '1', statementId: ['s'], value: '1' })).toBeUndefined();
    expect(parseAutosave('nonsense')).toBeUndefined();
  });
});

describe('the start steps', () => {
  const choices = { professions: [{ code: 'nurse' }], workSettings: [{ code: 'acute' }] };

  it('takes a profession and work setting from the lists, or none', () => {
    expect(parseProfileStepForm({ professionCode: 'nurse', workSettingCode: '' }, choices)).toEqual(
      {
        values: { professionCode: 'nurse', workSettingCode: null },
        errors: [],
      },
    );
    expect(
      parseProfileStepForm({ professionCode: 'astronaut', workSettingCode: 'moon' }, choices)
        .errors,
    ).toEqual([
      { field: 'professionCode', text: 'Choose your profession from the list' },
      { field: 'workSettingCode', text: 'Choose where you work from the list' },
    ]);
  });

  it('needs at least one known archetype', () => {
    expect(parseArchetypesForm({ archetypeCodes: 'U' }, ['E', 'U'])).toEqual({
      values: ['U'],
      errors: [],
    });
    expect(parseArchetypesForm({}, ['U']).errors).toEqual([
      { field: 'archetypeCodes', text: 'Choose at least one archetype that fits you' },
    ]);
    expect(parseArchetypesForm({ archetypeCodes: ['U', 'Q'] }, ['U']).errors).toHaveLength(1);
  });

  it('needs a yes or no to every "help me choose" question', () => {
    const { answers, errors } = parseHelpMeChooseForm(
      { 'question-0': 'yes', 'question-2': 'maybe' },
      3,
    );
    expect(answers).toEqual(['yes', undefined, undefined]);
    expect(errors.map((e) => e.field)).toEqual(['question-1', 'question-2']);
    expect(encodeYesNo(['yes', 'no', 'no'])).toBe('ynn');
    expect(decodeYesNo('ynn', 3)).toEqual(['yes', 'no', 'no']);
    expect(decodeYesNo('yn', 3)).toBeUndefined();
    expect(decodeYesNo('yxn', 3)).toBeUndefined();
    expect(decodeYesNo(['ynn'], 3)).toBeUndefined();
  });

  it('reads the mode and whether to start from the previous answers', () => {
    expect(parseModeForm({ mode: 'full', fromPrevious: 'yes' })).toEqual({
      values: { mode: 'full', fromPrevious: true },
      errors: [],
    });
    expect(parseModeForm({ mode: 'quick' }).errors).toEqual([
      { field: 'mode', text: 'Choose how you want to assess yourself' },
    ]);
  });
});
