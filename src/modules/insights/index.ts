/** The insights module's public face: other modules use only what is exported here. */
export { createReadModel, type ReadModel } from './read-model.service.js';
export {
  createInsightsService,
  type InsightsPage,
  type InsightsQuery,
  type InsightsService,
} from './insights.service.js';
export { startInsightsWorker } from './worker.js';
export {
  BASE_RULES,
  type DisclosureRules,
  disclosureRules,
  release,
  type ReleasedCount,
} from './disclosure.js';
export { registerInsightsRoutes } from './insights.routes.js';
export { figureTables, type FigureTable } from './insights-tables.js';
