import { Schema, Types, model, type InferSchemaType } from 'mongoose';
import { ACTIVE_STATES, CASE_STATES, OPEN_STATES } from './lifecycle';

export { ACTIVE_STATES, CASE_STATES, OPEN_STATES };
export const isActive = (state: string) => (ACTIVE_STATES as readonly string[]).includes(state);
export const isOpen = (state: string) => (OPEN_STATES as readonly string[]).includes(state);

/** Per-party information collected during the call (call/party-info.ts). */
const partyInfoSchema = new Schema(
  {
    driverName: { type: String, default: null },
    /** Masked (a Chinese licence number is the holder's ID number): the whole one only sealed, as in 实人认证. */
    licenceNo: { type: String, default: null },
    licenceNoSealed: { type: String, default: null },
    plateType: { type: String, default: null },
    vehicleType: { type: String, default: null },
    insurer: { type: String, default: null },
    policyNo: { type: String, default: null },
    phone: { type: String, default: null },
    confirmedAt: { type: Date, default: null },
  },
  { _id: false },
);

const partySchema = new Schema(
  {
    driverId: { type: Types.ObjectId, required: true },
    /** 'A' is the reporter; 'B', 'C' joined from their own phones. */
    label: { type: String, required: true },
    plate: { type: String, required: true },
    joinedAt: { type: Date, required: true },
    /** The joiner confirmed the facts as reported. */
    factsConfirmedAt: { type: Date, required: true },
    /** 'nearby' only on old cases: joining by the nearby offer was withdrawn (a location is no proof). */
    via: { type: String, enum: ['report', 'code', 'nearby'], required: true },
    info: { type: partyInfoSchema, default: () => ({}) },
    recordingConsentAt: { type: Date, default: null },
  },
  { _id: false },
);

const shotRequestSchema = new Schema(
  {
    id: { type: String, required: true },
    kind: { type: String, required: true },
    party: { type: String, required: true },
    instruction: { type: String, required: true },
    note: { type: String, default: null },
    requestedAt: { type: Date, required: true },
    requestedBy: { type: String, required: true },
    evidenceId: { type: String, default: null },
  },
  { _id: false },
);

/** A copy of each fixed evidence item's summary (the authoritative record is in `evidence`). */
const evidenceSummarySchema = new Schema(
  {
    id: { type: String, required: true },
    seq: { type: Number, required: true },
    kind: { type: String, required: true },
    party: { type: String, default: null },
    shotRequestId: { type: String, default: null },
    mimeType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    prevChainHash: { type: String, default: '' },
    chainHash: { type: String, required: true },
    fixedAt: { type: Date, required: true },
  },
  { _id: false },
);

const checkSchema = new Schema(
  { party: String, kind: String, ok: Boolean, detail: String, source: String, checkedAt: Date },
  { _id: false },
);

const partyTagsSchema = new Schema({ party: { type: String, required: true }, scenarioCodes: { type: [String], default: [] } }, { _id: false });

const partyLiabilitySchema = new Schema(
  { label: { type: String, required: true }, liability: { type: String, required: true }, basis: { type: String, default: '' }, damages: { type: String, default: null } },
  { _id: false },
);

/** The officer's decision (decisions/), with the proposal it was made against: set by `determine`. */
const decisionSchema = new Schema(
  {
    proposal: {
      rule: { type: String, required: true },
      parties: { type: [partyLiabilitySchema], default: null },
      explanation: { type: String, default: '' },
    },
    /** Names this decision (its certificate number is claimed under it): a case decided again gets a new one. */
    decisionId: { type: String, default: null },
    scenarioLibraryRev: { type: Number, required: true },
    parties: { type: [partyLiabilitySchema], required: true },
    reason: { type: String, default: null },
    differsFromProposal: { type: Boolean, required: true },
    weather: { type: String, required: true },
    accidentType: { type: String, required: true },
    facts: { type: String, required: true },
    officer: { id: { type: String, required: true }, name: { type: String, required: true } },
    decidedAt: { type: Date, required: true },
    certificateNumber: { type: String, default: null },
    certificateIssuedAt: { type: Date, default: null },
  },
  { _id: false },
);

const reviewApplicationSchema = new Schema(
  { party: String, driverId: Types.ObjectId, request: String, reasons: String, evidenceIds: { type: [String], default: [] }, appliedAt: Date },
  { _id: false },
);

const reviewSchema = new Schema(
  {
    status: { type: String, enum: ['received', 'accepted', 'not_accepted', 'upheld', 'redone'], required: true },
    applications: { type: [reviewApplicationSchema], default: [] },
    receivedAt: { type: Date, required: true },
    acceptBy: { type: Date, required: true },
    acceptedAt: { type: Date, default: null },
    notAcceptedReason: { type: String, default: null },
    concludeBy: { type: Date, default: null },
    concludedAt: { type: Date, default: null },
    conclusionReason: { type: String, default: null },
    reviewer: { id: { type: String, default: null }, name: { type: String, default: null } },
    certificateNumber: { type: String, default: null },
  },
  { _id: false },
);

const verdictSchema = new Schema(
  { rule: String, ok: Boolean, code: String, reason: String, alternatives: [String], nextOpenAt: { type: String, default: null } },
  { _id: false },
);

/**
 * The current state of a case: a projection of its event log (case-event.model.ts). `rev` counts the
 * events applied; only the writer that claimed event `rev + 1` may move it (case-revisions.ts).
 */
const caseSchema = new Schema(
  {
    state: { type: String, enum: CASE_STATES, required: true, default: 'draft' },
    rev: { type: Number, required: true, default: 0 },
    /** The hash of event `rev` (case-event-chain.ts), so the next event links without reading it. */
    eventHash: { type: String, default: null },
    stateChangedAt: { type: Date, required: true, default: () => new Date() },
    /** When the driver reported it, by the server's business clock (rules and the queue judge by this). */
    reportedAt: { type: Date, required: true },
    initiatorId: { type: Types.ObjectId, required: true },
    /** The reporter's Idempotency-Key; the case's _id is derived from it (case-report.service.ts). */
    idempotencyKey: { type: String, required: true },
    brigadeCode: { type: String, default: null },
    districtAdcode: { type: String, default: null },
    districtName: { type: String, default: '' },
    address: { type: String, default: '' },
    nearBorder: { type: Boolean, default: false },
    /** GCJ-02, after any conversion; as reported by the phone. */
    location: {
      lat: Number,
      lng: Number,
      accuracyM: Number,
      reportedAs: { type: String, enum: ['gcj02', 'wgs84'] },
      confirmedOnMap: Boolean,
    },
    /** The reporter's answers to the §13 questions, as given. */
    answers: { type: Schema.Types.Mixed, default: null },
    safety: { checkId: Types.ObjectId, confirmedAt: Date },
    vehicleCount: { type: Number, default: 0 },
    parties: { type: [partySchema], default: [] },
    /** Six characters other parties join with; unique across all cases ever, so an old code never opens a new case. */
    joinCode: { type: String, required: true },
    joinCodeExpiresAt: { type: Date, required: true },
    /** The verdicts that refused it (redirected), or the dispatcher's reason later. */
    failed: { type: [verdictSchema], default: [] },
    /** When it last entered the queue (first report, resume or a dropped call). */
    queuedAt: { type: Date, default: null },
    /** Back in the queue after a dropped call: ranked ahead by REQUEUE_PRIORITY_SECONDS (queue-order.ts). */
    requeued: { type: Boolean, default: false },
    answeredAt: { type: Date, default: null },
    answeredBy: { id: { type: String, default: null }, name: { type: String, default: null } },
    releasedAt: { type: Date, default: null },
    /** When it was parked for silence (business clock): 继续处理 is possible for RESUME_WINDOW_SECONDS. */
    abandonedAt: { type: Date, default: null },
    /** Answer → release, seconds: the 5-minute clock, stored. */
    handlingSeconds: { type: Number, default: null },
    facts: {
      occurredAt: { type: Date, default: null },
      place: { type: String, default: null },
      directions: { type: Schema.Types.Mixed, default: {} },
      impactPoints: { type: Schema.Types.Mixed, default: {} },
      summary: { type: String, default: null },
    },
    shotRequests: { type: [shotRequestSchema], default: [] },
    /** Scenarios of the library that fit each party, tagged during the call or by the officer. */
    scenarioTags: { type: [partyTagsSchema], default: [] },
    decision: { type: decisionSchema, default: null },
    /** Electronic delivery of the 认定书 to every party (one time: all get it under 网办进度 at once). */
    deliveredAt: { type: Date, default: null },
    deliveries: { type: [new Schema({ party: String, deliveredAt: Date }, { _id: false })], default: [] },
    /** The 复核 window's end: 24:00 Asia/Shanghai of the third working-day-adjusted day after delivery. */
    reviewDeadline: { type: Date, default: null },
    /** The one 复核 of the accident (§71): every party's application inside the window joins it. */
    review: { type: reviewSchema, default: null },
    /** After 重新认定: the certificate the next one supersedes. */
    supersedesCertificate: { type: String, default: null },
    evidence: { type: [evidenceSummarySchema], default: [] },
    checks: { type: [checkSchema], default: [] },
    redirect: { reason: { type: String, default: null }, alternatives: { type: [String], default: [] } },
    recording: {
      state: { type: String, enum: ['off', 'recording', 'stopped', 'failed'], default: 'off' },
      resourceId: { type: String, default: null },
      sid: { type: String, default: null },
      files: { type: [String], default: [] },
    },
  },
  { timestamps: true, collection: 'cases' },
);
// Statistics and ops lists by brigade (the live queue reads open_cases).
caseSchema.index({ brigadeCode: 1, state: 1, reportedAt: 1 });
// The reconcile of open_cases (reconcile-open-cases.ts) looks up every case not yet finished.
caseSchema.index({ state: 1 });
// A code is never reused, so an old code cannot open someone else's new case.
caseSchema.index({ joinCode: 1 }, { unique: true });
// A driver's own cases (history, 我的).
caseSchema.index({ 'parties.driverId': 1, reportedAt: -1 });

export type CaseRecord = InferSchemaType<typeof caseSchema>;
export const Case = model('Case', caseSchema);
