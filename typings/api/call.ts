import type { CaseParty, CaseState } from './cases';
import type { Alternative, ResolvedPlace } from './eligibility';

/** What an Agora client needs to join the case's channel. One channel per case. */
export interface RtcCredentials {
  appId: string;
  /** `case-<caseId>`. */
  channel: string;
  /** Numeric Agora uid: the dispatcher is 1, party A 101, B 102, C 103 (see server/src/call/rtc-uids.ts). */
  uid: number;
  /** Starts with `006`; renew before `expiresAt` (the SDK warns 30 s before). */
  token: string;
  expiresAt: string;
}

/** Who a uid in the channel is, so tiles can be labelled. */
export interface RtcMember {
  uid: number;
  /** 'dispatcher' or the party label 'A' | 'B' | 'C'. */
  who: string;
  label: string;
}

/** The guided shots a dispatcher may ask for (the checklist). */
export type ShotKind =
  | 'overview_behind'
  | 'overview_ahead'
  | 'impact_point'
  | 'plate'
  | 'skid_marks_debris'
  | 'driving_licence'
  | 'vehicle_licence'
  | 'insurance_policy'
  | 'other';

export interface ShotRequest {
  id: string;
  kind: ShotKind;
  /** The party asked to shoot it. */
  party: string;
  /** Chinese instruction shown on the phone. */
  instruction: string;
  note: string | null;
  requestedAt: string;
  /** Set once the shot arrived. */
  evidenceId: string | null;
}

export interface EvidenceItem {
  id: string;
  /** 1, 2, 3 … in the order the server fixed them. */
  seq: number;
  kind: ShotKind | 'still_frame' | 'recording' | 'review_evidence';
  party: string | null;
  shotRequestId: string | null;
  mimeType: string;
  size: number;
  /** Hex SHA-256 of the file. */
  sha256: string;
  /** chainHash of the previous item ('' for the first). */
  prevChainHash: string;
  /** SHA-256 over (prevChainHash, sha256, seq, serverTime, kind, party): breaks if anything before changes. */
  chainHash: string;
  /** The server's clock when the item was fixed. */
  fixedAt: string;
  /** GET this (with the same credentials) for the file. */
  contentUrl: string;
}

/** Per-party information the dispatcher collects (or the party fills in and confirms). */
export interface PartyInfo {
  driverName: string | null;
  licenceNo: string | null;
  /** GA 24.7 号牌种类, e.g. "02". */
  plateType: string | null;
  /** e.g. 小型轿车. */
  vehicleType: string | null;
  insurer: string | null;
  policyNo: string | null;
  phone: string | null;
  /** When the party confirmed this information on their own phone. */
  confirmedAt: string | null;
}

export interface AccidentFacts {
  occurredAt: string | null;
  place: string | null;
  /** Direction of travel of each party, e.g. { A: '由北向南直行', B: '由东向西左转' }. */
  directions: Record<string, string>;
  /** Impact points, e.g. { A: '右前角', B: '左后门' }. */
  impactPoints: Record<string, string>;
  summary: string | null;
}

export type CheckKind = 'licence' | 'vehicle' | 'insurance';

export interface CheckResult {
  party: string;
  kind: CheckKind;
  ok: boolean;
  /** Chinese: what was found, e.g. 驾驶证有效，准驾车型 C1. */
  detail: string;
  /** Where the answer came from, and when. */
  source: string;
  checkedAt: string;
}

export interface ChatMessage {
  id: string;
  /** 'dispatcher' for the desk, else the party label 'A' | 'B' | 'C'. */
  from: string;
  text: string;
  at: string;
}

export interface CallParty extends CaseParty {
  info: PartyInfo;
  recordingConsentAt: string | null;
  /** Last time this party's phone was heard from (token, poll, upload). */
  lastSeenAt: string | null;
}

/** The case as the dispatcher works it. */
export interface StaffCaseView {
  caseId: string;
  /** The number people read the case by; the parties' SMS carry the same one. */
  caseNo: string;
  state: CaseState;
  rev: number;
  reportedAt: string;
  place: ResolvedPlace;
  parties: CallParty[];
  vehicleCount: number;
  answeredAt: string | null;
  answeredBy: { id: string; name: string } | null;
  releasedAt: string | null;
  /** Answer → release, in seconds, once released; the page counts up from answeredAt before that. */
  handlingSeconds: number | null;
  facts: AccidentFacts;
  shotRequests: ShotRequest[];
  evidence: EvidenceItem[];
  checks: CheckResult[];
  messages: ChatMessage[];
  /** What still stands in the way of release, in Chinese; empty when it may be released. */
  releaseBlockers: string[];
  redirect: { reason: string; alternatives: Alternative[] } | null;
  recording: { state: 'off' | 'recording' | 'stopped' | 'failed'; files: string[] };
  members: RtcMember[];
  serverTime: string;
}

/** What a party's phone shows during and after the call. */
export interface PartyCallView {
  caseId: string;
  state: CaseState;
  rev: number;
  me: string;
  parties: CaseParty[];
  myInfo: PartyInfo;
  /** Shots asked of me that have not arrived yet. */
  pendingShots: ShotRequest[];
  myEvidence: EvidenceItem[];
  messages: ChatMessage[];
  recordingConsentAt: string | null;
  answeredAt: string | null;
  releasedAt: string | null;
  redirect: { reason: string; alternatives: Alternative[] } | null;
  /** "请立即撤离" and the safety reminder once released. */
  releaseNotice: string | null;
  serverTime: string;
}

export interface ShotRequestCreate {
  party: string;
  kind: ShotKind;
  note?: string;
}

export interface UploadCreateRequest {
  /** Chosen by the phone per file; the same key returns the same upload (a retry after a lost answer). */
  uploadKey: string;
  shotRequestId?: string;
  /** A guided shot during the call, or a photo for the party's 复核 application after delivery. */
  kind: ShotKind | 'review_evidence';
  mimeType: 'image/jpeg' | 'image/png' | 'video/mp4';
  size: number;
}

/**
 * Body of `POST /api/v1/uploads/:uploadId/complete`: what the phone says the file is. Both optional
 * (an older app sends nothing); with `sha256` the server fixes the file only if it assembled exactly
 * these bytes. `chunks` (the SHA-256 of each chunk, by index) lets it drop only the chunks that differ.
 */
export interface UploadCompleteRequest {
  /** SHA-256 of the whole file, lowercase hex. */
  sha256?: string;
  /** SHA-256 of each chunk as the server cuts it (`chunkSize`), index 0 first. */
  chunks?: string[];
}

/** On UPLOAD_HASH_MISMATCH: what the server assembled, so the phone can compare and send again. */
export interface UploadHeld {
  /** SHA-256 of the file the server put together (or of the item already fixed for this upload). */
  sha256: string;
  size: number;
  /** Each chunk the server held, with the SHA-256 of its bytes. */
  chunks: { index: number; sha256: string }[];
  /** Chunks the server dropped because they cannot be right: send these again, then complete. */
  dropped: number[];
}

export interface UploadSession {
  uploadId: string;
  chunkSize: number;
  totalChunks: number;
  /** Chunk indexes the server already holds: send only the others. */
  received: number[];
  /** Set once completed. */
  evidence: EvidenceItem | null;
}

export interface EvidenceVerification {
  ok: boolean;
  checkedAt: string;
  items: { seq: number; id: string; fileOk: boolean; chainOk: boolean; problem: string | null }[];
}

export interface RedirectRequest {
  reason: string;
  alternatives: Alternative[];
}

export interface PartyInfoUpdate extends Partial<Omit<PartyInfo, 'confirmedAt'>> {
  /** A party confirming their own information on their phone. */
  confirm?: boolean;
}

export interface ChatSend {
  text: string;
}
