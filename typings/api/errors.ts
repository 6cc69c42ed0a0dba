import type { UploadHeld } from './call';
import type { RoadLayerFeatureError } from './roads';

/**
 * Every failure the API returns is `{ code, message }` with a proper HTTP status.
 * `code` is for programs (stable, machine-readable); `message` is for people (Chinese, plain).
 */
export type ErrorCode =
  // request shape
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'JSON_TOO_DEEP'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'NOT_IMPLEMENTED'
  | 'CONFLICT'
  // identity and access
  | 'UNAUTHENTICATED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_REVOKED'
  | 'REFRESH_TOKEN_INVALID'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_DISABLED'
  | 'LOGIN_RATE_LIMITED'
  | 'FORBIDDEN'
  | 'CSRF_REJECTED'
  // real-person verification
  | 'VERIFICATION_REQUIRED'
  | 'ALREADY_VERIFIED'
  | 'ID_ALREADY_VERIFIED'
  | 'PROFILE_REQUIRED'
  | 'AGREEMENT_OUTDATED'
  | 'FACE_SESSION_NOT_FOUND'
  | 'FACE_SESSION_EXPIRED'
  | 'FACE_SESSION_USED'
  | 'FALLBACK_NOT_OFFERED'
  | 'RESERVED_PHONE_MISMATCH'
  | 'NO_REGISTRY_RECORD'
  | 'SMS_RATE_LIMITED'
  | 'SMS_CODE_WRONG'
  | 'SMS_CODE_EXPIRED'
  | 'THIRD_PARTY_REFUSED'
  | 'THIRD_PARTY_MISMATCH'
  // reporting and joining a case
  | 'SAFETY_CHECK_REQUIRED'
  | 'SAFETY_CHECK_EXPIRED'
  | 'LOCATION_UNCONFIRMED'
  | 'OPEN_CASE_EXISTS'
  | 'JOIN_CODE_INVALID'
  | 'JOIN_CODE_EXPIRED'
  | 'JOIN_RATE_LIMITED'
  | 'CASE_FULL'
  | 'PLATE_ALREADY_IN_CASE'
  // the call and the evidence
  | 'ALREADY_ANSWERED'
  | 'RECORDING_CONSENT_REQUIRED'
  | 'CASE_NOT_IN_CALL'
  // the liability decision
  | 'LIABILITY_INCONSISTENT'
  | 'REASON_REQUIRED'
  | 'ALREADY_DECIDED'
  | 'CASE_NOT_RELEASED'
  // 复核
  | 'REVIEW_WINDOW_CLOSED'
  | 'REVIEW_ALREADY_APPLIED'
  | 'REVIEW_ALREADY_USED'
  | 'REVIEW_NOT_ACCEPTED_YET'
  | 'RELEASE_BLOCKED'
  | 'UPLOAD_NOT_FOUND'
  | 'CHUNK_OUT_OF_RANGE'
  | 'CHUNK_SIZE_MISMATCH'
  | 'UPLOAD_INCOMPLETE'
  | 'FILE_TYPE_MISMATCH'
  | 'FILE_CORRUPT'
  | 'UPLOAD_HASH_MISMATCH'
  | 'CHUNK_CONFLICT'
  | 'NOT_RESUMABLE'
  | 'CHAT_RATE_LIMITED'
  | 'CHAT_FULL'
  | 'EDIT_RATE_LIMITED'
  // the certificate (认定书)
  | 'CERTIFICATE_NOT_FOUND'
  | 'CERTIFICATE_NUMBER_TAKEN'
  | 'CERTIFICATE_NOT_VALID'
  | 'VERIFY_RATE_LIMITED'
  // the hand-off to an insurer
  | 'INSURER_UNKNOWN'
  | 'CERTIFICATE_NOT_DELIVERED'
  | 'POLICY_NOT_RECORDED'
  | 'HANDOFF_ALREADY_ACCEPTED'
  | 'HANDOFF_RATE_LIMITED'
  // operations
  | 'INVALID_ROAD_LAYER'
  | 'PROBE_RATE_LIMITED'
  | 'DISTRICT_TAKEN'
  | 'SELF_CHANGE_REFUSED'
  | 'LAST_OPS_ACCOUNT'
  | 'STATISTICS_RANGE_INVALID'
  | 'STATISTICS_TABLE_UNKNOWN'
  | 'AUDIT_FILTER_INVALID'
  // WeChat login
  | 'WECHAT_CODE_INVALID'
  | 'WECHAT_RATE_LIMITED'
  | 'WECHAT_USER_BLOCKED'
  // anything we depend on
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_MISCONFIGURED'
  | 'SERVICE_UNAVAILABLE'
  | 'DATABASE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `vehicles.1.plate`; empty for the body as a whole. */
  path: string;
  message: string;
  /** For uploaded files (e.g. the road layer): the 1-based line of the offending place. */
  line?: number;
}

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Echo of the request id, to quote when calling support. */
  requestId?: string;
  /** Present on VALIDATION_FAILED. */
  issues?: ValidationIssue[];
  /** Present on rate limits: how long to wait before trying again. */
  retryAfterSeconds?: number;
  /** Present on OPEN_CASE_EXISTS: the case to continue instead. */
  caseId?: string;
  /** Present on UPLOAD_HASH_MISMATCH: what the server assembled, and which chunks to send again. */
  upload?: UploadHeld;
  /** Present on CHUNK_CONFLICT: the bytes the server already holds for that chunk (kept; the new ones are not). */
  chunk?: { index: number; sha256: string };
  /** Present on INVALID_ROAD_LAYER when roads of the file are wrong: each refused road by its index, with its problems. */
  featureErrors?: RoadLayerFeatureError[];
}
