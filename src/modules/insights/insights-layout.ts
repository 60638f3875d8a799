/**
 * Which populations a view is about and which it can be compared with (pure): the scope chain
 * from the view's own up to the nation, the scopes whose cube rows it needs, and the groups of a
 * unit or organisation breakdown. The service and the adversary test both use these, so the test
 * attacks exactly the views the pages offer.
 */
import type { UnitTree } from '../organisations/index.js';
import { NATIONAL_SCOPE } from './contribution.js';
import type { ReportGroup } from './insights-report.js';

export interface ViewLayout {
  chain: string[][];
  rollupScopeIds: string[];
  unitScopeIds: string[];
  scopeGroups: ReportGroup[];
}

/**
 * An organisation view at `unitId` (or the whole organisation): the unit, every unit above it,
 * the organisation, each system total it is part of (`systems`: the organisations sharing with
 * each receiver it shares with) and the nation.
 */
export function organisationLayout(input: {
  organisationId: string;
  tree: UnitTree;
  unitId: string | undefined;
  systems: string[][];
}): ViewLayout & { ancestors: string[]; childIds: string[] } {
  const { tree, organisationId } = input;
  const unit = input.unitId ? tree.get(input.unitId) : undefined;
  const ancestors: string[] = [];
  for (let u = unit; u; u = u.parentId ? tree.get(u.parentId) : undefined) ancestors.push(u.id);
  const children = unit ? unit.children : tree.roots;
  return {
    ancestors,
    childIds: children.map((c) => c.id),
    chain: [...ancestors.map((id) => [id]), [organisationId], ...input.systems, [NATIONAL_SCOPE]],
    rollupScopeIds: [organisationId, NATIONAL_SCOPE, ...input.systems.flat()],
    unitScopeIds: [...ancestors, ...children.map((c) => c.id)],
    scopeGroups: [
      ...children.map((c) => ({ key: c.id, label: c.name, scopeIds: [c.id] })),
      {
        key: 'rest',
        label: unit ? `Directly in ${unit.name}` : 'Not in a unit',
        remainder: true,
      },
    ],
  };
}

/** A system-level view: every sharing organisation together, or one of them within that total. */
export function systemLayout(input: {
  members: readonly { id: string; name: string }[];
  memberId: string | undefined;
}): ViewLayout {
  const memberIds = input.members.map((m) => m.id).sort();
  const member = input.members.find((m) => m.id === input.memberId);
  return {
    chain: [...(member ? [[member.id]] : []), memberIds, [NATIONAL_SCOPE]],
    rollupScopeIds: [...memberIds, NATIONAL_SCOPE],
    unitScopeIds: [],
    scopeGroups: input.members.map((m) => ({ key: m.id, label: m.name, scopeIds: [m.id] })),
  };
}

/** The national view: every organisation, or one of them within the nation. */
export function nationalLayout(input: {
  members: readonly { id: string; name: string }[];
  memberId: string | undefined;
  byOrganisation: boolean;
}): ViewLayout {
  const member = input.members.find((m) => m.id === input.memberId);
  return {
    chain: [...(member ? [[member.id]] : []), [NATIONAL_SCOPE]],
    rollupScopeIds: [
      NATIONAL_SCOPE,
      ...(member ? [member.id] : input.byOrganisation ? input.members.map((m) => m.id) : []),
    ],
    unitScopeIds: [],
    scopeGroups: input.members.map((m) => ({ key: m.id, label: m.name, scopeIds: [m.id] })),
  };
}
