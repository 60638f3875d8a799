import { describe, expect, it } from 'vitest';
import type { Actor, MembershipContext, Role } from '../organisations/index.js';
import { type ValidationRecord, validationPolicy } from './validation.policy.js';

const ORG = 'org-1';
const OTHER_ORG = 'org-2';

function membership(
  roles: Role[],
  unitId: string | null,
  managed: string[] = [],
  organisationId = ORG,
): MembershipContext {
  return {
    organisationId,
    membershipId: `m-${organisationId}`,
    roles,
    unitId,
    managedUnitIds: new Set(managed),
  };
}

function actor(personId: string, ...memberships: MembershipContext[]): Actor {
  return {
    personId,
    isPlatformAdmin: false,
    memberships: new Map(memberships.map((m) => [m.organisationId, m])),
  };
}

// Priya works on Ward 5 (under Cardiology, under Medicine).
const priya = actor('priya', membership(['member'], 'ward5'));
const manager = actor(
  'morgan',
  membership(['line_manager', 'member'], 'medicine', ['medicine', 'cardiology', 'ward5']),
);
const otherUnitManager = actor('sam', membership(['line_manager'], 'ahp', ['ahp', 'physio']));
const educator = actor('jordan', membership(['educator'], null));
const colleague = actor('chris', membership(['member'], 'ward5'));
const orgAdmin = actor('alex', membership(['admin'], null));
const platformAdmin: Actor = { ...actor('pat'), isPlatformAdmin: true };
const educatorElsewhere = actor('eve', membership(['educator'], null, [], OTHER_ORG));

const request = (overrides: Partial<ValidationRecord> = {}): ValidationRecord => ({
  personId: 'priya',
  validatorPersonId: 'morgan',
  organisationId: ORG,
  status: 'pending',
  ...overrides,
});

describe('validationPolicy.canAsk', () => {
  it('allows a line manager above the person and an educator of their organisation', () => {
    expect(validationPolicy.canAsk(priya, manager, ORG)).toBe(true);
    expect(validationPolicy.canAsk(priya, educator, ORG)).toBe(true);
  });

  it('refuses everyone else, and themselves', () => {
    expect(validationPolicy.canAsk(priya, otherUnitManager, ORG)).toBe(false);
    expect(validationPolicy.canAsk(priya, colleague, ORG)).toBe(false);
    expect(validationPolicy.canAsk(priya, orgAdmin, ORG)).toBe(false);
    expect(validationPolicy.canAsk(priya, platformAdmin, ORG)).toBe(false);
    expect(validationPolicy.canAsk(priya, priya, ORG)).toBe(false);
    // An educator of an organisation the person does not belong to.
    expect(validationPolicy.canAsk(priya, educatorElsewhere, OTHER_ORG)).toBe(false);
    // The right person through the wrong organisation.
    expect(validationPolicy.canAsk(priya, manager, OTHER_ORG)).toBe(false);
  });

  it('refuses a line manager with no unit', () => {
    const unitless = actor('lee', membership(['line_manager'], null));
    expect(validationPolicy.canAsk(priya, unitless, ORG)).toBe(false);
  });

  it('refuses anyone when the person has no unit, except educators', () => {
    const noUnit = actor('priya', membership(['member'], null));
    expect(validationPolicy.canAsk(noUnit, manager, ORG)).toBe(false);
    expect(validationPolicy.canAsk(noUnit, educator, ORG)).toBe(true);
  });
});

describe('validationPolicy.roleOf and canView', () => {
  it('lets the person who asked see their request, whatever its status', () => {
    for (const status of ['pending', 'validated', 'returned', 'withdrawn'] as const)
      expect(validationPolicy.roleOf(priya, priya, request({ status }))).toBe('claimant');
  });

  it('lets the person asked see it while the relationship holds', () => {
    expect(validationPolicy.roleOf(manager, priya, request())).toBe('validator');
    expect(
      validationPolicy.roleOf(
        educator,
        priya,
        request({ validatorPersonId: 'jordan', status: 'validated' }),
      ),
    ).toBe('validator');
  });

  it('hides it from the person asked once they have moved unit, lost the role or left', () => {
    const moved = actor('morgan', membership(['line_manager'], 'ahp', ['ahp']));
    const demoted = actor('morgan', membership(['member'], 'medicine'));
    const left = actor('morgan');
    for (const former of [moved, demoted, left])
      expect(validationPolicy.canView(former, priya, request())).toBe(false);
    // Or the person moved out of their unit.
    const priyaMoved = actor('priya', membership(['member'], 'physio'));
    expect(validationPolicy.canView(manager, priyaMoved, request())).toBe(false);
  });

  it('hides it from everyone else, admins included', () => {
    for (const other of [otherUnitManager, educator, colleague, orgAdmin, platformAdmin])
      expect(validationPolicy.canView(other, priya, request())).toBe(false);
  });

  it('refuses when the owner given is not the request’s person', () => {
    expect(validationPolicy.roleOf(manager, colleague, request())).toBeUndefined();
    expect(validationPolicy.roleOf(colleague, colleague, request())).toBeUndefined();
  });
});

describe('validationPolicy.canWithdraw and canDecide', () => {
  it('lets only the person who asked withdraw, only while pending', () => {
    expect(validationPolicy.canWithdraw('priya', request())).toBe(true);
    expect(validationPolicy.canWithdraw('morgan', request())).toBe(false);
    for (const status of ['validated', 'returned', 'withdrawn'] as const)
      expect(validationPolicy.canWithdraw('priya', request({ status }))).toBe(false);
  });

  it('lets only the person asked decide, while pending and related', () => {
    expect(validationPolicy.canDecide(manager, priya, request())).toBe(true);
    expect(validationPolicy.canDecide(priya, priya, request())).toBe(false);
    expect(validationPolicy.canDecide(educator, priya, request())).toBe(false);
    for (const status of ['validated', 'returned', 'withdrawn'] as const)
      expect(validationPolicy.canDecide(manager, priya, request({ status }))).toBe(false);
    const demoted = actor('morgan', membership(['member'], 'medicine'));
    expect(validationPolicy.canDecide(demoted, priya, request())).toBe(false);
  });

  it('never lets someone decide their own request, even as a line manager of their unit', () => {
    const self = actor('priya', membership(['line_manager'], 'ward5', ['ward5']));
    expect(validationPolicy.canDecide(self, self, request({ validatorPersonId: 'priya' }))).toBe(
      false,
    );
  });
});

describe('validationPolicy evidence', () => {
  const offered = new Set(['e1']);
  const mine = { id: 'e1', personId: 'priya' };

  it('lets people offer only their own evidence', () => {
    expect(validationPolicy.canOfferEvidence('priya', mine)).toBe(true);
    expect(validationPolicy.canOfferEvidence('chris', mine)).toBe(false);
    expect(validationPolicy.canOfferEvidence('priya', undefined)).toBe(false);
  });

  it('shows offered evidence to those who may see the request, and nothing else', () => {
    expect(validationPolicy.canSeeEvidence(manager, priya, request(), mine, offered)).toBe(true);
    expect(validationPolicy.canSeeEvidence(priya, priya, request(), mine, offered)).toBe(true);
    // Not offered with this request.
    const other = { id: 'e2', personId: 'priya' };
    expect(validationPolicy.canSeeEvidence(manager, priya, request(), other, offered)).toBe(false);
    // Offered but someone else's (cannot happen through the service; refused anyway).
    const theirs = { id: 'e1', personId: 'chris' };
    expect(validationPolicy.canSeeEvidence(manager, priya, request(), theirs, offered)).toBe(false);
    expect(validationPolicy.canSeeEvidence(colleague, priya, request(), mine, offered)).toBe(false);
    expect(validationPolicy.canSeeEvidence(manager, priya, request(), undefined, offered)).toBe(
      false,
    );
  });
});
