/**
 * Who may see which insights. Deny by default: every function answers "no" unless a rule below
 * says "yes". Insights never show a person, so these rules decide only which groups' figures
 * someone may see:
 * - a platform admin: every organisation, and the national view across all of them;
 * - an organisation admin or insights viewer: the whole organisation, any unit in it;
 * - a line manager: their unit and every unit below it;
 * - an integrated care board's admins and insights viewers: the organisations that agreed to
 *   share their insights with it, one at a time and in total;
 * - an organisation admin decides (and withdraws) that sharing.
 * Members and educators see no insights (educators' cohort views come with curriculum mapping).
 */
import type { Actor } from '../organisations/index.js';

export type InsightsScope =
  | { kind: 'all' }
  | { kind: 'units'; unitIds: ReadonlySet<string>; homeUnitId: string }
  | { kind: 'none' };

const hasRole = (actor: Actor, organisationId: string, role: string) =>
  actor.memberships.get(organisationId)?.roles.includes(role as never) ?? false;

export const insightsPolicy = {
  organisationScope(actor: Actor, organisationId: string): InsightsScope {
    if (actor.isPlatformAdmin) return { kind: 'all' };
    if (
      hasRole(actor, organisationId, 'admin') ||
      hasRole(actor, organisationId, 'insights_viewer')
    )
      return { kind: 'all' };
    const m = actor.memberships.get(organisationId);
    if (m?.roles.includes('line_manager') && m.unitId && m.managedUnitIds.size > 0)
      return { kind: 'units', unitIds: m.managedUnitIds, homeUnitId: m.unitId };
    return { kind: 'none' };
  },

  canViewSystem: (actor: Actor, organisationId: string) =>
    actor.isPlatformAdmin ||
    hasRole(actor, organisationId, 'admin') ||
    hasRole(actor, organisationId, 'insights_viewer'),

  canManageSharing: (actor: Actor, organisationId: string) =>
    actor.isPlatformAdmin || hasRole(actor, organisationId, 'admin'),

  canViewNational: (actor: Actor) => actor.isPlatformAdmin,
};
