/**
 * staffing — how many dispatchers an hour needs: Erlang C (M/M/c) for the share answered within a
 * target and the mean wait, and a seeded discrete-event simulation of the desk to check it where its
 * assumptions do not hold (log-normal handling times, callers who hang up).
 */
export { agentsNeeded, answeredWithin, erlangC } from './erlang-c';
export type { ErlangInput, ErlangResult } from './erlang-c';
export { simulateDesk } from './simulation';
export type { SimulationInput, SimulationResult } from './simulation';
