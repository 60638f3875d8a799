/** Every rule of the sharing policy, and that anything not granted is refused. */
import { describe, expect, it } from 'vitest';
import type { Actor, MembershipContext, Role } from '../organisations/index.js';
import { type ShareCandidate, sharingPolicy as policy } from './sharing.policy.js';

const ORG = 'org-1';
const OTHER = 'org-2';

function membership(
  organisationId: string,
  roles: Role[],
  unitId: string | null = null,
  managed: string[] = [],
): MembershipContext {
  return {
    organisationId,
    membershipId: `m-${organisationId}`,
    roles,
    unitId,
    managedUnitIds: new Set(managed),
  };
}

function actor(personId: string, memberships: MembershipContext[], platformAdmin = false): Actor {
  return {
    personId,
    isPlatformAdmin: platformAdmin,
    memberships: new Map(memberships.map((m) => [m.organisationId, m])),
  };
}

const candidate = (a: Actor, organisationId = ORG): ShareCandidate => {
  const m = a.memberships.get(organisationId);
  if (!m) throw new Error('no membership');
  return { personId: a.personId, membership: m };
};

// Priya works on Ward 5, in Cardiology, in Medicine.
const owner = actor('priya', [membership(ORG, ['member'], 'ward5')]);
const mine = { personId: 'priya', submitted: true };
const managerAbove = actor('morgan', [
  membership(ORG, ['line_manager', 'member'], 'medicine', ['medicine', 'cardiology', 'ward5']),
]);
const managerOwnUnit = actor('wendy', [membership(ORG, ['line_manager'], 'ward5', ['ward5'])]);
const managerElsewhere = actor('sam', [
  membership(ORG, ['line_manager'], 'ahp', ['ahp', 'physio']),
]);
const educator = actor('jordan', [membership(ORG, ['educator'])]);
const educatorElsewhere = actor('eve', [membership(OTHER, ['educator'])]);
const admin = actor('alex', [membership(ORG, ['admin'])]);
const colleague = actor('chris', [membership(ORG, ['member'], 'ward5')]);
const platformAdmin = actor('pat', [], true);

describe('sharing policy: who may receive a share', () => {
  it('allows the owner’s line managers, at their unit or above it', () => {
    expect(policy.relationship(owner, candidate(managerAbove))).toBe('line_manager');
    expect(policy.relationship(owner, candidate(managerOwnUnit))).toBe('line_manager');
    expect(policy.canShareWith(owner, mine, candidate(managerAbove))).toBe(true);
  });

  it('allows educators of an organisation the owner belongs to', () => {
    expect(policy.relationship(owner, candidate(educator))).toBe('educator');
    expect(policy.canShareWith(owner, mine, candidate(educator))).toBe(true);
  });

  it('refuses everyone else: other managers, colleagues, admins, other organisations', () => {
    for (const other of [managerElsewhere, colleague, admin])
      expect(policy.canShareWith(owner, mine, candidate(other))).toBe(false);
    expect(policy.canShareWith(owner, mine, candidate(educatorElsewhere, OTHER))).toBe(false);
  });

  it('refuses the owner themselves, even as a line manager of their own unit', () => {
    const selfManager = actor('priya', [
      membership(ORG, ['line_manager', 'educator'], 'ward5', ['ward5']),
    ]);
    expect(policy.canShareWith(selfManager, mine, candidate(selfManager))).toBe(false);
  });

  it('gives a line manager nothing when the owner has no unit', () => {
    const noUnit = actor('priya', [membership(ORG, ['member'])]);
    expect(policy.relationship(noUnit, candidate(managerAbove))).toBeUndefined();
    expect(policy.relationship(noUnit, candidate(educator))).toBe('educator');
  });

  it('lets only the owner share, and only a submitted assessment', () => {
    expect(
      policy.canShareWith(owner, { personId: 'someone', submitted: true }, candidate(educator)),
    ).toBe(false);
    expect(
      policy.canShareWith(owner, { personId: 'priya', submitted: false }, candidate(educator)),
    ).toBe(false);
    expect(policy.canManageShares(owner, mine)).toBe(true);
    for (const other of [managerAbove, educator, admin, platformAdmin])
      expect(policy.canManageShares(other, mine)).toBe(false);
  });
});

describe('sharing policy: who may see a shared assessment', () => {
  const open = { sharedWithPersonId: 'morgan', organisationId: ORG, withdrawnAt: null };

  it('lets the person it is shared with see it while it is open', () => {
    expect(policy.canViewShare(managerAbove, owner, open)).toBe(true);
  });

  it('hides it once withdrawn', () => {
    expect(policy.canViewShare(managerAbove, owner, { ...open, withdrawnAt: new Date() })).toBe(
      false,
    );
  });

  it('hides it from everyone else, platform admins and organisation admins included', () => {
    for (const other of [managerOwnUnit, educator, admin, platformAdmin, colleague, owner])
      expect(policy.canViewShare(other, owner, open)).toBe(false);
  });

  it('hides it when the relationship no longer holds (moved unit, lost role, left)', () => {
    const moved = actor('morgan', [membership(ORG, ['line_manager'], 'ahp', ['ahp'])]);
    const demoted = actor('morgan', [membership(ORG, ['member'], 'medicine')]);
    const left = actor('morgan', []);
    for (const viewer of [moved, demoted, left])
      expect(policy.canViewShare(viewer, owner, open)).toBe(false);
    const ownerLeft = actor('priya', []);
    expect(policy.canViewShare(managerAbove, ownerLeft, open)).toBe(false);
  });
});
