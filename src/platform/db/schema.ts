/** Every module's tables, gathered for Drizzle and drizzle-kit. Modules add their *.tables.ts here. */
export * from '../../modules/accounts/accounts.tables.js';
export * from '../../modules/framework/framework.tables.js';
export * from '../rate-limit/rate-limit.tables.js';
export * from '../audit/audit.tables.js';
export * from '../../modules/organisations/organisations.tables.js';
export * from '../../modules/assessment/assessment.tables.js';
export * from '../jobs/jobs.tables.js';
export * from '../../modules/learning/learning.tables.js';
export * from '../../modules/insights/insights.tables.js';
