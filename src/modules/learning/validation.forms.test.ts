import { describe, expect, it } from 'vitest';
import { COMMENT_MAX, MESSAGE_MAX, parseAskForm, parseDecisionForm } from './validation.forms.js';

const areaCodes = new Set(['1.1', '1.2']);
const uuid = '6f1c1a52-6a6f-4d6e-9f0e-2a1b3c4d5e6f';

describe('parseAskForm', () => {
  it('parses a complete form, normalising evidence sent once, several times or twice', () => {
    const one = parseAskForm(
      {
        areaCode: '1.1',
        claimedLevel: '3',
        validator: uuid,
        message: ' Hi\r\nthere ',
        evidence: 'e1',
      },
      { areaCodes },
    );
    expect(one.errors).toEqual([]);
    expect(one.values).toEqual({
      areaCode: '1.1',
      claimedLevel: 3,
      validatorPersonId: uuid,
      message: 'Hi\nthere',
      evidenceIds: ['e1'],
    });
    const many = parseAskForm(
      { areaCode: '1.2', claimedLevel: '1', validator: uuid, evidence: ['e1', 'e2', 'e1', ''] },
      { areaCodes },
    );
    expect(many.values?.evidenceIds).toEqual(['e1', 'e2']);
    expect(many.values?.message).toBe('');
  });

  it('names every missing or wrong field, keeping what was typed', () => {
    const { errors, typed, values } = parseAskForm(
      { claimedLevel: '5', message: 'Kept as typed' },
      { areaCodes },
    );
    expect(values).toBeUndefined();
    expect(errors).toEqual([
      { field: 'areaCode', text: 'Select an area' },
      { field: 'claimedLevel', text: 'Select the level you want validated' },
      { field: 'validator', text: 'Select who to ask to validate your level' },
    ]);
    expect(typed.message).toBe('Kept as typed');
    expect(typed.claimedLevel).toBe('5');
    expect(parseAskForm({ areaCode: '9.9' }, { areaCodes }).errors[0]).toEqual({
      field: 'areaCode',
      text: 'Select an area from the list',
    });
    for (const level of ['0', '', '2.5', 'three', ' 4x'])
      expect(
        parseAskForm({ claimedLevel: level }, { areaCodes }).errors.map((e) => e.field),
      ).toContain('claimedLevel');
  });

  it('refuses a message over the limit without cutting it', () => {
    const long = 'x'.repeat(MESSAGE_MAX + 1);
    const { errors, typed } = parseAskForm(
      { areaCode: '1.1', claimedLevel: '2', validator: uuid, message: long },
      { areaCodes },
    );
    expect(errors).toEqual([
      { field: 'message', text: 'Your message must be 2,000 characters or fewer (you have 2,001)' },
    ]);
    expect(typed.message).toBe(long);
  });

  it('survives bodies that are not objects', () => {
    for (const body of [undefined, null, 'text', 42])
      expect(parseAskForm(body, { areaCodes }).values).toBeUndefined();
  });
});

describe('parseDecisionForm', () => {
  it('confirms with or without a comment', () => {
    expect(parseDecisionForm({ outcome: 'validated' }).values).toEqual({
      outcome: 'validated',
      comment: null,
    });
    expect(parseDecisionForm({ outcome: 'validated', comment: '  Well done  ' }).values).toEqual({
      outcome: 'validated',
      comment: 'Well done',
    });
  });

  it('needs a comment to return', () => {
    const { errors, values } = parseDecisionForm({ outcome: 'returned', comment: '   ' });
    expect(values).toBeUndefined();
    expect(errors).toEqual([
      {
        field: 'comment',
        text: 'Enter a comment saying why you are returning it and what would help',
      },
    ]);
    expect(parseDecisionForm({ outcome: 'returned', comment: 'More evidence' }).values).toEqual({
      outcome: 'returned',
      comment: 'More evidence',
    });
  });

  it('needs a decision, and a comment within the limit', () => {
    for (const outcome of [undefined, '', 'pending', 'withdrawn', 'constructor'])
      expect(parseDecisionForm({ outcome }).errors[0]?.field).toBe('outcome');
    const long = parseDecisionForm({ outcome: 'validated', comment: 'y'.repeat(COMMENT_MAX + 1) });
    expect(long.errors).toEqual([
      { field: 'comment', text: 'Your comment must be 2,000 characters or fewer (you have 2,001)' },
    ]);
    expect(long.typed.comment.length).toBe(COMMENT_MAX + 1);
  });
});
