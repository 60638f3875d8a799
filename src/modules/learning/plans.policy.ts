/**
 * Who may do what with a development plan. Deny by default: every function answers "no" unless a
 * rule below says "yes". plans.service.ts calls these; routes never decide.
 *
 * The rules:
 * - A plan is its owner's alone: only they see, add, change or remove its goals, attach
 *   resources and record progress and reflections. Nobody else, whatever their role (line
 *   manager, educator, organisation or platform admin), sees that a goal exists: "not found".
 * - A person may add to their plan a resource they may see that is not retired: one shared with
 *   everyone (no organisation) or one of an organisation they belong to.
 * - Resources already in a plan stay visible to its owner there, even once retired or after the
 *   owner has left the resource's organisation (the plan records what they did).
 */
import { NotFoundError } from '../../platform/errors.js';

interface Owned {
  personId: string;
}

interface Resource {
  organisationId: string | null;
  retiredAt: Date | null;
}

export const plansPolicy = {
  canSeeGoal: (personId: string, goal: Owned | undefined): goal is Owned =>
    goal !== undefined && goal.personId === personId,

  canChangeGoal: (personId: string, goal: Owned | undefined): goal is Owned =>
    plansPolicy.canSeeGoal(personId, goal),

  /** May someone in these organisations add this resource to their plan? */
  canAddResource: <T extends Resource>(
    organisationIds: ReadonlySet<string>,
    resource: T | undefined,
  ): resource is T =>
    resource !== undefined &&
    resource.retiredAt === null &&
    (resource.organisationId === null || organisationIds.has(resource.organisationId)),
};

/**
 * The owner's goal; someone else's (or none) is "not found", never "forbidden", so that nobody
 * learns which goals exist.
 */
export function ensureOwnGoal<T extends Owned>(personId: string, goal: T | undefined): T {
  if (!goal || !plansPolicy.canChangeGoal(personId, goal))
    throw new NotFoundError('We could not find that goal');
  return goal;
}
