/**
 * decisions — the officer's liability decision (§60): the 待认定 list, the case file on one screen,
 * the scenario library ops keep (versioned, audited), the scenario tags and the proposal they make,
 * and the decision itself, guarded so that of two officers one decides.
 */
export { decisionRoutes } from './decision.routes';
