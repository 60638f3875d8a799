/**
 * Who may do what with organisations and the people in them. Deny by default: every function
 * answers "no" unless a rule below says "yes". Services call these (routes never decide);
 * `ensure` turns a "no" into a ForbiddenError.
 *
 * The rules:
 * - A platform admin may create organisations and administer any of them (to appoint the first
 *   organisation admin, and for support).
 * - An organisation admin administers their own organisation: units, people, roles,
 *   invitations, roster imports, and its audit entries.
 * - A line manager sees the people in their unit and every unit below it, nobody else.
 * - An educator and a member see their organisation's name and unit structure, not its people.
 * - Everyone sees their own membership. Nobody sees another organisation's people or data.
 */
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import type { Role } from './roles.js';

export interface MembershipContext {
  organisationId: string;
  membershipId: string;
  roles: readonly Role[];
  unitId: string | null;
  /** For a line manager: their unit and every unit below it. Empty otherwise. */
  managedUnitIds: ReadonlySet<string>;
}

/** A signed-in person as policies see them, loaded fresh for each request that needs it. */
export interface Actor {
  personId: string;
  isPlatformAdmin: boolean;
  memberships: ReadonlyMap<string, MembershipContext>;
}

const has = (actor: Actor, organisationId: string, role: Role) =>
  actor.memberships.get(organisationId)?.roles.includes(role) ?? false;

export const organisationsPolicy = {
  canCreateOrganisation: (actor: Actor) => actor.isPlatformAdmin,

  canListAllOrganisations: (actor: Actor) => actor.isPlatformAdmin,

  canViewOrganisation: (actor: Actor, organisationId: string) =>
    actor.isPlatformAdmin || actor.memberships.has(organisationId),

  canAdministerOrganisation: (actor: Actor, organisationId: string) =>
    actor.isPlatformAdmin || has(actor, organisationId, 'admin'),

  canReadOrganisationAudit: (actor: Actor, organisationId: string) =>
    actor.isPlatformAdmin || has(actor, organisationId, 'admin'),

  /**
   * Whose memberships the actor may list in an organisation: all of them, those in some units,
   * or none.
   */
  peopleScope(
    actor: Actor,
    organisationId: string,
  ): { kind: 'all' } | { kind: 'units'; unitIds: ReadonlySet<string> } | { kind: 'none' } {
    if (organisationsPolicy.canAdministerOrganisation(actor, organisationId))
      return { kind: 'all' };
    const membership = actor.memberships.get(organisationId);
    if (membership?.roles.includes('line_manager') && membership.managedUnitIds.size > 0)
      return { kind: 'units', unitIds: membership.managedUnitIds };
    return { kind: 'none' };
  },

  /** May the actor see this person's membership (and, in later issues, their results)? */
  canViewMember(
    actor: Actor,
    target: { organisationId: string; personId: string; unitId: string | null },
  ): boolean {
    if (target.personId === actor.personId && actor.memberships.has(target.organisationId))
      return true;
    const scope = organisationsPolicy.peopleScope(actor, target.organisationId);
    if (scope.kind === 'all') return true;
    if (scope.kind === 'units') return target.unitId !== null && scope.unitIds.has(target.unitId);
    return false;
  },

  /** Whether the Insights page is there for them (insights.policy.ts decides what it shows). */
  canSeeInsights: (actor: Actor, organisationId: string) =>
    actor.isPlatformAdmin ||
    has(actor, organisationId, 'admin') ||
    has(actor, organisationId, 'insights_viewer') ||
    has(actor, organisationId, 'line_manager'),

  /** An integrated care board's view of the organisations that share their insights with it. */
  canSeeSharedInsights: (actor: Actor, organisationId: string, type: string | undefined) =>
    type === 'icb' &&
    (actor.isPlatformAdmin ||
      has(actor, organisationId, 'admin') ||
      has(actor, organisationId, 'insights_viewer')),

  /** Changing roles, units or removing people: organisation admins only. */
  canManageMember: (actor: Actor, target: { organisationId: string }) =>
    organisationsPolicy.canAdministerOrganisation(actor, target.organisationId),
};

/** Throws ForbiddenError unless `allowed`; keeps service code to one line per check. */
export function ensure(allowed: boolean, message = 'You do not have permission to do that'): void {
  if (!allowed) throw new ForbiddenError(message);
}

/**
 * For reads of another organisation's pages: answers "not found" rather than "forbidden", so
 * that nobody learns which organisations or people exist outside their own.
 */
export function ensureVisible(allowed: boolean, what = 'page'): void {
  if (!allowed) throw new NotFoundError(`We could not find that ${what}`);
}
