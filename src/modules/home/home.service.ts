/**
 * What a person's home page shows beyond their own learning: for a line manager, validation
 * requests waiting, results shared with them and their team's participation; for an
 * organisation admin or insights viewer, the organisation's participation, and for admins the
 * invitations not yet accepted. Participation figures come from the insights service, so they
 * pass through the release function like every other aggregate (and their view is audited).
 */
import type { SharingService } from '../assessment/index.js';
import { figureTables, type InsightsService } from '../insights/index.js';
import type { ValidationService } from '../learning/index.js';
import type { Actor, InvitationsService, OrganisationsService } from '../organisations/index.js';

export interface WorkplaceSummary {
  organisationId: string;
  organisationName: string;
  /** 'team' for a line manager, 'organisation' for admins and insights viewers. */
  kind: 'team' | 'organisation';
  scopeText: string;
  /** Released participation figures (label, text), or why they are hidden. */
  participation: { label: string; value: string }[];
  participationHidden: string | undefined;
  insightsHref: string;
  /** An integrated care board's viewers: the insights its member organisations share with it. */
  sharedInsightsHref: string | undefined;
  /** Admins only: invitations waiting to be accepted. */
  pendingInvitations: number | undefined;
  invitationsHref: string;
}

export interface HomeWork {
  validationWaiting: number;
  sharedWithMe: number;
  /** Whether the person holds a role that is asked to validate or is shared results. */
  isValidator: boolean;
  /** Platform admins: a link to the national insights. */
  isPlatformAdmin: boolean;
  workplaces: WorkplaceSummary[];
}

export function createHomeService(deps: {
  organisations: Pick<OrganisationsService, 'actorFor' | 'listMyOrganisations'>;
  insights: Pick<InsightsService, 'organisationPage'>;
  invitations: Pick<InvitationsService, 'listInvitations'>;
  validation: Pick<ValidationService, 'overview'>;
  sharing: Pick<SharingService, 'sharedWithMe'>;
}) {
  return {
    async work(personId: string, ip?: string): Promise<HomeWork> {
      const actor: Actor = await deps.organisations.actorFor(personId);
      const [overview, shared] = await Promise.all([
        deps.validation.overview(personId),
        deps.sharing.sharedWithMe(personId),
      ]);
      const workplaces: WorkplaceSummary[] = [];
      const mine = await deps.organisations.listMyOrganisations(actor);
      for (const org of mine) {
        const m = actor.memberships.get(org.id);
        if (!m) continue;
        const admin = m.roles.includes('admin');
        const viewer = admin || m.roles.includes('insights_viewer');
        const manager = m.roles.includes('line_manager');
        if (!viewer && !manager) continue;
        const page = await deps.insights.organisationPage(
          actor,
          org.id,
          { filters: {}, by: [] },
          ip,
          'home',
        );
        const participation = figureTables(page).find((t) => t.id === 'participation');
        const base = `/organisations/${encodeURIComponent(org.id)}`;
        const pending = admin
          ? (await deps.invitations.listInvitations(actor, org.id)).invitations.filter(
              (i) => i.status === 'pending',
            ).length
          : undefined;
        workplaces.push({
          organisationId: org.id,
          organisationName: org.name,
          kind: viewer ? 'organisation' : 'team',
          scopeText: page.scope.unit ? `${page.scope.unit.path} and every unit below it` : org.name,
          participation: (participation?.rows ?? []).map((r) => ({
            label: String(r[0] ?? ''),
            value: typeof r[1] === 'number' ? r[1].toLocaleString('en-GB') : (r[1] ?? ''),
          })),
          participationHidden: participation?.hidden,
          insightsHref: `${base}/insights`,
          sharedInsightsHref: viewer && org.type === 'icb' ? `${base}/insights/shared` : undefined,
          pendingInvitations: pending,
          invitationsHref: `${base}/invitations`,
        });
      }
      return {
        validationWaiting: overview.waitingCount,
        sharedWithMe: shared.length,
        isValidator: overview.isValidator,
        isPlatformAdmin: actor.isPlatformAdmin,
        workplaces,
      };
    },
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
