/** 复核 (§71–72): a written review within 3 days of delivery, once per accident, by the level above. */

export type ReviewStatus = 'received' | 'accepted' | 'not_accepted' | 'upheld' | 'redone';

/** `POST /api/v1/matters/:id/review`: photos are uploaded first (kind `review_evidence`) and named here. */
export interface ReviewApplicationRequest {
  /** 复核请求, e.g. 请求撤销认定、重新认定. */
  request: string;
  /** 理由 */
  reasons: string;
  /** Evidence items fixed from this party's uploads of kind `review_evidence`. */
  evidenceIds: string[];
}

export interface ReviewApplicationView {
  party: string;
  request: string;
  reasons: string;
  evidenceIds: string[];
  appliedAt: string;
}

export interface ReviewView {
  status: ReviewStatus;
  applications: ReviewApplicationView[];
  receivedAt: string;
  /** Accept (or not) within 5 days of receipt. */
  acceptBy: string;
  acceptedAt: string | null;
  notAcceptedReason: string | null;
  /** Conclude within 30 days of acceptance. */
  concludeBy: string | null;
  concludedAt: string | null;
  conclusionReason: string | null;
  /** Who accepted or concluded it. */
  reviewer: { id: string; name: string } | null;
  /** Past its current deadline (accept, then conclude) and not done, by the server's clock. */
  overdue: boolean;
}

/** The reviewer's decision on receipt: accept, or not with the reason (e.g. a party has gone to court). */
export interface ReviewAcceptRequest {
  accept: boolean;
  reason: string | null;
}

/** The conclusion: 维持 (upheld) or 重新认定 (sent back to the brigade to decide again). */
export interface ReviewConclusionRequest {
  conclusion: 'upheld' | 'redone';
  reason: string;
}

export interface PendingReview {
  caseId: string;
  caseNo: string;
  brigadeCode: string | null;
  certificateNumber: string | null;
  address: string;
  parties: { label: string; plate: string }[];
  status: ReviewStatus;
  receivedAt: string;
  acceptBy: string;
  concludeBy: string | null;
  /** Past its deadline (accept or conclude) and not done. */
  overdue: boolean;
}

export interface PendingReviewsResponse {
  items: PendingReview[];
}
