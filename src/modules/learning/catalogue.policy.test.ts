/** Every rule of the catalogue policy, and that anything not granted is refused. */
import { describe, expect, it } from 'vitest';
import type { Actor, MembershipContext, Role } from '../organisations/index.js';
import { cataloguePolicy as policy } from './catalogue.policy.js';

const ORG = 'org-1';
const OTHER = 'org-2';

function actor(memberships: Record<string, Role[]> = {}, isPlatformAdmin = false): Actor {
  const map = new Map<string, MembershipContext>();
  for (const [organisationId, roles] of Object.entries(memberships)) {
    map.set(organisationId, {
      organisationId,
      membershipId: `membership-${organisationId}`,
      roles,
      unitId: null,
      managedUnitIds: new Set(),
    });
  }
  return { personId: 'me', isPlatformAdmin, memberships: map };
}

const anonymous = undefined;
const nobody = actor();
const platformAdmin = actor({}, true);
const member = actor({ [ORG]: ['member'] });
const lineManager = actor({ [ORG]: ['member', 'line_manager'] });
const educator = actor({ [ORG]: ['educator'] });
const admin = actor({ [ORG]: ['admin'] });
const adminElsewhere = actor({ [OTHER]: ['admin', 'educator'] });

const shared = { organisationId: null, retiredAt: null };
const sharedRetired = { organisationId: null, retiredAt: new Date() };
const own = { organisationId: ORG, retiredAt: null };
const ownRetired = { organisationId: ORG, retiredAt: new Date() };

describe('catalogue policy', () => {
  it('shows the shared catalogue to everyone, signed in or not', () => {
    for (const a of [anonymous, nobody, platformAdmin, member, educator, adminElsewhere])
      expect(policy.canView(a, shared)).toBe(true);
  });

  it("shows an organisation's own resources to its members only (not platform admins)", () => {
    for (const a of [member, lineManager, educator, admin])
      expect(policy.canView(a, own)).toBe(true);
    for (const a of [anonymous, nobody, platformAdmin, adminElsewhere])
      expect(policy.canView(a, own)).toBe(false);
  });

  it('hides retired resources from everyone but those who manage them', () => {
    expect(policy.canView(platformAdmin, sharedRetired)).toBe(true);
    for (const a of [anonymous, nobody, member, educator, admin])
      expect(policy.canView(a, sharedRetired)).toBe(false);
    for (const a of [educator, admin]) expect(policy.canView(a, ownRetired)).toBe(true);
    for (const a of [anonymous, platformAdmin, member, lineManager, adminElsewhere])
      expect(policy.canView(a, ownRetired)).toBe(false);
  });

  it('lets platform admins alone manage the shared catalogue', () => {
    expect(policy.canManage(platformAdmin, shared)).toBe(true);
    for (const a of [anonymous, nobody, member, lineManager, educator, admin, adminElsewhere])
      expect(policy.canManage(a, shared)).toBe(false);
  });

  it("lets an organisation's educators and admins alone manage its resources", () => {
    for (const a of [educator, admin]) expect(policy.canManage(a, own)).toBe(true);
    for (const a of [anonymous, nobody, platformAdmin, member, lineManager, adminElsewhere])
      expect(policy.canManage(a, own)).toBe(false);
  });

  it('lists the scopes each person manages, shared first', () => {
    expect(policy.managedScopes(anonymous)).toEqual([]);
    expect(policy.managedScopes(member)).toEqual([]);
    expect(policy.managedScopes(educator)).toEqual([{ kind: 'organisation', organisationId: ORG }]);
    const both = actor({ [ORG]: ['admin'], [OTHER]: ['member'] }, true);
    expect(policy.managedScopes(both)).toEqual([
      { kind: 'shared' },
      { kind: 'organisation', organisationId: ORG },
    ]);
  });

  it('lists retired resources only for scopes the viewer manages, and only when asked', () => {
    expect(policy.visibility(member, { includeRetired: true })).toEqual({
      organisationIds: [ORG],
      includeOrganisations: true,
      retired: { shared: false, organisationIds: [] },
    });
    expect(policy.visibility(educator).retired).toBeUndefined();
    expect(policy.visibility(platformAdmin, { includeRetired: true }).retired).toEqual({
      shared: true,
      organisationIds: [],
    });
    expect(policy.visibility(anonymous)).toEqual({
      organisationIds: [],
      includeOrganisations: true,
      retired: undefined,
    });
  });
});
