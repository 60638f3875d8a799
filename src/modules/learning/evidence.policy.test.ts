/** Evidence is its owner's alone; a validator sees only what was offered to them, read-only. */
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../platform/errors.js';
import {
  ensureCanChangeEvidence,
  ensureCanViewEvidence,
  evidencePolicy,
} from './evidence.policy.js';

const item = { id: 'e1', personId: 'owner' };

describe('evidencePolicy', () => {
  it('lets the owner see and change their evidence', () => {
    expect(evidencePolicy.canView('owner', item)).toBe(true);
    expect(evidencePolicy.canChange('owner', item)).toBe(true);
    expect(ensureCanViewEvidence('owner', item)).toBe(item);
    expect(ensureCanChangeEvidence('owner', item)).toBe(item);
  });

  it('denies everyone else, as "not found"', () => {
    expect(evidencePolicy.canView('someone', item)).toBe(false);
    expect(evidencePolicy.canChange('someone', item)).toBe(false);
    expect(evidencePolicy.canView('owner', undefined)).toBe(false);
    expect(() => ensureCanViewEvidence('someone', item)).toThrow(NotFoundError);
    expect(() => ensureCanChangeEvidence('someone', item)).toThrow(NotFoundError);
    expect(() => ensureCanViewEvidence('owner', undefined)).toThrow(NotFoundError);
  });

  it('lets a validator see only the evidence offered for their decision, and never change it', () => {
    const access = { decidingEvidenceIds: new Set(['e1']) };
    expect(evidencePolicy.canView('validator', item, access)).toBe(true);
    expect(evidencePolicy.canView('validator', { id: 'e2', personId: 'owner' }, access)).toBe(
      false,
    );
    expect(evidencePolicy.canChange('validator', item)).toBe(false);
  });
});
