/** The assessment module's public face: other modules use only what is exported here. */
export * from './assessment.model.js';
export {
  ASSESSMENT_MODES,
  type Assessment,
  AssessmentFieldError,
  AssessmentIncompleteError,
  type AssessmentService,
  type AssessmentWorkspace,
  createAssessmentService,
  isAssessmentMode,
} from './assessment.service.js';
export { assessmentPolicy, AssessmentSubmittedError, ensureOwner } from './assessment.policy.js';
export { type AreaPlan, type AssessmentPlan, SECONDS_PER_STATEMENT } from './assessment.plan.js';
export { registerAssessmentRoutes } from './assessment.routes.js';
// The learner's part of the home page (the home module adds a manager's and an admin's).
export { homePage as learnerHomePage } from './assessment.presenter.js';
// Results, reports, exports, history and sharing (issue 4).
export { createResultsService, type ResultsService } from './results.service.js';
export { registerResultsRoutes } from './results.routes.js';
// For the learning module (issue 5), which depends on this one, never the reverse.
export { countsAsGap, isNotRelevant } from './results.chart.js';
export { parseResultsSnapshot } from './results.snapshot.js';
export { meetsStatement } from './engine/scale.js';
export type {
  ResultsLearningGap,
  ResultsLearningItem,
  ResultsRecommendations,
} from './results.learning.js';
export {
  type ResultsValidatedLevel,
  type ResultsValidations,
  validatedLevelText,
} from './results.validated.js';
// Validated levels in the shape the assessment exports give them (the portfolio's too).
export { type ExportedValidation, exportedValidation } from './export.js';
export { createSharingService, type SharingService } from './sharing.service.js';
// Who may receive a share is also who may validate a level (the learning module's validation).
export {
  type CandidateView,
  currentRelationship,
  listShareCandidates,
  type ShareRelationship,
} from './share-candidates.js';
export { registerSharingRoutes } from './sharing.routes.js';
