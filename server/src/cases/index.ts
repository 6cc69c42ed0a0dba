/**
 * cases — the case core. A case changes only through its two doors, transition() (a row of the
 * transition table) and edit() (a row of the edits table), both in lifecycle.ts; listeners hang on its
 * events. Also: reports and joins, the live queue, who may see a case, and who is still on the call.
 */
// The doors, and what a change tells.
export { caseHistory, edit, loadCase, transition } from './case-revisions';
export { verifyAllCaseEvents, verifyCaseEvents } from './case-event-chain';
export type { CaseEventVerification } from './case-event-chain';
export type { CaseFieldChanges, CaseSnapshot, EditChanges } from './case-revisions';
export type { TransitionActor } from './case-transitions';
export { createCaseListeners } from './case-listeners';
export type { CaseHappened, CaseListener, CaseListeners } from './case-listeners';
export type { CaseServices } from './case-services';
export { caseTopic } from './case-notifications';
export { listenForDeskChanges } from './desk-reads';
// The state groups (lifecycle.ts declares every one).
export { CASE_OUTCOMES, ON_CALL_STATES, RELEASED_OR_LATER_STATES, REVIEW_UPLOAD_STATES, isOnCall, isUnderReview, outcomeOf as caseOutcomeOf } from './lifecycle';
export { isActive } from './case.model';
export type { CaseActorKind, CaseEditKind, CaseOutcome } from './lifecycle';
// Access and presence.
export { deskCase, partyCase } from './case-access';
export { presenceOf, touchPresence } from './call-presence';
export { casePlace } from './case-view';
export { caseNumber, casesNumbered } from './case-number';
export { STATE_WORDS } from './state-words';
export { placeLabel } from './place-label';
export { idempotencyKeySchema, objectIdSchema } from './case.schemas';
// Open cases, kept converged with the cases.
export { casesOnCall, queuedBefore } from './open-cases';
export { openCaseFigures } from './open-case-figures';
export type { OpenCaseFigures, QueueFigures } from './open-case-figures';
export { reconcileOpenCases } from './reconcile-open-cases';
export { recordHandlingTime } from './record-handling';
export { awaitingDecision, casesAwaitingReview, casesChangedSince, casesOfDriver, deliveredPastDeadline, determinedBefore } from './case-lists';
export { queuedCaseTimes } from './case-times';
export type { CaseTimes } from './case-times';
// Routes.
export { caseRoutes } from './case.routes';
export { queueRoutes } from './queue.routes';
export { reportCheckRoutes } from './report-check.routes';
export { roadPreviewRoutes } from './road-preview.routes';
