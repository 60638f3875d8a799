/** Every module's tables, gathered for Drizzle and drizzle-kit. Modules add their *.tables.ts here. */
export * from '../../modules/framework/framework.tables.js';
