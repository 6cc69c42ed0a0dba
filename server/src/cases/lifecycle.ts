import type { CaseState } from '../../../typings/api/cases';

/**
 * The case lifecycle as one table. The transition code, the tests and docs/ARCHITECTURE.md all read
 * this; a state change that is not a row here cannot happen.
 */
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
  | 'close';

export type CaseActorKind = 'driver' | 'dispatcher' | 'officer' | 'ops' | 'system';

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
  { from: 'review_requested', event: 'review', to: 'reviewed', by: ['officer'], meaning: 'the review is decided' },
  { from: 'reviewed', event: 'close', to: 'closed', by: ['system', 'officer'], meaning: 'the case is finished' },
];

export const TERMINAL_STATES: readonly CaseState[] = ['closed', 'redirected', 'cancelled'];

/** Waiting or on the call: the parties are at the scene. A driver is in at most one such case. */
export const ACTIVE_STATES = ['queued', 'in_call', 'collecting'] as const satisfies readonly CaseState[];
/** On the call with a dispatcher: information, facts, shots, checks and evidence are taken. */
export const ON_CALL_STATES = ['in_call', 'collecting'] as const satisfies readonly CaseState[];

export function findTransition(from: CaseState, event: CaseEvent): TransitionRule | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.event === event);
}

/** Every state an event may start from: the guard of the atomic update. */
export function statesAccepting(event: CaseEvent): CaseState[] {
  return TRANSITIONS.filter((t) => t.event === event).map((t) => t.from);
}
