/** Who may see a plan's goals and which resources they may add. */
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../platform/errors.js';
import { ensureOwnGoal, plansPolicy } from './plans.policy.js';

const goal = { id: 'g', personId: 'owner' };

describe('plansPolicy', () => {
  it('lets only the owner see or change a goal', () => {
    expect(plansPolicy.canSeeGoal('owner', goal)).toBe(true);
    expect(plansPolicy.canChangeGoal('owner', goal)).toBe(true);
    expect(plansPolicy.canSeeGoal('someone-else', goal)).toBe(false);
    expect(plansPolicy.canChangeGoal('someone-else', goal)).toBe(false);
    expect(plansPolicy.canSeeGoal('owner', undefined)).toBe(false);
  });

  it('gives everyone else “not found”', () => {
    expect(ensureOwnGoal('owner', goal)).toBe(goal);
    expect(() => ensureOwnGoal('someone-else', goal)).toThrow(NotFoundError);
    expect(() => ensureOwnGoal('owner', undefined)).toThrow(NotFoundError);
  });

  it('allows shared resources and those of the person’s organisations, never retired ones', () => {
    const orgs = new Set(['org-a']);
    const live = { retiredAt: null };
    expect(plansPolicy.canAddResource(orgs, { ...live, organisationId: null })).toBe(true);
    expect(plansPolicy.canAddResource(orgs, { ...live, organisationId: 'org-a' })).toBe(true);
    expect(plansPolicy.canAddResource(orgs, { ...live, organisationId: 'org-b' })).toBe(false);
    expect(plansPolicy.canAddResource(new Set(), { ...live, organisationId: 'org-a' })).toBe(false);
    expect(plansPolicy.canAddResource(orgs, { organisationId: null, retiredAt: new Date() })).toBe(
      false,
    );
    expect(plansPolicy.canAddResource(orgs, undefined)).toBe(false);
  });
});
