/**
 * Who may share an assessment with whom, and who may see a shared one. Deny by default: every
 * function answers "no" unless a rule below says "yes". sharing.service.ts calls these; routes
 * never decide.
 *
 * The rules:
 * - Nothing is shared by default. Only the person who took an assessment shares it, withdraws a
 *   share, or sees who it is shared with; only once it is submitted.
 * - They may share it with someone in an organisation they both belong to who is either
 *   - a line manager of theirs: a line manager whose unit is the owner's unit or a unit above
 *     it (their managed subtree contains the owner's unit), or
 *   - an educator of that organisation.
 *   Never with themselves. Platform admins and organisation admins get nothing from their role.
 * - The other person sees it only while the share is open (not withdrawn) AND that relationship
 *   still holds: someone who has moved unit, lost the role or left the organisation no longer
 *   sees it, even before the owner withdraws the share.
 */
import type { Actor, MembershipContext } from '../organisations/index.js';

/** Why someone may receive a share: the relationship they have with the owner. */
export type ShareRelationship = 'line_manager' | 'educator';

export interface ShareCandidate {
  personId: string;
  /** Their membership in the organisation the share would be made in. */
  membership: MembershipContext;
}

export interface ShareRecord {
  sharedWithPersonId: string;
  organisationId: string;
  withdrawnAt: Date | null;
}

/**
 * The owner's relationship with a candidate in the candidate's membership's organisation, or
 * undefined when there is none. A line manager who is also an educator counts as line manager.
 */
function relationship(owner: Actor, candidate: ShareCandidate): ShareRelationship | undefined {
  if (candidate.personId === owner.personId) return undefined;
  const ownMembership = owner.memberships.get(candidate.membership.organisationId);
  if (!ownMembership) return undefined;
  const { roles, managedUnitIds } = candidate.membership;
  if (
    roles.includes('line_manager') &&
    ownMembership.unitId !== null &&
    managedUnitIds.has(ownMembership.unitId)
  )
    return 'line_manager';
  if (roles.includes('educator')) return 'educator';
  return undefined;
}

export const sharingPolicy = {
  relationship,

  /** Only the assessment's owner manages its shares, and only once it is submitted. */
  canManageShares: (actor: Actor, assessment: { personId: string; submitted: boolean }) =>
    assessment.submitted && actor.personId === assessment.personId,

  /** May the owner share this assessment with this candidate? */
  canShareWith(
    owner: Actor,
    assessment: { personId: string; submitted: boolean },
    candidate: ShareCandidate,
  ): boolean {
    return (
      sharingPolicy.canManageShares(owner, assessment) &&
      relationship(owner, candidate) !== undefined
    );
  },

  /**
   * May `viewer` see the assessment shared by `owner` through `share`? Only the person it is
   * shared with, only while it is open, and only while the relationship still holds.
   */
  canViewShare(viewer: Actor, owner: Actor, share: ShareRecord): boolean {
    if (share.withdrawnAt !== null) return false;
    if (share.sharedWithPersonId !== viewer.personId) return false;
    const membership = viewer.memberships.get(share.organisationId);
    if (!membership) return false;
    return relationship(owner, { personId: viewer.personId, membership }) !== undefined;
  },
};
