/**
 * Who may do what with a validation request: a person asking a line manager or an educator to
 * confirm their level in an area. Deny by default: every function answers "no" unless a rule
 * below says "yes". validation.service.ts calls these; routes never decide.
 *
 * The rules:
 * - A person asks only someone they may share their results with (the assessment module's
 *   share candidates: in an organisation they both belong to, a line manager whose managed
 *   units contain the person's unit, or an educator of that organisation), never themselves.
 * - The person who asked sees their request, whatever its status, and may withdraw it while it
 *   is pending. They offer only their own evidence.
 * - The person asked sees the request, its evidence (and downloads its files) and decides it,
 *   only while that relationship still holds in the organisation the request was made in:
 *   someone who has moved unit, lost the role or left no longer sees or decides it.
 * - A decision (validated or returned) is final; a withdrawn request cannot be decided.
 * - Nobody else sees a request, not platform or organisation admins: their answer is
 *   "not found", so nobody learns which requests exist.
 */
import { currentRelationship } from '../assessment/index.js';
import type { Actor } from '../organisations/index.js';

export type ValidationStatus = 'pending' | 'validated' | 'returned' | 'withdrawn';
export const VALIDATION_STATUSES: readonly ValidationStatus[] = [
  'pending',
  'validated',
  'returned',
  'withdrawn',
];
export const isValidationStatus = (value: string): value is ValidationStatus =>
  (VALIDATION_STATUSES as readonly string[]).includes(value);

/** What the rules need of a request. */
export interface ValidationRecord {
  personId: string;
  validatorPersonId: string;
  organisationId: string;
  status: ValidationStatus;
}

/** How someone sees a request: as the person who asked, or as the person asked. */
export type ValidationRole = 'claimant' | 'validator';

/** Does `validator` still hold the relationship the request was made through? */
function validatorStillRelated(validator: Actor, owner: Actor, request: ValidationRecord): boolean {
  return (
    request.validatorPersonId === validator.personId &&
    request.personId === owner.personId &&
    validator.personId !== owner.personId &&
    currentRelationship(owner, validator, request.organisationId) !== undefined
  );
}

export const validationPolicy = {
  /**
   * May `owner` ask `validator` through their membership of `organisationId`? Only a share
   * candidate of theirs there, never themselves.
   */
  canAsk: (owner: Actor, validator: Actor, organisationId: string): boolean =>
    owner.personId !== validator.personId &&
    currentRelationship(owner, validator, organisationId) !== undefined,

  /** Evidence may be offered only by the person it belongs to. */
  canOfferEvidence: (personId: string, item: { personId: string } | undefined): boolean =>
    item !== undefined && item.personId === personId,

  /** How `viewer` may see the request of `owner` (the person who asked), if at all. */
  roleOf(viewer: Actor, owner: Actor, request: ValidationRecord): ValidationRole | undefined {
    if (owner.personId !== request.personId) return undefined;
    if (viewer.personId === request.personId) return 'claimant';
    if (validatorStillRelated(viewer, owner, request)) return 'validator';
    return undefined;
  },

  canView: (viewer: Actor, owner: Actor, request: ValidationRecord): boolean =>
    validationPolicy.roleOf(viewer, owner, request) !== undefined,

  /** Only the person who asked, only while it is pending. */
  canWithdraw: (personId: string, request: ValidationRecord): boolean =>
    request.status === 'pending' && request.personId === personId,

  /** Only the person asked, while the relationship holds, only while it is pending. */
  canDecide: (validator: Actor, owner: Actor, request: ValidationRecord): boolean =>
    request.status === 'pending' && validatorStillRelated(validator, owner, request),

  /**
   * May `viewer` see (and download) this evidence through this request? Only evidence offered
   * with it, which is the asker's own, to someone who may see the request.
   */
  canSeeEvidence(
    viewer: Actor,
    owner: Actor,
    request: ValidationRecord,
    item: { id: string; personId: string } | undefined,
    offeredIds: ReadonlySet<string>,
  ): boolean {
    return (
      item !== undefined &&
      item.personId === request.personId &&
      offeredIds.has(item.id) &&
      validationPolicy.canView(viewer, owner, request)
    );
  },
};
