/**
 * Who may see and change which learning resources. Deny by default; the service calls these.
 *
 * The rules:
 * - Everyone, signed in or not, sees the shared catalogue (organisation null) in lists.
 * - An organisation's own resources are seen only by that organisation's members (any role).
 *   A platform admin who is not a member does not see them.
 * - Educators and admins of an organisation add, edit, retire and bring back its resources, and
 *   import and export them. Platform admins do the same for the shared catalogue, including
 *   the bundled starter entries.
 * - Retired resources are hidden from everyone except those who manage them.
 */
import type { Actor } from '../organisations/index.js';
import type { CatalogueScope, CatalogueVisibility, Resource } from './catalogue.model.js';

/** The roles that manage an organisation's own resources. */
const MANAGER_ROLES = ['educator', 'admin'] as const;

const managesOrganisation = (actor: Actor, organisationId: string) =>
  actor.memberships
    .get(organisationId)
    ?.roles.some((r) => (MANAGER_ROLES as readonly string[]).includes(r)) ?? false;

export const cataloguePolicy = {
  canManageScope(actor: Actor | undefined, scope: CatalogueScope): boolean {
    if (!actor) return false;
    return scope.kind === 'shared'
      ? actor.isPlatformAdmin
      : managesOrganisation(actor, scope.organisationId);
  },

  canManage(actor: Actor | undefined, resource: Pick<Resource, 'organisationId'>): boolean {
    return cataloguePolicy.canManageScope(
      actor,
      resource.organisationId === null
        ? { kind: 'shared' }
        : { kind: 'organisation', organisationId: resource.organisationId },
    );
  },

  /** May the viewer (undefined: not signed in) see this resource at all? */
  canView(
    actor: Actor | undefined,
    resource: Pick<Resource, 'organisationId' | 'retiredAt'>,
  ): boolean {
    const inScope =
      resource.organisationId === null ||
      (actor?.memberships.has(resource.organisationId) ?? false);
    if (!inScope) return false;
    return resource.retiredAt === null || cataloguePolicy.canManage(actor, resource);
  },

  /** Organisations whose resources the actor manages. */
  managedOrganisationIds(actor: Actor | undefined): string[] {
    if (!actor) return [];
    return [...actor.memberships.keys()].filter((id) => managesOrganisation(actor, id));
  },

  /** Everything the actor may manage: the shared catalogue first, then organisations. */
  managedScopes(actor: Actor | undefined): CatalogueScope[] {
    const scopes: CatalogueScope[] = [];
    if (actor?.isPlatformAdmin) scopes.push({ kind: 'shared' });
    for (const organisationId of cataloguePolicy.managedOrganisationIds(actor))
      scopes.push({ kind: 'organisation', organisationId });
    return scopes;
  },

  /** What the viewer may list; retired resources only for their own scopes, when asked. */
  visibility(
    actor: Actor | undefined,
    options: { includeRetired?: boolean } = {},
  ): CatalogueVisibility {
    return {
      organisationIds: actor ? [...actor.memberships.keys()] : [],
      includeOrganisations: true,
      retired: options.includeRetired
        ? {
            shared: actor?.isPlatformAdmin ?? false,
            organisationIds: cataloguePolicy.managedOrganisationIds(actor),
          }
        : undefined,
    };
  },
};
