/** The accounts module's public face: other modules use only what is exported here. */
export { fullNameProblem } from './accounts.forms.js';
export { fullNameArgs, newAccountPasswordArgs } from './accounts.presenter.js';
export { registerAccountRoutes } from './accounts.routes.js';
export {
  type AccountsService,
  createAccountsService,
  FieldProblemError,
} from './accounts.service.js';
export { createSessionStore, type DatabaseSessionStore } from './session-store.js';
export { registerSsoRoutes } from './sso.routes.js';
export { createSsoService, type SsoService } from './sso.service.js';
export { registerProfileRoutes } from './profile.routes.js';
export {
  createProfileService,
  describeProfile,
  type Profile,
  type ProfileService,
} from './profile.service.js';
