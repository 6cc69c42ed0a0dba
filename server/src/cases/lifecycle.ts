import type { CaseState } from '../../../typings/api/cases';

/**
 * The case lifecycle as two tables: the transitions (state changes) and the edits (changes that keep
 * the state). The case core (case-revisions.ts), the tests and docs/ARCHITECTURE.md all read these; a
 * change that is not a row here cannot happen. The named groups of states are declared here, once.
 */
export const CASE_STATES = [
  'draft', 'queued', 'in_call', 'collecting', 'released', 'determined', 'delivered',
  'review_requested', 'reviewed', 'closed', 'redirected', 'cancelled', 'abandoned',
] as const satisfies readonly CaseState[];
export type CaseEvent =
  | 'submit'
  | 'refuse'
  | 'answer'
  | 'start_collecting'
  | 'release'
  | 'redirect'
  | 'cancel'
  | 'time_out'
  | 'resume'
  | 'dispatcher_dropped'
  | 'determine'
  | 'deliver'
  | 'request_review'
  | 'review'
  | 'decline_review'
  | 'send_back'
  | 'close';

export type CaseActorKind = 'driver' | 'dispatcher' | 'officer' | 'reviewer' | 'ops' | 'system';

export interface TransitionRule {
  from: CaseState;
  event: CaseEvent;
  to: CaseState;
  by: readonly CaseActorKind[];
  /** What the row means, in a sentence; rendered into the architecture doc. */
  meaning: string;
}

const STAFF = ['dispatcher', 'officer'] as const;

export const TRANSITIONS: readonly TransitionRule[] = [
  { from: 'draft', event: 'submit', to: 'queued', by: ['driver'], meaning: 'eligible: waits for an officer, position and estimate shown' },
  { from: 'draft', event: 'refuse', to: 'redirected', by: ['system'], meaning: 'not eligible: told why and where to go instead' },
  { from: 'queued', event: 'answer', to: 'in_call', by: STAFF, meaning: 'a dispatcher answers; the video channel opens' },
  { from: 'queued', event: 'cancel', to: 'cancelled', by: ['driver'], meaning: 'the caller gives up waiting' },
  { from: 'queued', event: 'time_out', to: 'abandoned', by: ['system'], meaning: 'nobody answered in time' },
  { from: 'in_call', event: 'start_collecting', to: 'collecting', by: STAFF, meaning: 'evidence is being fixed; back-office checks run' },
  { from: 'in_call', event: 'redirect', to: 'redirected', by: STAFF, meaning: 'does not qualify: another way of handling' },
  { from: 'in_call', event: 'dispatcher_dropped', to: 'queued', by: ['system', ...STAFF], meaning: 'the dispatcher dropped: back to the head of the queue' },
  { from: 'in_call', event: 'time_out', to: 'abandoned', by: ['system'], meaning: 'no activity: parked, resumable for a while' },
  { from: 'collecting', event: 'release', to: 'released', by: STAFF, meaning: 'parties told to leave; the 5-minute clock stops' },
  { from: 'collecting', event: 'redirect', to: 'redirected', by: STAFF, meaning: 'does not qualify: another way of handling' },
  { from: 'collecting', event: 'dispatcher_dropped', to: 'queued', by: ['system', ...STAFF], meaning: 'the dispatcher dropped: back to the head of the queue' },
  { from: 'collecting', event: 'time_out', to: 'abandoned', by: ['system'], meaning: 'no activity: parked, resumable for a while' },
  { from: 'abandoned', event: 'resume', to: 'queued', by: ['driver'], meaning: '继续处理: the case rejoins the queue with everything collected' },
  { from: 'released', event: 'determine', to: 'determined', by: ['officer'], meaning: 'liability decided; certificate issued' },
  { from: 'determined', event: 'deliver', to: 'delivered', by: ['system', 'officer'], meaning: 'every party has the 认定书; the 3-day review window starts' },
  { from: 'delivered', event: 'request_review', to: 'review_requested', by: ['driver'], meaning: 'a written 复核 within 3 days of delivery' },
  { from: 'delivered', event: 'close', to: 'closed', by: ['system'], meaning: 'the review window passed without a request' },
  { from: 'review_requested', event: 'decline_review', to: 'closed', by: ['reviewer'], meaning: 'the review is not accepted (e.g. a party went to court): the certificate stands' },
  { from: 'review_requested', event: 'review', to: 'reviewed', by: ['reviewer'], meaning: 'the review is concluded: 维持 (upheld) or 重新认定 (sent back)' },
  { from: 'reviewed', event: 'send_back', to: 'released', by: ['system'], meaning: '重新认定: back to the brigade to decide again; the new certificate supersedes the old' },
  { from: 'reviewed', event: 'close', to: 'closed', by: ['system', 'officer'], meaning: 'the case is finished' },
];

export const TERMINAL_STATES: readonly CaseState[] = ['closed', 'redirected', 'cancelled'];

/** Waiting or on the call: the parties are at the scene. A driver is in at most one such case. */
export const ACTIVE_STATES = ['queued', 'in_call', 'collecting'] as const satisfies readonly CaseState[];
/** On the call with a dispatcher: information, facts, shots, checks and evidence are taken. */
export const ON_CALL_STATES = ['in_call', 'collecting'] as const satisfies readonly CaseState[];
export const isOnCall = (state: string) => (ON_CALL_STATES as readonly string[]).includes(state);
/** Active, or parked after a drop and resumable (继续处理): the cases `open_cases` holds. */
export const OPEN_STATES = [...ACTIVE_STATES, 'abandoned'] as const satisfies readonly CaseState[];
/** A state and every state the transitions table can lead to from it. */
function reachableFrom(start: CaseState): CaseState[] {
  const seen = new Set<CaseState>([start]);
  for (const state of seen) for (const rule of TRANSITIONS) if (rule.from === state) seen.add(rule.to);
  return [...seen];
}
/**
 * Released by the dispatcher, or further along since (decided, delivered, 复核, closed): handled by
 * video. Read off the table, so a state added after release joins the group by itself.
 */
export const RELEASED_OR_LATER_STATES: readonly CaseState[] = reachableFrom('released');
/**
 * What became of a case, as the statistics count it: each outcome is a group of states, and `refused`
 * is a redirect the eligibility rules made when it was reported (the case lists what failed).
 */
export const CASE_OUTCOMES = ['released', 'redirected', 'refused', 'cancelled', 'abandoned', 'open'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];
export function outcomeOf(state: CaseState, refusedByRules: boolean): CaseOutcome {
  if (RELEASED_OR_LATER_STATES.includes(state)) return 'released';
  if (state === 'redirected') return refusedByRules ? 'refused' : 'redirected';
  if (state === 'cancelled' || state === 'abandoned') return state;
  return 'open';
}
/** A 复核 was asked for (and may be decided): no second application (§71, once per accident). */
export const REVIEW_STATES = ['review_requested', 'reviewed'] as const satisfies readonly CaseState[];
export const isUnderReview = (state: string) => (REVIEW_STATES as readonly string[]).includes(state);
/** A party may add photos to a 复核 application: while the window is open, and while the application is received. */
export const REVIEW_UPLOAD_STATES = ['delivered', 'review_requested'] as const satisfies readonly CaseState[];

/** Edits: changes that keep the state, each a kind with the states it is allowed in and who may make it. */
export type CaseEditKind =
  | 'join'
  | 'recording_consent'
  | 'party_info_by_party'
  | 'party_info'
  | 'facts'
  | 'shot_requested'
  | 'scenario_tags'
  | 'certificate_issued'
  | 'review_joined'
  | 'review_accepted'
  | 'checks'
  | 'evidence_fixed'
  | 'recording_started'
  | 'recording_stopped'
  | 'recording_failed';

export interface EditRule {
  kind: CaseEditKind;
  states: readonly CaseState[];
  by: readonly CaseActorKind[];
  /** Said (409 CASE_NOT_IN_CALL) when the case is in a state that does not allow this edit. */
  refused: string;
  meaning: string;
}

export const EDITS: readonly EditRule[] = [
  { kind: 'join', states: ACTIVE_STATES, by: ['driver'], refused: '该案件已不能加入，请让报案人重新报案或拨打 122', meaning: 'another party joins with the code from a party\'s phone' },
  { kind: 'recording_consent', states: ACTIVE_STATES, by: ['driver'], refused: '案件当前不在处理中', meaning: 'a party agrees to the recorded video call' },
  { kind: 'party_info_by_party', states: ACTIVE_STATES, by: ['driver'], refused: '案件当前不在处理中，不能修改信息', meaning: 'a party fills in or confirms their own information' },
  { kind: 'party_info', states: ON_CALL_STATES, by: STAFF, refused: '案件当前不在通话处理中', meaning: 'the dispatcher records a party\'s information' },
  { kind: 'facts', states: ON_CALL_STATES, by: STAFF, refused: '案件当前不在通话处理中', meaning: 'the dispatcher records what happened' },
  { kind: 'shot_requested', states: ON_CALL_STATES, by: STAFF, refused: '案件当前不在通话处理中', meaning: 'the dispatcher asks a party for a photo' },
  { kind: 'checks', states: ON_CALL_STATES, by: STAFF, refused: '案件当前不在通话处理中', meaning: 'licence, vehicle and 交强险 results are stored' },
  { kind: 'evidence_fixed', states: CASE_STATES, by: ['driver', ...STAFF, 'system'], refused: '案件状态不允许登记证据', meaning: 'a fixed evidence item is listed on the case (it may arrive after release)' },
  { kind: 'recording_started', states: CASE_STATES, by: ['system'], refused: '案件状态不允许记录录制', meaning: 'cloud recording of the call started' },
  { kind: 'recording_stopped', states: CASE_STATES, by: ['system'], refused: '案件状态不允许记录录制', meaning: 'cloud recording stopped; its files are listed' },
  { kind: 'scenario_tags', states: ['in_call', 'collecting', 'released'], by: STAFF, refused: '案件已认定，不能再修改情形标注', meaning: 'a party is tagged with the standard scenarios that fit (decision support)' },
  { kind: 'certificate_issued', states: ['determined'], by: ['system', 'officer'], refused: '案件尚未认定或已送达，不能出具认定书', meaning: 'the signed 认定书 is issued and its number recorded' },
  { kind: 'review_joined', states: ['review_requested'], by: ['driver'], refused: '该案件已不在复核申请阶段', meaning: 'another party\'s application joins the one review (§71: once per accident)' },
  { kind: 'review_accepted', states: ['review_requested'], by: ['reviewer'], refused: '该案件已不在复核申请阶段', meaning: 'the reviewer accepts the application (within 5 days of receipt)' },
  { kind: 'recording_failed', states: CASE_STATES, by: ['system'], refused: '案件状态不允许记录录制', meaning: 'cloud recording could not start or stop' },
];

export function findEdit(kind: CaseEditKind): EditRule {
  const rule = EDITS.find((e) => e.kind === kind);
  if (!rule) throw new Error(`no edit rule for ${kind}`);
  return rule;
}

export function findTransition(from: CaseState, event: CaseEvent): TransitionRule | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.event === event);
}

/** Every state an event may start from: the guard of the atomic update. */
export function statesAccepting(event: CaseEvent): CaseState[] {
  return TRANSITIONS.filter((t) => t.event === event).map((t) => t.from);
}
