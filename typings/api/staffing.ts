/**
 * Rosters and the staffing recommendation (ops). An hour of the week is an index 0…167 into a
 * 168-long list: (weekday − 1) × 24 + hour, weekday 1 = Monday … 7 = Sunday, hours in Asia/Shanghai.
 */

/** How many dispatchers a brigade has rostered for each hour of the week. */
export interface RosterView {
  brigadeCode: string;
  /** 0 until ops first save one; each save makes the next. */
  rev: number;
  /** False while nothing was ever saved: every hour then reads 0. */
  saved: boolean;
  /** 168 counts, Monday 00:00 first. */
  dispatchers: number[];
  changedBy: string | null;
  changedAt: string | null;
}

/** ops: a new roster on top of `basedOnRev`; refused (409) when someone else saved one meanwhile. */
export interface SaveRosterRequest {
  basedOnRev: number;
  /** 168 whole numbers, 0…50. */
  dispatchers: number[];
}

/** What Erlang C predicts for an hour with a given number of dispatchers. */
export interface StaffingPrediction {
  dispatchers: number;
  /** Share of calls answered within `withinSeconds` (0…1). */
  serviceLevel: number;
  /** Share of calls that wait at all (0…1). */
  probabilityOfWaiting: number;
  /** Mean wait of all calls, seconds; null when more arrive than they can handle (the queue grows without end). */
  meanWaitSeconds: number | null;
}

export interface StaffingHour {
  /** 0…167: (weekday − 1) × 24 + hour. */
  index: number;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 0…23, Asia/Shanghai. */
  hour: number;
  /** Calls (cases that entered the queue) reported in this hour over the whole window. */
  arrivals: number;
  /** arrivals ÷ weeks: calls per hour. */
  arrivalsPerHour: number;
  /** Calls of this hour answered and released (those whose handling time is known). */
  handled: number;
  /** Mean answer → release of those, seconds; null when none. */
  meanHandlingSeconds: number | null;
  /** The handling time Erlang C used: this hour's, else the brigade's over the window (null: nothing handled at all). */
  handlingSecondsUsed: number | null;
  handlingBasis: 'hour' | 'brigade' | 'none';
  /** Offered traffic, erlangs: arrivalsPerHour × handlingSecondsUsed / 3600. */
  trafficErlangs: number;
  /** The fewest dispatchers that answer `target` of calls within `withinSeconds`. */
  needed: number;
  rostered: number;
  /** Rostered fewer than needed. */
  short: boolean;
  /** Null when no calls are expected (or their handling is unknown). */
  withNeeded: StaffingPrediction | null;
  withRostered: StaffingPrediction | null;
}

/** GET /api/v1/admin/staffing?brigade=&weeks=&target=&withinSeconds= */
export interface StaffingResponse {
  brigadeCode: string;
  brigadeName: string;
  weeks: number;
  target: number;
  withinSeconds: number;
  /** The observed window, whole Asia/Shanghai days: [from, to), `to` is today's 00:00. */
  window: { from: string; to: string };
  /** Calls counted in the window. */
  calls: number;
  /** Mean answer → release over the whole window, seconds (the fallback for hours with none handled). */
  meanHandlingSeconds: number | null;
  roster: Omit<RosterView, 'dispatchers'>;
  /** 168 hours, Monday 00:00 first. */
  hours: StaffingHour[];
  /** Hours where the roster is short of the recommendation. */
  shortHours: number;
}
