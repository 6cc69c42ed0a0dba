import type { AccidentFacts, CallParty, ChatMessage, PartyCallView, PartyInfo, ShotKind, StaffCaseView } from '../../../typings/api/call';
import type { Alternative } from '../../../typings/api/eligibility';
import { type CaseSnapshot, caseNumber, casePlace, isOnCall } from '../cases';
import { toEvidenceItem } from '../evidence';
import { rtcMembers } from './rtc';
import { releaseBlockers } from './release-rules';

type Snapshot = CaseSnapshot;
type PartyDoc = Snapshot['parties'][number];

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const RELEASE_NOTICE =
  '请立即撤离！请将车辆移至不妨碍交通的地方，离开时注意观察来往车辆，不要在车道内停留。事故认定书将发送到本手机，请留意查收。';

function partyInfo(p: PartyDoc): PartyInfo {
  const i = p.info ?? {};
  return {
    driverName: i.driverName ?? null,
    licenceNo: i.licenceNo ?? null,
    plateType: i.plateType ?? null,
    vehicleType: i.vehicleType ?? null,
    insurer: i.insurer ?? null,
    policyNo: i.policyNo ?? null,
    phone: i.phone ?? null,
    confirmedAt: iso(i.confirmedAt),
  };
}

function facts(c: Snapshot): AccidentFacts {
  const f = c.facts;
  return {
    occurredAt: iso(f?.occurredAt),
    place: f?.place ?? null,
    directions: (f?.directions ?? {}) as Record<string, string>,
    impactPoints: (f?.impactPoints ?? {}) as Record<string, string>,
    summary: f?.summary ?? null,
  };
}

const shots = (c: Snapshot) =>
  (c.shotRequests ?? []).map((s) => ({ id: s.id, kind: s.kind as ShotKind, party: s.party, instruction: s.instruction, note: s.note ?? null, requestedAt: s.requestedAt.toISOString(), evidenceId: s.evidenceId ?? null }));

/** Evidence in seq order (items are appended as they are recorded, which a race may reorder). */
const evidenceItems = (c: Snapshot) => [...(c.evidence ?? [])].sort((a, b) => a.seq - b.seq).map((e) => toEvidenceItem(e, String(c._id)));

const redirectOf = (c: Snapshot) => (c.state === 'redirected' && c.redirect?.reason ? { reason: c.redirect.reason, alternatives: (c.redirect.alternatives ?? []) as Alternative[] } : null);

/** `messages`: the call's chat (call/chat.ts), kept apart from the case. */
export function staffCaseView(c: Snapshot, now: Date, seen: Record<string, Date>, brigade: Parameters<typeof casePlace>[1], messages: ChatMessage[]): StaffCaseView {
  const parties: CallParty[] = c.parties.map((p) => ({
    label: p.label,
    plate: p.plate,
    joinedAt: p.joinedAt.toISOString(),
    isMe: false,
    info: partyInfo(p),
    recordingConsentAt: iso(p.recordingConsentAt),
    lastSeenAt: iso(seen[p.label]),
  }));
  return {
    caseId: String(c._id),
    caseNo: caseNumber(c._id),
    state: c.state,
    rev: c.rev,
    reportedAt: c.reportedAt.toISOString(),
    place: casePlace(c, brigade),
    parties,
    vehicleCount: c.vehicleCount ?? 0,
    answeredAt: iso(c.answeredAt),
    answeredBy: c.answeredBy?.id ? { id: c.answeredBy.id, name: c.answeredBy.name ?? '' } : null,
    releasedAt: iso(c.releasedAt),
    handlingSeconds: c.handlingSeconds ?? null,
    facts: facts(c),
    shotRequests: shots(c),
    evidence: evidenceItems(c),
    checks: (c.checks ?? []).map((r) => ({ party: r.party!, kind: r.kind as 'licence', ok: Boolean(r.ok), detail: r.detail ?? '', source: r.source ?? '', checkedAt: r.checkedAt!.toISOString() })),
    messages,
    releaseBlockers: isOnCall(c.state) ? releaseBlockers(c) : [],
    redirect: redirectOf(c),
    recording: { state: (c.recording?.state ?? 'off') as StaffCaseView['recording']['state'], files: c.recording?.files ?? [] },
    members: rtcMembers(c.parties.map((p) => p.label)),
    serverTime: now.toISOString(),
  };
}

export function partyCallView(c: Snapshot, party: string, now: Date, messages: ChatMessage[]): PartyCallView {
  const me = c.parties.find((p) => p.label === party)!;
  return {
    caseId: String(c._id),
    state: c.state,
    rev: c.rev,
    me: party,
    parties: c.parties.map((p) => ({ label: p.label, plate: p.plate, joinedAt: p.joinedAt.toISOString(), isMe: p.label === party })),
    myInfo: partyInfo(me),
    pendingShots: shots(c).filter((s) => s.party === party && !s.evidenceId),
    myEvidence: evidenceItems(c).filter((e) => e.party === party),
    messages,
    recordingConsentAt: iso(me.recordingConsentAt),
    answeredAt: iso(c.answeredAt),
    releasedAt: iso(c.releasedAt),
    redirect: redirectOf(c),
    releaseNotice: c.releasedAt ? RELEASE_NOTICE : null,
    serverTime: now.toISOString(),
  };
}
