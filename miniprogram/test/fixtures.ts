import type {
  CaseAnswers,
  DriverCaseView,
  DriverProfile,
  DriverSession,
  EligibilityResponse,
  ResolvedPlace,
  VerificationStatus,
  VerificationStatusResponse,
  WaitEstimate,
} from '../../typings';
import type { EvidenceItem, PartyCallView, PartyInfo, RtcCredentials, ShotRequest, UploadSession } from '../../typings/api/call';

export function driver(verification: VerificationStatus = 'verified'): DriverProfile {
  return { id: 'drv_1', verification, createdAt: '2025-05-28T00:00:00.000Z' };
}

/** A session as the server issues it; `n` tells generations apart (access-1, refresh-1, …). */
export function session(n: number, verification: VerificationStatus = 'verified'): DriverSession {
  return {
    accessToken: `access-${n}`,
    accessTokenExpiresAt: '2099-01-01T00:15:00.000Z',
    refreshToken: `refresh-${n}`,
    refreshTokenExpiresAt: '2099-01-31T00:00:00.000Z',
    driver: driver(verification),
  };
}

/** GET /api/v1/verification as the server answers it; unverified with no profile unless told. */
export function verificationStatus(overrides: Partial<VerificationStatusResponse> = {}): VerificationStatusResponse {
  return {
    status: 'unverified',
    method: null,
    verifiedAt: null,
    maskedName: null,
    maskedIdNumber: null,
    faceFailures: 0,
    fallbacks: [],
    agreementVersion: '2025-05-v1',
    review: null,
    ...overrides,
  };
}

/** Stored session, so pages skip wx.login. */
export function signedIn(verification: VerificationStatus = 'unverified'): void {
  wx.setStorageSync('driverSession', session(1, verification));
}

/** A place in Pengjiang, as the server resolves it. */
export function place(overrides: Partial<ResolvedPlace> = {}): ResolvedPlace {
  return {
    lat: 22.5786,
    lng: 113.0815,
    address: '江门市蓬江区建设三路',
    district: { adcode: '440703', name: '蓬江区' },
    brigade: { code: 'PJ', name: '蓬江大队', dutyPhone: '0750-1234567' },
    nearBorder: false,
    convertedFromWgs84: false,
    ...overrides,
  };
}

/** Answers that pass every §13 rule. */
export function goodAnswers(overrides: Partial<CaseAnswers> = {}): CaseAnswers {
  return {
    vehicleCount: 2,
    motorVehiclesOnly: true,
    anyoneInjured: false,
    vehiclesDrivable: true,
    factsDisputed: false,
    unlicensedDriving: false,
    drinkOrDrugs: false,
    anyoneLeftScene: false,
    ...overrides,
  };
}

/** POST /eligibility/check's answer: eligible, nothing nearby, unless told. */
export function eligibility(overrides: Partial<EligibilityResponse> = {}): EligibilityResponse {
  return {
    eligible: true,
    failed: [],
    place: place(),
    needsMapConfirmation: false,
    nearbyOpenCases: [],
    checkedAt: '2025-06-01T02:30:00.000Z',
    ...overrides,
  };
}

export function waitEstimate(overrides: Partial<WaitEstimate> = {}): WaitEstimate {
  return {
    position: 3,
    estimatedSeconds: 480,
    dispatchersOnDuty: 2,
    typicalHandlingSeconds: 300,
    basis: '按前面 2 起事故、每起约 5 分钟估算',
    offerAlternatives: false,
    ...overrides,
  };
}

/** A queued case of the reporter (party A), as GET /cases/:id answers it. */
export function caseView(overrides: Partial<DriverCaseView> = {}): DriverCaseView {
  return {
    caseId: 'case_1',
    state: 'queued',
    createdAt: '2025-06-01T02:30:05.000Z',
    place: place(),
    parties: [{ label: 'A', plate: '粤J12345', joinedAt: '2025-06-01T02:30:05.000Z', isMe: true }],
    vehicleCount: 2,
    joinCode: 'K7M2Q9',
    joinCodeExpiresAt: '2025-06-01T03:30:05.000Z',
    wait: waitEstimate(),
    failed: [],
    refreshAfterSeconds: 15,
    ...overrides,
  };
}

/** A stored report flow as the earlier steps leave it. */
export function flowAfterLocation(overrides: Record<string, unknown> = {}): void {
  wx.setStorageSync('reportFlow', {
    safetyCheckId: 'sc_1',
    safetyConfirmedAt: '2025-06-01T02:28:00.000Z',
    location: { lat: 22.5786, lng: 113.0815, coordType: 'gcj02', accuracyM: 15 },
    locationLabel: '',
    answers: null,
    eligibility: null,
    createAttempt: null,
    ...overrides,
  });
}

/** Party A's info before anybody filled anything in. */
export function emptyInfo(overrides: Partial<PartyInfo> = {}): PartyInfo {
  return { driverName: null, licenceNo: null, plateType: null, vehicleType: null, insurer: null, policyNo: null, phone: null, confirmedAt: null, ...overrides };
}

/** GET /cases/:id/call as party A's phone sees it: on the call, consent given, nothing asked yet. */
export function callView(overrides: Partial<PartyCallView> = {}): PartyCallView {
  return {
    caseId: 'case_1',
    state: 'in_call',
    rev: 3,
    me: 'A',
    parties: [
      { label: 'A', plate: '粤J12345', joinedAt: '2025-06-01T02:30:05.000Z', isMe: true },
      { label: 'B', plate: '粤JD54321', joinedAt: '2025-06-01T02:31:00.000Z', isMe: false },
    ],
    myInfo: emptyInfo(),
    pendingShots: [],
    myEvidence: [],
    messages: [],
    recordingConsentAt: '2025-06-01T02:40:00.000Z',
    answeredAt: '2025-06-01T02:39:30.000Z',
    releasedAt: null,
    redirect: null,
    releaseNotice: null,
    serverTime: '2025-06-01T02:40:01.000Z',
    ...overrides,
  };
}

/** POST /cases/:id/rtc-token for party A (uid 101); `n` tells tokens apart. */
export function rtcCredentials(n = 1, overrides: Partial<RtcCredentials> = {}): RtcCredentials {
  return {
    appId: '0123456789abcdef0123456789abcdef',
    channel: 'case-case_1',
    uid: 101,
    token: `006token-${n}`,
    expiresAt: '2099-06-01T03:40:00.000Z',
    ...overrides,
  };
}

export function shotRequest(overrides: Partial<ShotRequest> = {}): ShotRequest {
  return {
    id: 'shot_1',
    kind: 'impact_point',
    party: 'A',
    instruction: '请拍摄两车碰撞部位，距离 1 米左右',
    note: null,
    requestedAt: '2025-06-01T02:41:00.000Z',
    evidenceId: null,
    ...overrides,
  };
}

export function evidenceItem(overrides: Partial<EvidenceItem> = {}): EvidenceItem {
  return {
    id: 'ev_1',
    seq: 1,
    kind: 'impact_point',
    party: 'A',
    shotRequestId: 'shot_1',
    mimeType: 'image/jpeg',
    size: 307200,
    sha256: 'a'.repeat(64),
    prevChainHash: '',
    chainHash: 'b'.repeat(64),
    fixedAt: '2025-06-01T02:42:00.000Z',
    contentUrl: '/api/v1/evidence/ev_1/content',
    ...overrides,
  };
}

/** An upload of 300 KiB in 128 KiB chunks (3 chunks: 128, 128, 44 KiB). */
export function uploadSession(overrides: Partial<UploadSession> = {}): UploadSession {
  return { uploadId: 'up_1', chunkSize: 131072, totalChunks: 3, received: [], evidence: null, ...overrides };
}
