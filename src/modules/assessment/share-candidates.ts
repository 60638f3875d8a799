/**
 * Who a person may share their results with, and who may validate their levels (the learning
 * module asks exactly the same people): in each organisation they both belong to, a line manager
 * whose managed units contain the person's unit, or an educator. The rule itself is
 * `sharingPolicy.relationship` (sharing.policy.ts); this lists the people it says "yes" to, with
 * what the pages show about them, and checks one relationship again later (a line manager who
 * has moved unit, lost the role or left no longer has it).
 */
import type { Db } from '../../platform/db/index.js';
import {
  type Actor,
  organisationsRepository,
  ROLE_LABELS,
  UnitTree,
} from '../organisations/index.js';
import { type ShareCandidate, type ShareRelationship, sharingPolicy } from './sharing.policy.js';

export type { ShareRelationship } from './sharing.policy.js';

/** Someone the owner may share with (or ask to validate), as the pages list them. */
export interface CandidateView {
  personId: string;
  name: string;
  relationship: ShareRelationship;
  /** "Line manager, Medicine" or "Educator". */
  roleText: string;
  organisationId: string;
  organisationName: string;
}

/** Everyone the owner may share with, by name: line managers first, then educators. */
export async function listShareCandidates(db: Db, owner: Actor): Promise<CandidateView[]> {
  const organisationIds = [...owner.memberships.keys()];
  const names = new Map(
    (await organisationsRepository.listOrganisationsByIds(db, organisationIds)).map((o) => [
      o.id,
      o.name,
    ]),
  );
  const found = new Map<string, CandidateView>();
  for (const organisationId of organisationIds) {
    const [members, unitRows] = await Promise.all([
      organisationsRepository.listMembers(db, organisationId),
      organisationsRepository.listUnits(db, organisationId),
    ]);
    const units = new UnitTree(unitRows);
    for (const m of members) {
      if (!m.roles.includes('line_manager') && !m.roles.includes('educator')) continue;
      const candidate: ShareCandidate = {
        personId: m.personId,
        membership: {
          organisationId,
          membershipId: m.id,
          roles: m.roles,
          unitId: m.unitId,
          managedUnitIds:
            m.roles.includes('line_manager') && m.unitId ? units.subtreeIds(m.unitId) : new Set(),
        },
      };
      const relationship = sharingPolicy.relationship(owner, candidate);
      if (!relationship || found.has(m.personId)) continue;
      found.set(m.personId, {
        personId: m.personId,
        name: m.displayName,
        relationship,
        roleText:
          relationship === 'line_manager'
            ? `${ROLE_LABELS.line_manager}, ${m.unitId ? units.pathText(m.unitId) : ''}`
            : ROLE_LABELS.educator,
        organisationId,
        organisationName: names.get(organisationId) ?? '',
      });
    }
  }
  const rank = (c: CandidateView) => (c.relationship === 'line_manager' ? 0 : 1);
  return [...found.values()].sort(
    (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'en-GB'),
  );
}

/**
 * The relationship `other` has with `owner` in one organisation now (their membership there, as
 * loaded fresh by `actorFor`), or undefined when there is none any more: the same rule as
 * `listShareCandidates`, for checking again someone chosen earlier.
 */
export function currentRelationship(
  owner: Actor,
  other: Actor,
  organisationId: string,
): ShareRelationship | undefined {
  const membership = other.memberships.get(organisationId);
  if (!membership) return undefined;
  return sharingPolicy.relationship(owner, { personId: other.personId, membership });
}
