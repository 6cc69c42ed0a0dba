import type { VerificationStatus } from './auth';

/** Ways a driver can pass real-person verification (实人认证). */
export type VerificationMethod = 'face' | 'sms' | 'third_party' | 'manual_review';

/** What a driver can do next when the face check keeps failing. */
export type VerificationFallback = 'sms' | 'manual_review';

export interface VerificationStatusResponse {
  status: VerificationStatus;
  method: VerificationMethod | null;
  verifiedAt: string | null;
  /** `张*` and `4407**********1234`: never the whole name's or number's digits. */
  maskedName: string | null;
  maskedIdNumber: string | null;
  faceFailures: number;
  /** Offered once the face check has failed FACE_MAX_FAILURES times (or the device cannot do it). */
  fallbacks: VerificationFallback[];
  agreementVersion: string;
  /** Set while or after a manual review: what the reviewer said (a rejection's reason is shown to the driver). */
  review: { state: 'pending' | 'approved' | 'rejected'; reason: string | null; submittedAt: string; decidedAt: string | null } | null;
}

export interface SaveProfileRequest {
  name: string;
  idNumber: string;
  phone: string;
  /** The agreement version the driver was shown and accepted. */
  agreementVersion: string;
  agreementAccepted: true;
  /**
   * `existing_user`: came from 我的 → 实人认证 (registered on the web portal or without a face check);
   * such users must also give the card's validity period.
   */
  entry?: 'new_user' | 'existing_user';
  /** The validity period on the back of the card; `end: null` for 长期. */
  idValidity?: { start: string; end: string | null };
}

export interface FaceStartResponse {
  /** Pass to `wx.requestFacialVerify({ verifyId })`. */
  verifyId: string;
  expiresAt: string;
}

export interface FaceCompleteRequest {
  verifyId: string;
}

export interface FaceCompleteResponse {
  passed: boolean;
  /** On failure: why, in a machine code… */
  failure: FaceFailureKind | null;
  /** …and what to do next, in plain Chinese. */
  message: string;
  verification: VerificationStatusResponse;
}

export interface SmsSendRequest {
  /** Optional: a vehicle of the driver's, whose 行驶证 record also holds a reserved phone. */
  plate?: string;
  /** GA 24.7 号牌种类; "02" (small car) when left out. */
  plateType?: string;
}

export interface SmsSendResponse {
  /** `138****8000` */
  sentTo: string;
  expiresAt: string;
  /** Where the reserved phone was found. */
  matchedRecord: 'licence' | 'vehicle' | 'third_party';
}

export interface SmsVerifyRequest {
  code: string;
}

export interface ThirdPartyAuthRequest {
  /** The code the identity provider's authorisation page returned (navigateToMiniProgram extraData). */
  authCode: string;
}

export type IdPhotoSide = 'front' | 'back';

/** `POST /api/v1/verification/id-photos`, multipart: form field `side` (front|back; `?side=` also accepted), file field `file` (JPEG/PNG ≤ 5 MB). */
export interface IdPhotoUploadResponse {
  side: IdPhotoSide;
  size: number;
  sha256: string;
}

export interface IdentityReviewItem {
  id: string;
  driverId: string;
  maskedName: string;
  maskedIdNumber: string;
  submittedAt: string;
  waitingSeconds: number;
  faceFailures: number;
}

export interface IdentityReviewListResponse {
  items: IdentityReviewItem[];
}

export interface IdentityReviewDecisionRequest {
  decision: 'approve' | 'reject';
  /** Required for a rejection: the driver reads it. */
  reason?: string;
}

export type FaceFailureKind =
  | 'parameter_mismatch'
  | 'face_not_detected'
  | 'id_mismatch'
  | 'face_mismatch'
  | 'cancelled'
  | 'permission_denied'
  | 'timeout'
  | 'network'
  | 'device_unsupported'
  | 'other';
