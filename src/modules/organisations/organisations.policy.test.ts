/** Every rule of the organisations policy, and that anything not granted is refused. */
import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import {
  type Actor,
  ensure,
  ensureVisible,
  type MembershipContext,
  organisationsPolicy as policy,
} from './organisations.policy.js';
import type { Role } from './roles.js';

const ORG = 'org-1';
const OTHER = 'org-2';

function actor(
  memberships: Record<string, { roles: Role[]; unitId?: string; managed?: string[] }> = {},
  isPlatformAdmin = false,
): Actor {
  const map = new Map<string, MembershipContext>();
  for (const [organisationId, m] of Object.entries(memberships)) {
    map.set(organisationId, {
      organisationId,
      membershipId: `membership-${organisationId}`,
      roles: m.roles,
      unitId: m.unitId ?? null,
      managedUnitIds: new Set(m.managed ?? []),
    });
  }
  return { personId: 'me', isPlatformAdmin, memberships: map };
}

const nobody = actor();
const platformAdmin = actor({}, true);
const admin = actor({ [ORG]: { roles: ['admin'] } });
const learner = actor({ [ORG]: { roles: ['member'], unitId: 'ward' } });
const educator = actor({ [ORG]: { roles: ['educator'] } });
const manager = actor({
  [ORG]: {
    roles: ['member', 'line_manager'],
    unitId: 'cardiology',
    managed: ['cardiology', 'ward'],
  },
});
const managerWithoutUnits = actor({ [ORG]: { roles: ['line_manager'] } });
const adminElsewhere = actor({ [OTHER]: { roles: ['admin', 'line_manager'], managed: ['x'] } });

describe('organisations policy', () => {
  it('lets only platform admins create and list every organisation', () => {
    for (const a of [nobody, admin, learner, educator, manager, adminElsewhere]) {
      expect(policy.canCreateOrganisation(a)).toBe(false);
      expect(policy.canListAllOrganisations(a)).toBe(false);
    }
    expect(policy.canCreateOrganisation(platformAdmin)).toBe(true);
    expect(policy.canListAllOrganisations(platformAdmin)).toBe(true);
  });

  it('shows an organisation to its members and platform admins only', () => {
    for (const a of [admin, learner, educator, manager, platformAdmin])
      expect(policy.canViewOrganisation(a, ORG)).toBe(true);
    expect(policy.canViewOrganisation(nobody, ORG)).toBe(false);
    expect(policy.canViewOrganisation(adminElsewhere, ORG)).toBe(false);
  });

  it('lets organisation admins (of that organisation) and platform admins administer it', () => {
    expect(policy.canAdministerOrganisation(admin, ORG)).toBe(true);
    expect(policy.canAdministerOrganisation(platformAdmin, ORG)).toBe(true);
    for (const a of [nobody, learner, educator, manager, adminElsewhere])
      expect(policy.canAdministerOrganisation(a, ORG)).toBe(false);
    expect(policy.canAdministerOrganisation(admin, OTHER)).toBe(false);
  });

  it('lets the same people read the organisation’s audit entries', () => {
    expect(policy.canReadOrganisationAudit(admin, ORG)).toBe(true);
    expect(policy.canReadOrganisationAudit(platformAdmin, ORG)).toBe(true);
    for (const a of [nobody, learner, educator, manager, adminElsewhere])
      expect(policy.canReadOrganisationAudit(a, ORG)).toBe(false);
  });

  it('scopes the people list: all for admins, a subtree for line managers, none otherwise', () => {
    expect(policy.peopleScope(admin, ORG)).toEqual({ kind: 'all' });
    expect(policy.peopleScope(platformAdmin, ORG)).toEqual({ kind: 'all' });
    const scope = policy.peopleScope(manager, ORG);
    expect(scope.kind).toBe('units');
    expect(scope.kind === 'units' && [...scope.unitIds].sort()).toEqual(['cardiology', 'ward']);
    for (const a of [nobody, learner, educator, managerWithoutUnits, adminElsewhere])
      expect(policy.peopleScope(a, ORG)).toEqual({ kind: 'none' });
  });

  it('shows a member to themselves, their line manager and admins, nobody else', () => {
    const nurse = { organisationId: ORG, personId: 'nurse', unitId: 'ward' };
    const surgeon = { organisationId: ORG, personId: 'surgeon', unitId: 'theatres' };
    const unplaced = { organisationId: ORG, personId: 'new', unitId: null };
    expect(policy.canViewMember(manager, nurse)).toBe(true);
    expect(policy.canViewMember(manager, surgeon)).toBe(false);
    expect(policy.canViewMember(manager, unplaced)).toBe(false);
    expect(policy.canViewMember(admin, surgeon)).toBe(true);
    expect(policy.canViewMember(platformAdmin, unplaced)).toBe(true);
    expect(policy.canViewMember(learner, nurse)).toBe(false);
    expect(policy.canViewMember(learner, { ...nurse, personId: 'me' })).toBe(true);
    // Being "me" is not enough in an organisation one does not belong to.
    expect(policy.canViewMember(learner, { ...nurse, organisationId: OTHER, personId: 'me' })).toBe(
      false,
    );
    expect(policy.canViewMember(adminElsewhere, nurse)).toBe(false);
    expect(policy.canViewMember(nobody, nurse)).toBe(false);
  });

  it('lets only admins change or remove members', () => {
    expect(policy.canManageMember(admin, { organisationId: ORG })).toBe(true);
    expect(policy.canManageMember(platformAdmin, { organisationId: ORG })).toBe(true);
    for (const a of [nobody, learner, educator, manager, adminElsewhere])
      expect(policy.canManageMember(a, { organisationId: ORG })).toBe(false);
  });

  it('denies by default: an actor with no memberships may do nothing', () => {
    const checks = [
      policy.canCreateOrganisation(nobody),
      policy.canListAllOrganisations(nobody),
      policy.canViewOrganisation(nobody, ORG),
      policy.canAdministerOrganisation(nobody, ORG),
      policy.canReadOrganisationAudit(nobody, ORG),
      policy.canViewMember(nobody, { organisationId: ORG, personId: 'x', unitId: null }),
      policy.canManageMember(nobody, { organisationId: ORG }),
    ];
    expect(checks.every((c) => !c)).toBe(true);
    expect(policy.peopleScope(nobody, ORG).kind).toBe('none');
  });

  it('ensure gives 403 and ensureVisible 404', () => {
    expect(() => {
      ensure(true);
    }).not.toThrow();
    expect(() => {
      ensure(false);
    }).toThrow(ForbiddenError);
    expect(() => {
      ensureVisible(true);
    }).not.toThrow();
    expect(() => {
      ensureVisible(false, 'organisation');
    }).toThrow(new NotFoundError('We could not find that organisation'));
  });
});
