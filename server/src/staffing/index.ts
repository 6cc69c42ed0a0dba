/**
 * staffing — how many dispatchers an hour needs: Erlang C (M/M/c) for the share answered within a
 * target and the mean wait, and a seeded discrete-event simulation of the desk to check it where its
 * assumptions do not hold (log-normal handling times, callers who hang up), and of a whole day whose
 * rate and dispatchers change by the hour (handling times resampled from those observed).
 */
export { agentsNeeded, answeredWithin, erlangC } from './erlang-c';
export type { ErlangInput, ErlangResult } from './erlang-c';
export { simulateDesk } from './simulation';
export type { SimulationInput, SimulationResult } from './simulation';
export { lognormalSigmaOf, simulateDay } from './day-simulation';
export type { DayHandling, DayHour, DayHourResult, DaySimulationInput } from './day-simulation';
