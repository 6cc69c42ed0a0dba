/**
 * decisions — the officer's liability decision (§60): the 待认定 list, the case file on one screen,
 * the scenario library ops keep (versioned, audited), the scenario tags and the proposal they make,
 * the decision itself (guarded so that of two officers one decides), then the numbered, signed
 * certificate delivered to every party, and the close once the 复核 window passes.
 */
export { decisionRoutes } from './decision.routes';
export { sweepDecisions } from './decision-sweeper';
export type { DeliveryServices } from './delivery';
