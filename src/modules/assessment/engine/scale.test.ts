import { describe, expect, it } from 'vitest';
import {
  ANSWER_OPTIONS,
  ANSWER_VALUES,
  answerOption,
  formatAnswerValue,
  isAnswerValue,
  meetsStatement,
  parseAnswerValue,
} from './scale.js';

describe('answer scale', () => {
  it('offers four ratings from "can\'t do this yet" to "lead or teach", then "not relevant"', () => {
    expect(ANSWER_OPTIONS.map((o) => o.value)).toEqual([0, 1, 2, 3, 'not-relevant']);
    expect(ANSWER_OPTIONS[0]?.label).toBe("I can't do this yet");
    expect(ANSWER_OPTIONS[3]?.label).toBe('I could lead or teach this');
    expect(answerOption('not-relevant').label).toBe('Not relevant to my role');
    for (const o of ANSWER_OPTIONS) expect(o.hint.length).toBeGreaterThan(0);
  });

  it('parses form and database values and nothing else', () => {
    expect(parseAnswerValue('0')).toBe(0);
    expect(parseAnswerValue(' 3 ')).toBe(3);
    expect(parseAnswerValue('not-relevant')).toBe('not-relevant');
    for (const bad of ['', '4', '-1', '2.0', '02', 'NaN', 'not relevant', 'Not-Relevant', '1e0']) {
      expect(parseAnswerValue(bad)).toBeUndefined();
    }
  });

  it('formats every value so that parsing gives it back', () => {
    for (const value of ANSWER_VALUES)
      expect(parseAnswerValue(formatAnswerValue(value))).toBe(value);
  });

  it('recognises answer values', () => {
    for (const value of ANSWER_VALUES) expect(isAnswerValue(value)).toBe(true);
    for (const bad of [4, -1, 1.5, '2', null, undefined, 'nope'])
      expect(isAnswerValue(bad)).toBe(false);
  });

  it('meets a statement from "I can do this on my own" up; "not relevant" never meets', () => {
    expect([0, 1, 2, 3, 'not-relevant'].map((v) => meetsStatement(v as never))).toEqual([
      false,
      false,
      true,
      true,
      false,
    ]);
  });
});
