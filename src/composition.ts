/**
 * The composition root: database → repositories → services, wired by hand. Tests pass overrides
 * (an in-memory database, a short cache) instead of mocking modules.
 */
import path from 'node:path';
import type { Config } from './config.js';
import {
  createFrameworkService,
  listFrameworkDirs,
  loadFrameworkContent,
} from './modules/framework/index.js';
import type { FastifyBaseLogger } from 'fastify';
import {
  createAccountsService,
  createProfileService,
  createSessionStore,
  createSsoService,
} from './modules/accounts/index.js';
import {
  createInvitationsService,
  createOrganisationsService,
} from './modules/organisations/index.js';
import {
  createAssessmentService,
  createResultsService,
  createSharingService,
} from './modules/assessment/index.js';
import { createAuditLog } from './platform/audit/audit-log.js';
import { createRateLimiter } from './platform/rate-limit/rate-limiter.js';
import { createMailer, type OutboxMailer, type SmtpMailer } from './platform/mail/index.js';
import { type Database, type DatabaseOptions, openDatabase } from './platform/db/index.js';

export interface ServiceOverrides {
  database?: Database;
  mailer?: SmtpMailer | OutboxMailer;
  /** How long the latest framework version is cached; 0 in tests that load new versions. */
  latestTtlMs?: number;
}

export function databaseOptions(config: Config): DatabaseOptions {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'pglite', dataDir: config.dataDir };
}

export function migrationsFolder(config: Config): string {
  return path.join(config.rootDir, 'db', 'migrations');
}

export async function createServices(
  config: Config,
  logger: FastifyBaseLogger,
  overrides: ServiceOverrides = {},
) {
  const database =
    overrides.database ?? (await openDatabase(databaseOptions(config), migrationsFolder(config)));
  const frameworks = createFrameworkService({
    database,
    ...(overrides.latestTtlMs === undefined ? {} : { latestTtlMs: overrides.latestTtlMs }),
  });
  const sessionStore = createSessionStore(database, {
    idleMs: config.sessionIdleMinutes * 60_000,
    absoluteMs: config.sessionAbsoluteHours * 3_600_000,
  });
  const mailer = overrides.mailer ?? createMailer(config.mail, logger);
  const rateLimiter = createRateLimiter(database);
  const audit = createAuditLog(database);
  const accounts = createAccountsService({
    database,
    mailer,
    rateLimiter,
    audit,
    publicUrl: config.publicUrl,
  });
  const profiles = createProfileService({ database, frameworks, audit });
  // Single sign-on only when OIDC_* are configured; the provider is contacted on first use.
  const sso = config.oidc ? createSsoService({ database, audit, oidc: config.oidc }) : undefined;
  const organisations = createOrganisationsService({ database, accounts, audit });
  const invitations = createInvitationsService({
    database,
    organisations,
    accounts,
    mailer,
    audit,
    publicUrl: config.publicUrl,
    frameworks,
    profiles,
    logger,
  });
  const assessments = createAssessmentService({ database, frameworks, profiles, audit });
  const results = createResultsService({ database, frameworks, publicUrl: config.publicUrl });
  const sharing = createSharingService({ database, organisations, audit });
  accounts.onPersonalDataExport('assessments', (personId) => results.personalData(personId));
  accounts.onPersonalDataExport('assessmentShares', (personId) => sharing.personalData(personId));
  accounts.onAccountErased((person, tx) => invitations.erasePerson(person, tx));
  return {
    database,
    frameworks,
    sessionStore,
    mailer,
    rateLimiter,
    audit,
    accounts,
    profiles,
    organisations,
    invitations,
    assessments,
    results,
    sharing,
    sso,
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;

/** Validate every bundled framework, then store any that changed as new versions. */
export async function loadBundledContent(config: Config, services: Services) {
  const dirs = await listFrameworkDirs(config.contentDir, config.rootDir);
  const loaded = await Promise.all(dirs.map((dir) => loadFrameworkContent(dir, config.rootDir)));
  return services.frameworks.syncBundledContent(loaded);
}
