/**
 * eligibility — the rules a report must pass (hours and suspensions, place, roads, the case answers),
 * the road layer and service calendar ops keep, and the safety confirmation before a report.
 */
export { checkEligibility } from './eligibility.service';
export type { EligibilityResult, EligibilityServices } from './eligibility.service';
export { requireFreshSafetyCheck } from './safety-check.service';
export { caseAnswersSchema, eligibilityRequestSchema, locationSchema } from './eligibility.schemas';
export { eligibilityRoutes } from './eligibility.routes';
export { isRoadLayerPath, roadLayerRoutes } from './road-layer.routes';
export { serviceHoursRoutes } from './service-hours.routes';
