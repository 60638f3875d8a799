/**
 * The learning module's public face (issue 5): the learning catalogue, recommendations,
 * development plans, evidence and validation. Other modules use only what is exported here.
 */
// The learning catalogue (catalogue.*).
export { registerCatalogueApi } from './catalogue.api.js';
export {
  BUNDLED_CATALOGUE_FILE,
  CatalogueContentError,
  loadBundledCatalogue,
} from './catalogue-content.js';
export {
  type CatalogueFilter,
  COST_LABELS,
  durationText,
  FORMAT_LABELS,
  isResourceCost,
  isResourceFormat,
  RESOURCE_COSTS,
  RESOURCE_FORMATS,
  type Resource,
  type ResourceCost,
  type ResourceFormat,
} from './catalogue.model.js';
export {
  catalogueRepository,
  listVisibleResourcesForAreas,
  type ResourceRow,
  toResource,
} from './catalogue.repository.js';
export { registerCatalogueRoutes } from './catalogue.routes.js';
export {
  type CatalogueService,
  type CatalogueTerms,
  createCatalogueService,
} from './catalogue.service.js';
// Recommendations, preferences and "My learning" (recommend.ts, recommendations.*, preferences.*).
export {
  type GapRecommendations,
  type LearningPreferences,
  NO_PREFERENCES,
  type RankableResource,
  recommend,
  type RecommendationGap,
} from './recommend.js';
export {
  createRecommendationsService,
  type RecommendationsService,
} from './recommendations.service.js';
export { createPreferencesService, type PreferencesService } from './preferences.service.js';
export { registerMyLearningRoutes } from './my-learning.routes.js';
export { registerPreferencesRoutes } from './preferences.routes.js';
// Evidence and the portfolio (evidence.*, portfolio.*).
export {
  createEvidenceService,
  type DescribedEvidence,
  evidenceFilesSweepJob,
  type EvidenceService,
} from './evidence.service.js';
export { type EvidenceAccess, evidencePolicy } from './evidence.policy.js';
export { evidenceRepository, type EvidenceListRow } from './evidence.repository.js';
export { registerEvidenceRoutes } from './evidence.routes.js';
export { createPortfolioService, type PortfolioService } from './portfolio.service.js';
export { registerPortfolioRoutes } from './portfolio.routes.js';
// Development plans and reminders (plans.*, reminders.*).
export { createPlansService, type PlansService } from './plans.service.js';
export { registerPlanRoutes } from './plans.routes.js';
export { addResourceHref, newGoalHref } from './plans.presenter.js';
export {
  createRemindersService,
  type RemindersService,
  remindersJob,
} from './reminders.service.js';
// Validation of levels by a line manager or educator (validation.*).
export {
  createValidationService,
  type ValidatedLevel,
  type ValidationService,
} from './validation.service.js';
export { registerValidationRoutes } from './validation.routes.js';
export { askValidationHref, validatedLevelText } from './validation.presenter.js';
