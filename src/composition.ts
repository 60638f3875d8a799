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
import { createCatalogueService, loadBundledCatalogue } from './modules/learning/index.js';
import {
  createPreferencesService,
  createRecommendationsService,
} from './modules/learning/index.js';
import { createAuditLog } from './platform/audit/audit-log.js';
import { createRateLimiter } from './platform/rate-limit/rate-limiter.js';
import { createMailer, type OutboxMailer, type SmtpMailer } from './platform/mail/index.js';
import { type Database, type DatabaseOptions, openDatabase } from './platform/db/index.js';
import { createLocalDiskStorage, type FileStorage } from './platform/storage/index.js';
import { createEvidenceService, createPortfolioService } from './modules/learning/index.js';
import { createPlansService, createRemindersService } from './modules/learning/index.js';
import { createValidationService } from './modules/learning/index.js';
import {
  createInsightsService,
  createReadModel,
  disclosureRules,
} from './modules/insights/index.js';
import { createHomeService } from './modules/home/index.js';

export interface ServiceOverrides {
  database?: Database;
  mailer?: SmtpMailer | OutboxMailer;
  /**
   * How long the latest framework version is cached, and how long recommendations trust the
   * learning catalogue they hold before checking it for changes; 0 in tests.
   */
  latestTtlMs?: number;
  /** Where uploaded files go; the local disk (config.storageDir) unless given. */
  storage?: FileStorage;
}

export function databaseOptions(config: Config): DatabaseOptions {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl, readUrl: config.databaseReadUrl }
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
  const sharing = createSharingService({
    database,
    organisations,
    audit,
    notify: { mailer, publicUrl: config.publicUrl, people: accounts, logger },
  });
  const catalogue = createCatalogueService({ database, frameworks, organisations, audit });
  const learningPreferences = createPreferencesService({ database, audit });
  const recommendations = createRecommendationsService({
    database,
    results,
    assessments,
    preferences: learningPreferences,
    // Tests that change the catalogue (latestTtlMs 0) see the change at once.
    ...(overrides.latestTtlMs === undefined ? {} : { catalogueCheckMs: overrides.latestTtlMs }),
  });
  accounts.onPersonalDataExport('learningPreferencesAndMarks', (personId) =>
    recommendations.personalData(personId),
  );
  accounts.onPersonalDataExport('assessments', (personId) => results.personalData(personId));
  accounts.onPersonalDataExport('assessmentShares', (personId) => sharing.personalData(personId));
  accounts.onAccountErased((person, tx) => invitations.erasePerson(person, tx));
  // Evidence files: local disk unless overridden (STORAGE_DIR must be shared by all instances).
  const storage = overrides.storage ?? createLocalDiskStorage(config.storageDir);
  const evidence = createEvidenceService({
    database,
    frameworks,
    storage,
    audit,
    maxFileBytes: config.evidenceMaxFileBytes,
    logger,
  });
  accounts.onPersonalDataExport('evidence', (personId) => evidence.personalData(personId));
  // Rows go with the person (cascade); the files once that has committed (evidence.service.ts).
  accounts.onAccountErased((person, tx) => evidence.erasePerson(person, tx));
  // Development plans (goals, their learning, reflections) and their email reminders.
  const plans = createPlansService({ database, frameworks, results, organisations, audit });
  accounts.onPersonalDataExport('developmentPlan', (personId) => plans.personalData(personId));
  const reminders = createRemindersService({
    database,
    mailer,
    frameworks,
    publicUrl: config.publicUrl,
    logger,
  });
  // Validation of levels by a line manager or educator: kept beside self-rating, never mixed.
  const validation = createValidationService({
    database,
    frameworks,
    organisations,
    results,
    evidence,
    mailer,
    audit,
    publicUrl: config.publicUrl,
    logger,
  });
  // Requests the person made (as claimant); rows go with either person's account (cascade).
  accounts.onPersonalDataExport('validationRequests', (personId) =>
    validation.personalData(personId),
  );
  // Workforce insights: the read model (kept up to date from a queue that database triggers
  // fill) and the views over it. An erased account's figures go in the deletion's transaction.
  const readModel = createReadModel({ database, frameworks, logger });
  accounts.onAccountErased((person, tx) => readModel.erasePerson(person.personId, tx));
  const insights = createInsightsService({
    database,
    frameworks,
    organisations,
    audit,
    readModel,
    rules: disclosureRules(config.insightsRules),
  });
  const home = createHomeService({ organisations, insights, invitations, validation, sharing });
  // The portfolio's exports list the validated levels beside the evidence.
  const portfolio = createPortfolioService({ evidence, validations: validation, people: accounts });
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
    catalogue,
    learningPreferences,
    recommendations,
    sso,
    storage,
    evidence,
    portfolio,
    plans,
    reminders,
    validation,
    readModel,
    insights,
    home,
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;

/** Validate every bundled framework, then store any that changed as new versions. */
export async function loadBundledContent(config: Config, services: Services) {
  const dirs = await listFrameworkDirs(config.contentDir, config.rootDir);
  const loaded = await Promise.all(dirs.map((dir) => loadFrameworkContent(dir, config.rootDir)));
  return services.frameworks.syncBundledContent(loaded);
}

/**
 * Validate the bundled learning catalogue against the latest framework, then store it (after
 * loadBundledContent, whose framework it is checked against). Undefined when there is no file.
 */
export async function loadBundledLearningCatalogue(config: Config, services: Services) {
  return loadBundledCatalogue(config.contentDir, services.catalogue, config.rootDir);
}
