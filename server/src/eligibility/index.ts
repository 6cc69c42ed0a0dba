/**
 * eligibility — the rules a report must pass (hours and suspensions, place, roads, the case answers),
 * the road layer and service calendar ops keep, and the safety confirmation before a report. The service
 * calendar's public holidays also set the working days that end the 复核 window (reviewDeadline).
 */
export { checkEligibility } from './eligibility.service';
export type { EligibilityResult, EligibilityServices } from './eligibility.service';
export { requireFreshSafetyCheck } from './safety-check.service';
export { caseAnswersSchema, eligibilityRequestSchema, locationSchema } from './eligibility.schemas';
export { eligibilityRoutes } from './eligibility.routes';
export { isRoadLayerPath, roadLayerRoutes } from './road-layer.routes';
export { roadLayerPreview } from './road-preview';
export { eligibilityProbeRoutes } from './probe.routes';
export { serviceHoursRoutes } from './service-hours.routes';
export { currentWorkingDayCalendar } from './service-calendar.service';
export { isWorkingDay, reviewDeadline, reviewDeadlineDay, type WorkingDayCalendar } from './working-days';
