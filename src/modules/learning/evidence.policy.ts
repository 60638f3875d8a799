/**
 * Who may do what with a piece of evidence. Deny by default: every function answers "no" unless
 * a rule below says "yes". The evidence service calls these; routes never decide.
 *
 * The rules:
 * - The person whose evidence it is may see it (and download its file), change it and delete it.
 * - Someone who is asked to decide a validation request may see (not change) the evidence
 *   offered with that request. The validation service works out which evidence that is and
 *   passes it in `access.decidingEvidenceIds`; nothing here looks it up.
 * - Nobody else: their answer is "not found", never "forbidden", so nobody learns which
 *   evidence exists.
 */
import { NotFoundError } from '../../platform/errors.js';

interface Owned {
  id: string;
  personId: string;
}

/** What else, beyond owning it, lets someone see evidence (filled by other services). */
export interface EvidenceAccess {
  /** Evidence offered with validation requests this person is asked to decide. */
  decidingEvidenceIds?: ReadonlySet<string>;
}

const owns = (personId: string, item: Owned) => item.personId === personId;

export const evidencePolicy = {
  canView: (personId: string, item: Owned | undefined, access: EvidenceAccess = {}): boolean =>
    item !== undefined &&
    (owns(personId, item) || access.decidingEvidenceIds?.has(item.id) === true),

  canChange: (personId: string, item: Owned | undefined): boolean =>
    item !== undefined && owns(personId, item),
};

const notFound = () => new NotFoundError('We could not find that evidence');

export function ensureCanViewEvidence<T extends Owned>(
  personId: string,
  item: T | undefined,
  access: EvidenceAccess = {},
): T {
  if (!item || !evidencePolicy.canView(personId, item, access)) throw notFound();
  return item;
}

export function ensureCanChangeEvidence<T extends Owned>(personId: string, item: T | undefined): T {
  if (!item || !evidencePolicy.canChange(personId, item)) throw notFound();
  return item;
}
