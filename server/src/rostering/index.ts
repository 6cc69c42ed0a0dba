/**
 * rostering — how many dispatchers each brigade has rostered for every hour of the week (versioned, ops
 * edit it), and the staffing recommendation beside it: the calls and handling times observed in the
 * brigade's cases over the last weeks, and what Erlang C (staffing/) says each hour needs.
 */
export { currentRoster, saveRoster } from './roster.service';
export { observedLoad } from './observed-load';
export type { HourLoad, ObservedLoad } from './observed-load';
export { staffingRecommendation } from './staffing.service';
export { HOURS_PER_WEEK, hourOfWeek, observedWindow } from './week-hours';
export { rosteringRoutes } from './rostering.routes';
