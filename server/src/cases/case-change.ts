import type { Types } from 'mongoose';
import type { CaseState } from '../../../typings/api/cases';
import type { CaseEditKind, CaseEvent as TransitionEvent } from './lifecycle';
import type { CaseRecord } from './case.model';

/** The shapes of a case and of one change to it, shared by the case core's files. */
export type CaseId = Types.ObjectId | string;
export type CaseSnapshot = CaseRecord & { _id: Types.ObjectId };
/** Top-level case fields an event may set (never `state`/`rev`, which the event itself decides). */
export type CaseFieldChanges = Partial<Omit<CaseRecord, 'state' | 'rev' | 'stateChangedAt' | 'createdAt' | 'updatedAt'>>;

/** Case fields that are lists an event appends to. */
export type CaseListField = 'parties' | 'shotRequests' | 'evidence' | 'checks';

export interface CaseChange {
  event: TransitionEvent | CaseEditKind;
  to: CaseState;
  actor: { kind: string; id: string | null };
  reason?: string | null;
  /** Top-level fields replaced (small values: times, names, the facts). */
  set?: CaseFieldChanges;
  /** Values inside lists, by dotted path (`parties.1.info`): only what changed, not the whole list. */
  setPaths?: Record<string, unknown>;
  /** Items appended to lists. The event records the items, never a copy of the list. */
  push?: Partial<Record<CaseListField, unknown[]>>;
}
