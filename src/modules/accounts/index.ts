/** The accounts module's public face: other modules use only what is exported here. */
export { registerAccountRoutes } from './accounts.routes.js';
export { type AccountsService, createAccountsService } from './accounts.service.js';
export { createSessionStore, type DatabaseSessionStore } from './session-store.js';
