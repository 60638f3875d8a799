/** The organisations module's public face: other modules use only what is exported here. */
export { registerOrganisationRoutes } from './organisations.routes.js';
export { registerInvitationRoutes } from './invitations.routes.js';
export {
  createInvitationsService,
  type InvitationsService,
  type RosterSummary,
} from './invitations.service.js';
export {
  createOrganisationsService,
  currentOrganisationId,
  LastAdminError,
  type MyOrganisation,
  normaliseOdsCode,
  OrganisationFieldError,
  type OrganisationsService,
  type OrganisationView,
  unitNameProblem,
} from './organisations.service.js';
export {
  type Actor,
  ensure,
  ensureVisible,
  type MembershipContext,
  organisationsPolicy,
} from './organisations.policy.js';
export {
  type MemberRow,
  type MembershipRow,
  type OrganisationRow,
  organisationsRepository,
} from './organisations.repository.js';
export {
  organisationChrome,
  organisationNavArgs,
  type OrganisationPage,
} from './organisations.presenter.js';
export {
  isOrganisationType,
  isRole,
  ORGANISATION_TYPE_LABELS,
  ORGANISATION_TYPES,
  type OrganisationType,
  parseRole,
  type Role,
  ROLE_LABELS,
  ROLES,
} from './roles.js';
export {
  parseUnitPath,
  UNIT_PATH_SEPARATOR,
  type UnitNode,
  type UnitRow,
  UnitTree,
} from './unit-tree.js';
