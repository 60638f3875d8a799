/**
 * Who may do what with an assessment. Deny by default: every function answers "no" unless a
 * rule below says "yes". The assessment service calls these; routes never decide.
 *
 * The rules:
 * - Only the person who took an assessment may see it or its answers.
 * - Only they may answer or submit it, and only while it is in progress: a submitted assessment
 *   never changes again.
 * - Sharing with a line manager or educator is decided by the sharing rules (sharing.*), not
 *   here; nothing here lets anyone but the owner in.
 */
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import type { AssessmentStatus } from './assessment.model.js';

interface Owned {
  personId: string;
  status: AssessmentStatus;
}

export const assessmentPolicy = {
  canView: (personId: string, assessment: Owned | undefined): boolean =>
    assessment !== undefined && assessment.personId === personId,

  canChange: (personId: string, assessment: Owned | undefined): boolean =>
    assessmentPolicy.canView(personId, assessment) && assessment?.status === 'in_progress',
};

/**
 * Someone else's assessment is "not found", never "forbidden", so nobody learns which
 * assessments exist.
 */
export function ensureOwner<T extends Owned>(personId: string, assessment: T | undefined): T {
  if (!assessment || !assessmentPolicy.canView(personId, assessment))
    throw new NotFoundError('We could not find that assessment');
  return assessment;
}

/** The owner's own submitted assessment cannot be changed: a conflict they can understand. */
export class AssessmentSubmittedError extends ConflictError {
  override name = 'AssessmentSubmittedError';
  constructor() {
    super('This assessment has been submitted, so its answers can no longer be changed');
  }
}

export function ensureChangeable<T extends Owned>(personId: string, assessment: T | undefined): T {
  const owned = ensureOwner(personId, assessment);
  if (!assessmentPolicy.canChange(personId, owned)) throw new AssessmentSubmittedError();
  return owned;
}
