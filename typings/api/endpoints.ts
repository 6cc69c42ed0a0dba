import type {
  DriverLogoutRequest,
  DriverProfile,
  DriverSession,
  OkResponse,
  RefreshRequest,
  StaffLoginRequest,
  StaffProfile,
  StaffSession,
  WechatLoginRequest,
} from './auth';
import type { BrigadeAdminView, BrigadeListResponse, SaveBrigadeRequest } from './brigades';
import type { CancelCaseRequest, CreateCaseRequest, CurrentCaseResponse, DriverCaseView, JoinCaseRequest, QueueAreaResponse, QueueResponse } from './cases';
import type {
  AccidentFacts,
  ChatMessage,
  ChatSend,
  CheckResult,
  EvidenceItem,
  EvidenceVerification,
  PartyCallView,
  PartyInfoUpdate,
  RedirectRequest,
  RtcCredentials,
  ShotRequest,
  ShotRequestCreate,
  StaffCaseView,
  UploadCompleteRequest,
  UploadCreateRequest,
  UploadSession,
} from './call';
import type { CertificateCheckRequest, CertificateCheckResult, CertificateVerification } from './certificates';
import type { EligibilityRequest, EligibilityResponse, SafetyCheckRequest, SafetyCheckResponse, ServiceHoursResponse } from './eligibility';
import type { EligibilityProbeRequest, EligibilityProbeResponse, RoadLayerPreview, RoadLayerSummary } from './roads';
import type { SaveServiceCalendarRequest, ServiceCalendarAdminResponse, ServiceCalendarResponse, SuspendRequest, SuspendResponse } from './service-calendar';
import type { MatterSummary, MattersResponse } from './matters';
import type { AuditSearchResponse, AuditVerificationResponse, CaseEventVerificationResponse } from './audit';
import type { StatisticsResponse } from './statistics';
import type { RosterView, SaveRosterRequest, StaffingResponse } from './staffing';
import type { InsurerHandoffRequest, InsurerHandoffView, InsurersResponse } from './insurers';
import type { PendingReviewsResponse, ReviewAcceptRequest, ReviewApplicationRequest, ReviewConclusionRequest, ReviewView } from './reviews';
import type { CaseFileView, DecideRequest, PendingDecisionsResponse, SaveScenarioLibraryRequest, ScenarioLibraryView, ScenarioTagsRequest, TagsResponse } from './decisions';
import type { HealthResponse, ReadyResponse } from './health';
import type { CreateStaffRequest, StaffListResponse, StaffPasswordResetResponse, UpdateStaffRequest } from './staff';
import type {
  FaceCompleteRequest,
  FaceCompleteResponse,
  FaceStartResponse,
  SaveProfileRequest,
  SmsSendRequest,
  SmsSendResponse,
  SmsVerifyRequest,
  ThirdPartyAuthRequest,
  IdPhotoUploadResponse,
  IdentityReviewListResponse,
  IdentityReviewDecisionRequest,
  IdentityReviewItem,
  VerificationStatusResponse,
} from './verification';

/**
 * Every endpoint as `"<METHOD> <path>"` → its request body and response body.
 * The server's routes, the mini-program's request helper and the console's client all key off this
 * one map, so a renamed path or a changed field breaks the build, not a driver at the roadside.
 */
export interface Endpoints {
  'GET /healthz': { body: void; response: HealthResponse };
  /** Prometheus text exposition (METRICS_TOKEN bearer or an ops session); docs/METRICS.md. */
  'GET /metrics': { body: void; response: string };
  'GET /readyz': { body: void; response: ReadyResponse };
  /** The OpenAPI 3.1 document generated from the route contracts; GET /api/docs renders it (Swagger UI, HTML). */
  'GET /api/openapi.json': { body: void; response: Record<string, unknown> };
  'GET /api/docs': { body: void; response: string };

  'POST /api/v1/auth/wechat-login': { body: WechatLoginRequest; response: DriverSession };
  'POST /api/v1/auth/refresh': { body: RefreshRequest; response: DriverSession };
  'POST /api/v1/auth/logout': { body: DriverLogoutRequest; response: OkResponse };
  'GET /api/v1/me': { body: void; response: DriverProfile };

  'GET /api/v1/verification': { body: void; response: VerificationStatusResponse };
  'POST /api/v1/verification/profile': { body: SaveProfileRequest; response: VerificationStatusResponse };
  'POST /api/v1/verification/face/start': { body: void; response: FaceStartResponse };
  'POST /api/v1/verification/face/complete': { body: FaceCompleteRequest; response: FaceCompleteResponse };
  'POST /api/v1/verification/sms/send': { body: SmsSendRequest; response: SmsSendResponse };
  'POST /api/v1/verification/sms/verify': { body: SmsVerifyRequest; response: VerificationStatusResponse };
  /** Exchanges the provider's code for the phone it holds for this person, then sends an SMS code there (verify with sms/verify). */
  'POST /api/v1/verification/third-party': { body: ThirdPartyAuthRequest; response: SmsSendResponse };
  /** Multipart upload (wx.uploadFile), not JSON: the body type is the form's fields. */
  'POST /api/v1/verification/id-photos': { body: { side: 'front' | 'back' }; response: IdPhotoUploadResponse };
  'POST /api/v1/verification/manual-review': { body: void; response: VerificationStatusResponse };

  'GET /api/v1/admin/identity-reviews': { body: void; response: IdentityReviewListResponse };
  'POST /api/v1/admin/identity-reviews/:id/decision': { body: IdentityReviewDecisionRequest; response: IdentityReviewItem };

  'POST /api/v1/staff/login': { body: StaffLoginRequest; response: StaffSession };
  'POST /api/v1/staff/logout': { body: void; response: OkResponse };
  'GET /api/v1/staff/me': { body: void; response: StaffProfile };

  'GET /api/v1/service-hours': { body: void; response: ServiceHoursResponse };
  /** ops: the service calendar in force and the suspensions in force now. */
  'GET /api/v1/admin/service-calendar': { body: void; response: ServiceCalendarAdminResponse };
  'PUT /api/v1/admin/service-calendar': { body: SaveServiceCalendarRequest; response: ServiceCalendarResponse };
  /** ops: stop the service now for the city or one brigade; drivers' next check is refused with the reason. */
  'POST /api/v1/admin/suspensions': { body: SuspendRequest; response: SuspendResponse };
  'POST /api/v1/admin/suspensions/:id/lift': { body: void; response: OkResponse };
  'POST /api/v1/safety-checks': { body: SafetyCheckRequest; response: SafetyCheckResponse };
  'POST /api/v1/eligibility/check': { body: EligibilityRequest; response: EligibilityResponse };
  /** Send an `Idempotency-Key` header; a retry with the same key returns the same case (200 instead of 201). */
  'POST /api/v1/cases': { body: CreateCaseRequest; response: DriverCaseView };
  'GET /api/v1/cases/current': { body: void; response: CurrentCaseResponse };
  'GET /api/v1/cases/:id': { body: void; response: DriverCaseView };
  'POST /api/v1/cases/join': { body: JoinCaseRequest; response: DriverCaseView };
  'POST /api/v1/cases/:id/cancel': { body: CancelCaseRequest; response: DriverCaseView };

  // The call (drivers): consent, token, the live view (long poll), info, chat, uploads, resume.
  'POST /api/v1/cases/:id/recording-consent': { body: void; response: PartyCallView };
  /** A fresh RTC token for this party (first join, renewal, rejoin after a drop). Needs recording consent. */
  'POST /api/v1/cases/:id/rtc-token': { body: void; response: RtcCredentials };
  /** Long poll: answers at once when the case's rev is past `since`, else after up to 25 s with the same view. */
  'GET /api/v1/cases/:id/call': { body: void; response: PartyCallView };
  'PUT /api/v1/cases/:id/my-info': { body: PartyInfoUpdate; response: PartyCallView };
  'POST /api/v1/cases/:id/messages': { body: ChatSend; response: ChatMessage };
  'POST /api/v1/cases/:id/resume': { body: void; response: PartyCallView };
  'POST /api/v1/cases/:id/uploads': { body: UploadCreateRequest; response: UploadSession };
  'GET /api/v1/uploads/:uploadId': { body: void; response: UploadSession };
  /** Raw bytes of chunk `index` (application/octet-stream). */
  'PUT /api/v1/uploads/:uploadId/chunks/:index': { body: ArrayBuffer; response: UploadSession };
  /** Fixes the file once it decodes; with `sha256`, only if the server holds exactly those bytes (else 409 UPLOAD_HASH_MISMATCH). */
  'POST /api/v1/uploads/:uploadId/complete': { body: UploadCompleteRequest; response: UploadSession };
  'GET /api/v1/evidence/:evidenceId/content': { body: void; response: ArrayBuffer };

  // The call (dispatchers).
  'POST /api/v1/desk/cases/:id/answer': { body: void; response: StaffCaseView };
  'GET /api/v1/desk/cases/:id': { body: void; response: StaffCaseView };
  'GET /api/v1/decisions/pending': { body: void; response: PendingDecisionsResponse };
  'GET /api/v1/matters': { body: void; response: MattersResponse };
  'POST /api/v1/matters/:id/review': { body: ReviewApplicationRequest; response: MatterSummary };
  'GET /api/v1/insurers': { body: void; response: InsurersResponse };
  'POST /api/v1/matters/:id/insurer-handoff': { body: InsurerHandoffRequest; response: InsurerHandoffView };
  'GET /api/v1/reviews/pending': { body: void; response: PendingReviewsResponse };
  /** ops: whether the hash-chained audit log still holds, and where it first breaks. */
  'GET /api/v1/admin/audit/verify': { body: void; response: AuditVerificationResponse };
  /** ops: whether one case's own chain of state changes holds, and where it first breaks. */
  'GET /api/v1/admin/audit/cases/:id/verify': { body: void; response: CaseEventVerificationResponse };
  /** ops: the audit log newest first, query `AuditSearchQuery`, keyset-paged by entry number. */
  'GET /api/v1/admin/audit': { body: void; response: AuditSearchResponse };
  /** ops: the same filters as CSV (UTF-8 with BOM, Chinese headers), at most 50 000 rows; a last row says when capped. */
  'GET /api/v1/admin/audit/export.csv': { body: void; response: string };
  /** ops: the statistics page; query `StatisticsQuery` (from, to, brigade, day). 400 STATISTICS_RANGE_INVALID on a bad range. */
  'GET /api/v1/admin/statistics': { body: void; response: StatisticsResponse };
  /** ops: one table of the page as CSV (UTF-8 with BOM, Chinese headers, attachment); `:table` is a `StatisticsTable`, else 404 STATISTICS_TABLE_UNKNOWN. */
  'GET /api/v1/admin/statistics/export/:table.csv': { body: void; response: string };
  /** ops: a brigade's roster, 168 hours (all 0 and `saved: false` until one is saved). */
  'GET /api/v1/admin/rosters/:brigadeCode': { body: void; response: RosterView };
  /** ops: a new roster on top of `basedOnRev`; 409 CONFLICT when someone saved another meanwhile. */
  'PUT /api/v1/admin/rosters/:brigadeCode': { body: SaveRosterRequest; response: RosterView };
  /** ops: query brigade, weeks, target, withinSeconds: observed load, Erlang C's need and the roster per hour of the week. */
  'GET /api/v1/admin/staffing': { body: void; response: StaffingResponse };
  'GET /api/v1/reviews/cases/:id': { body: void; response: ReviewView };
  'POST /api/v1/reviews/cases/:id/acceptance': { body: ReviewAcceptRequest; response: ReviewView };
  'POST /api/v1/reviews/cases/:id/conclusion': { body: ReviewConclusionRequest; response: ReviewView };
  /** The 认定书 PDF (application/pdf), for a party of the case once delivered. */
  'GET /api/v1/matters/:id/certificate.pdf': { body: void; response: ArrayBuffer };
  'GET /api/v1/decisions/cases/:id': { body: void; response: CaseFileView };
  'GET /api/v1/decisions/cases/:id/tags': { body: void; response: TagsResponse };
  'PUT /api/v1/decisions/cases/:id/tags': { body: ScenarioTagsRequest; response: TagsResponse };
  'POST /api/v1/decisions/cases/:id/decision': { body: DecideRequest; response: CaseFileView };
  'GET /api/v1/scenarios': { body: void; response: ScenarioLibraryView };
  'PUT /api/v1/admin/scenarios': { body: SaveScenarioLibraryRequest; response: ScenarioLibraryView };
  /** Server-sent events: `case` events carry a StaffCaseView, on connect and after every change. */
  'GET /api/v1/desk/cases/:id/stream': { body: void; response: void };
  'POST /api/v1/desk/cases/:id/rtc-token': { body: void; response: RtcCredentials };
  'PUT /api/v1/desk/cases/:id/parties/:label': { body: PartyInfoUpdate; response: StaffCaseView };
  'PUT /api/v1/desk/cases/:id/facts': { body: Partial<AccidentFacts>; response: StaffCaseView };
  'POST /api/v1/desk/cases/:id/shot-requests': { body: ShotRequestCreate; response: ShotRequest };
  /** A still frame from a party's video (image/jpeg or image/png body). */
  'POST /api/v1/desk/cases/:id/frames': { body: ArrayBuffer; response: EvidenceItem };
  'POST /api/v1/desk/cases/:id/checks': { body: { party: string }; response: CheckResult[] };
  'POST /api/v1/desk/cases/:id/messages': { body: ChatSend; response: ChatMessage };
  'GET /api/v1/desk/cases/:id/evidence/verify': { body: void; response: EvidenceVerification };
  'POST /api/v1/desk/cases/:id/redirect': { body: RedirectRequest; response: StaffCaseView };
  'POST /api/v1/desk/cases/:id/release': { body: void; response: StaffCaseView };
  /** The dispatcher hands the case back (their call dropped, or they must leave): head of the queue. */
  'POST /api/v1/desk/cases/:id/hand-back': { body: void; response: StaffCaseView };

  'GET /api/v1/queue': { body: void; response: QueueResponse };
  /** The brigade area's outline for the queue's map (ops: every district); cacheable, changes rarely. */
  'GET /api/v1/queue/area': { body: void; response: QueueAreaResponse };
  /** Server-sent events: `queue` events carry a QueueResponse; sent on connect and on every change. */
  'GET /api/v1/queue/stream': { body: void; response: void };

  'GET /api/v1/admin/brigades': { body: void; response: BrigadeListResponse };
  'POST /api/v1/admin/brigades': { body: SaveBrigadeRequest & { code: string }; response: BrigadeAdminView };
  'PUT /api/v1/admin/brigades/:code': { body: SaveBrigadeRequest; response: BrigadeAdminView };

  /** The excluded-road layer: a GeoJSON FeatureCollection of LineStrings (`name`, `class`) as the body. */
  'GET /api/v1/admin/road-layer': { body: void; response: RoadLayerSummary };
  /** The GeoJSON file's bytes as chosen (application/geo+json): issues and featureErrors name the file's own lines. */
  'PUT /api/v1/admin/road-layer': { body: ArrayBuffer; response: RoadLayerSummary };
  /** The ops map: districts with their brigades, excluded roads, their buffer, and the cases of the last `?days=` (default 7). */
  'GET /api/v1/admin/road-layer/preview': { body: void; response: RoadLayerPreview };
  /** Would a report from this point be accepted now, and which brigade gets it: each rule's verdict in words. */
  'POST /api/v1/admin/eligibility/probe': { body: EligibilityProbeRequest; response: EligibilityProbeResponse };

  // The certificate's public check (no login; limited per address). The page itself is GET /verify/:number (HTML).
  'GET /api/v1/certificates/:number/verify': { body: void; response: CertificateVerification };
  /** The PDF as `application/pdf`, or the signed content as JSON. */
  'POST /api/v1/certificates/verify': { body: CertificateCheckRequest | ArrayBuffer; response: CertificateCheckResult };

  'GET /api/v1/admin/staff': { body: void; response: StaffListResponse };
  'POST /api/v1/admin/staff': { body: CreateStaffRequest; response: StaffProfile };
  'PATCH /api/v1/admin/staff/:id': { body: UpdateStaffRequest; response: StaffListResponse['items'][number] };
  /** ops: a new generated initial password (in the response only, once); the account's sessions end. */
  'POST /api/v1/admin/staff/:id/password-reset': { body: void; response: StaffPasswordResetResponse };
}

export type EndpointKey = keyof Endpoints;
export type RequestBody<K extends EndpointKey> = Endpoints[K]['body'];
export type ResponseBody<K extends EndpointKey> = Endpoints[K]['response'];
