/** Other ways to handle an accident when this service cannot take it. */
export type Alternative = 'call_122' | 'photo_quick_handling' | 'self_settlement' | 'officer_on_scene';

/** The answer of one eligibility rule. Every failing rule is reported, not just the first. */
export interface RuleVerdict {
  ok: boolean;
  /** Machine-readable, e.g. `OUTSIDE_HOURS`, `SUSPENDED`, `NOT_YET_OPEN`. */
  code: string;
  /** Plain Chinese for the driver. */
  reason: string;
  alternatives: Alternative[];
  /** When the service opens next (ISO), where that is known. */
  nextOpenAt?: string | null;
}

/** Where the accident is, as the phone reported it. */
export interface LocationInput {
  lat: number;
  lng: number;
  /** `wx.getLocation({ type: 'gcj02' })` gives GCJ-02; WGS-84 is accepted and converted. */
  coordType: 'gcj02' | 'wgs84';
  /** The `accuracy` wx.getLocation returned, in metres. */
  accuracyM: number;
  /** The driver moved the map pin to the right spot / confirmed the address (asked for when accuracy is poor). */
  confirmedOnMap?: boolean;
}

/** The driver's answers about the accident (《道路交通事故处理程序规定》§13). */
export interface CaseAnswers {
  vehicleCount: number;
  /** Every party is a motor vehicle (no pedestrian, bicycle, e-bike). */
  motorVehiclesOnly: boolean;
  anyoneInjured: boolean;
  vehiclesDrivable: boolean;
  factsDisputed: boolean;
  unlicensedDriving: boolean;
  drinkOrDrugs: boolean;
  anyoneLeftScene: boolean;
}

export interface EligibilityRequest {
  location: LocationInput;
  answers: CaseAnswers;
}

/** The rule groups, each a module under server/src/eligibility/. */
export type EligibilityRule = 'hours' | 'place' | 'roads' | 'case';

export interface FailedVerdict extends RuleVerdict {
  rule: EligibilityRule;
}

export interface ResolvedPlace {
  /** GCJ-02 after any conversion. */
  lat: number;
  lng: number;
  address: string;
  district: { adcode: string; name: string } | null;
  brigade: { code: string; name: string; dutyPhone: string | null } | null;
  nearBorder: boolean;
  convertedFromWgs84: boolean;
}

/**
 * An open case close by and recent: probably the same accident, reported by the other party. Deliberately
 * nothing to join it by: the driver asks the other party for the 6-character code (or its QR code).
 */
export interface NearbyOpenCase {
  distanceM: number;
  createdAt: string;
  vehicleCount: number;
  /** How many vehicles are already in it (max 3). */
  partyCount: number;
}

export interface EligibilityResponse {
  eligible: boolean;
  /** Every failed rule at once, in rule order (hours, place, roads, case). */
  failed: FailedVerdict[];
  place: ResolvedPlace;
  /** GPS accuracy is worse than the threshold: ask the driver to confirm the spot on a map pin and resend with confirmedOnMap. */
  needsMapConfirmation: boolean;
  nearbyOpenCases: NearbyOpenCase[];
  checkedAt: string;
}

/** Hazard lights on and the warning triangle 50–100 m behind, confirmed before the call button is enabled. */
export interface SafetyCheckRequest {
  hazardLightsOn: true;
  warningTrianglePlaced: true;
  /** Everyone is off the carriageway, behind the guard rail or on the verge. */
  peopleInSafePlace: true;
}

export interface SafetyCheckResponse {
  safetyCheckId: string;
  /** Server time of the confirmation. */
  confirmedAt: string;
  /** A case must be reported before then, or the driver confirms again. */
  validUntil: string;
}

/**
 * A day of the service calendar that differs from the Monday–Friday working week: a public holiday
 * (a day off, also when it falls on a weekday) or an official make-up working day (调休上班, a working
 * day also when it falls on a weekend). They decide the 复核 deadline. Seeded from
 * `server/data/cn-public-holidays.json`; ops keep them with the calendar's revisions.
 */
export interface CalendarHoliday {
  /** YYYY-MM-DD, Beijing date. */
  date: string;
  kind: 'holiday' | 'makeup_workday';
  /** The holiday period it belongs to, e.g. 春节, 国庆节. */
  name: string;
}

export interface ServiceHoursResponse {
  verdict: RuleVerdict;
  opensAt: string;
  closesAt: string;
}
