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
}

export interface QueueResponse {
  brigade: BrigadeSummary | null;
  items: QueueItem[];
  serverTime: string;
  /** Dispatchers of this brigade on duty now (connected to the console). */
  dispatchersOnDuty: number;
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
