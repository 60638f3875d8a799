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
  /** The view's population and every offered population containing it. */
  chain: string[][];
  /**
   * Offered populations inside a total (an ICB's or the nation's member organisations, and the
   * ICB totals inside the nation): the total is hidden when within 1-7 people of one of them.
   */
  parts: string[][];
  /**
   * The organisations that together make up a total (an ICB's, the nation's), each once: the
   * total is hidden when it is within 1-7 people of the sum of those large enough to be shown,
   * since subtracting them would describe the small ones.
   */
  partition: string[][];
  rollupScopeIds: string[];
  /**
   * Roll-up scopes of which only the sizes are needed (the parts of the national total): read
   * as a few numbers each, not whole rows.
   */
  sizeOnlyScopeIds?: string[];
  unitScopeIds: string[];
  scopeGroups: ReportGroup[];
}

/**
 * An organisation view at `unitId` (or the whole organisation): the unit, every unit above it and
 * the organisation. Totals made of organisations (an ICB's, the nation's) are compared with the
 * organisation from their side (`parts`), so a small organisation joining an ICB hides the ICB's
 * total, never a large organisation's own page.
 */
export function organisationLayout(input: {
  organisationId: string;
  tree: UnitTree;
  unitId: string | undefined;
}): ViewLayout & { ancestors: string[]; childIds: string[] } {
  const { tree, organisationId } = input;
  const unit = input.unitId ? tree.get(input.unitId) : undefined;
  const ancestors: string[] = [];
  for (let u = unit; u; u = u.parentId ? tree.get(u.parentId) : undefined) ancestors.push(u.id);
  const children = unit ? unit.children : tree.roots;
  return {
    ancestors,
    childIds: children.map((c) => c.id),
    chain: [...ancestors.map((id) => [id]), [organisationId]],
    parts: [],
    partition: [],
    rollupScopeIds: [organisationId],
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

/**
 * A system-level view: every sharing organisation together (checked against each of them), or
 * one of them (as on its own page).
 */
export function systemLayout(input: {
  members: readonly { id: string; name: string }[];
  memberId: string | undefined;
}): ViewLayout {
  const memberIds = input.members.map((m) => m.id).sort();
  const member = input.members.find((m) => m.id === input.memberId);
  const each = member ? [] : memberIds.map((id) => [id]);
  return {
    chain: member ? [[member.id]] : [memberIds],
    parts: each,
    partition: each,
    rollupScopeIds: member ? [member.id] : memberIds,
    unitScopeIds: [],
    scopeGroups: input.members.map((m) => ({ key: m.id, label: m.name, scopeIds: [m.id] })),
  };
}

/**
 * The national view: every organisation (checked against each organisation and each ICB total
 * in it), or one organisation (as on its own page).
 */
export function nationalLayout(input: {
  members: readonly { id: string; name: string }[];
  memberId: string | undefined;
  /** The organisations in each ICB's total. */
  systems: string[][];
  byOrganisation: boolean;
}): ViewLayout {
  const member = input.members.find((m) => m.id === input.memberId);
  const all = input.members.map((m) => m.id);
  // The same arrays in both lists: the report works out each organisation's size once.
  const each = member ? [] : all.map((id) => [id]);
  return {
    chain: member ? [[member.id]] : [[NATIONAL_SCOPE]],
    parts: member ? [] : [...each, ...input.systems],
    partition: each,
    rollupScopeIds: member ? [member.id] : [NATIONAL_SCOPE, ...(input.byOrganisation ? all : [])],
    ...(member || input.byOrganisation ? {} : { sizeOnlyScopeIds: all }),
    unitScopeIds: [],
    scopeGroups: input.members.map((m) => ({ key: m.id, label: m.name, scopeIds: [m.id] })),
  };
}
