import type { CaseAnswers, FailedVerdict, LocationInput, NearbyOpenCase, ResolvedPlace } from './eligibility';

/**
 * The case lifecycle (see docs/ARCHITECTURE.md and server/src/cases/lifecycle.ts, which holds the
 * transition table every other piece reads).
 */
export type CaseState =
  | 'draft'
  | 'queued'
  | 'in_call'
  | 'collecting'
  | 'released'
  | 'determined'
  | 'delivered'
  | 'review_requested'
  | 'reviewed'
  | 'closed'
  | 'redirected'
  | 'cancelled'
  | 'abandoned';

export interface QueueItem {
  caseId: string;
  /** The number people read the case by; the parties' SMS carry the same one. */
  caseNo: string;
  state: CaseState;
  createdAt: string;
  waitingSeconds: number;
  districtName: string;
  address: string;
  vehicleCount: number;
  /** Vehicles whose drivers have joined so far (the reporter included). */
  plates: string[];
  /** 1-based place in the brigade's queue order (oldest first, with ageing). */
  position: number;
  /** Other open cases of the brigade within NEARBY_CASES_M: maybe the same scene, or a pile-up. */
  nearby: { caseId: string; distanceM: number }[];
  /** Back in the queue after a dropped call. */
  requeued: boolean;
  /** GCJ-02, as every map of the project draws it; null for a case without a point. */
  location: GeoPoint | null;
}

export interface GeoPoint {
  lat: number;
  lng: number;
}

/** A case of the brigade on a call now (通话中 / 取证中): the map's other pins, and who has it. */
export interface ActiveCase {
  caseId: string;
  caseNo: string;
  state: CaseState;
  address: string;
  districtName: string;
  location: GeoPoint | null;
  vehicleCount: number;
  plates: string[];
  answeredAt: string | null;
  /** The dispatcher (or officer) on the call. */
  answeredBy: { id: string; name: string } | null;
}

/** A dispatcher or officer whose console is open now. */
export interface OnDutyStaff {
  id: string;
  name: string;
  role: 'dispatcher' | 'officer';
  /** The case they are on a call with, if any. */
  onCall: { caseId: string; caseNo: string } | null;
}

/**
 * The brigade's (ops: the city's) day so far, Asia/Shanghai calendar day, with the statistics page's
 * definitions: a case belongs to the day of its report, whatever happened to it later.
 */
export interface DeskToday {
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
  /** Reported today (left the draft: queued, or refused by the rules at once). */
  reported: number;
  /** Of those, answered by a dispatcher (and not handed back since). */
  answered: number;
  /** Of those, released to leave the scene (or later). */
  released: number;
  /** Waiting in the queue now. */
  waiting: number;
  /**
   * The 5-minute service level of today's cases: of the answered ones whose call has ended
   * (`eligible`), those released within `targetSeconds` of the answer; `share` null while none.
   */
  serviceLevel: { targetSeconds: number; eligible: number; releasedWithin: number; share: number | null };
}

export interface QueueResponse {
  brigade: BrigadeSummary | null;
  items: QueueItem[];
  serverTime: string;
  /** Dispatchers and officers of this brigade on duty now (connected to the console). */
  dispatchersOnDuty: number;
  /** Who they are, by name, and whom of them a call keeps busy. */
  onDuty: OnDutyStaff[];
  /** The brigade's cases on a call now. */
  active: ActiveCase[];
  today: DeskToday;
}

/**
 * GET /api/v1/queue/area: the outline of the signed-in dispatcher's brigade area (ops: every district)
 * for the queue's map. A GeoJSON FeatureCollection of polygons, GCJ-02, properties `{ adcode, name }`.
 * It changes only when ops reassign districts, so it is served once and cached, not with every push.
 */
export interface QueueAreaResponse {
  brigade: BrigadeSummary | null;
  area: { type: 'FeatureCollection'; features: unknown[] };
}

export interface BrigadeSummary {
  code: string;
  name: string;
}

/** POST /api/v1/cases. Send an `Idempotency-Key` header (a UUID per attempt): a retry returns the same case. */
export interface CreateCaseRequest {
  safetyCheckId: string;
  location: LocationInput;
  answers: CaseAnswers;
  /** The reporter's own plate, e.g. 粤J12345. */
  plate: string;
}

export interface CaseParty {
  /** 'A' for the reporter, then 'B', 'C' in the order they joined. */
  label: string;
  plate: string;
  joinedAt: string;
  isMe: boolean;
}

export interface WaitEstimate {
  /** 1-based place in the queue. */
  position: number;
  /** null when no dispatcher is on duty: nobody can say. */
  estimatedSeconds: number | null;
  dispatchersOnDuty: number;
  /** The brigade's median answer-to-release time over its recent cases (or the default). */
  typicalHandlingSeconds: number;
  /** How the estimate was made, in Chinese, for the driver. */
  basis: string;
  /** The wait is long: show 122 / photo-based 快处 / self-settlement as well. */
  offerAlternatives: boolean;
}

/** A case as one of its parties sees it. */
export interface DriverCaseView {
  caseId: string;
  state: CaseState;
  createdAt: string;
  place: ResolvedPlace;
  parties: CaseParty[];
  vehicleCount: number;
  /** Six characters for the other parties to join with; null once joining is closed. */
  joinCode: string | null;
  joinCodeExpiresAt: string | null;
  /** Present while queued. */
  wait: WaitEstimate | null;
  /** Why it was redirected (or cancelled), with the alternatives. */
  failed: FailedVerdict[];
  /** How often to ask again while something is expected to change, in seconds. */
  refreshAfterSeconds: number | null;
}

export interface JoinCaseRequest {
  /** The 6-character code (or the QR code's content) from a party's phone: the only way in. */
  code: string;
  plate: string;
  /** The joiner confirms the facts as reported (no injury, drivable, undisputed …). */
  factsConfirmed: true;
}

export interface CancelCaseRequest {
  reason?: string;
}

/** The driver's open case, for "继续处理" after the app was closed. */
export interface CurrentCaseResponse {
  case: DriverCaseView | null;
}

export type { NearbyOpenCase };
