import type { Types } from 'mongoose';
import type { CaseState } from '../../../typings/api/cases';
import { AppError, notFound } from '../platform/errors';
import { Case, type CaseRecord } from './case.model';
import { CaseEvent, caseEventId } from './case-event.model';
import { isDuplicateKey } from '../platform/database';
import type { PubSub } from '../platform/pubsub/pubsub';
import { notifyCaseChanged } from './case-notifications';
import { repairOpenCase, syncOpenCase } from './open-cases';
import { faultPoint } from '../platform/faults';

export type CaseId = Types.ObjectId | string;
export type CaseSnapshot = CaseRecord & { _id: Types.ObjectId };
/** Top-level case fields an event may set (never `state`/`rev`, which the event itself decides). */
export type CaseFieldChanges = Partial<Omit<CaseRecord, 'state' | 'rev' | 'stateChangedAt' | 'createdAt' | 'updatedAt'>>;

export interface CaseChange {
  event: string;
  to: CaseState;
  actor: { kind: string; id: string | null };
  reason?: string | null;
  set?: CaseFieldChanges;
}

/** Each lost claim means another writer's change landed, so N concurrent writers need at most N attempts. */
const MAX_ATTEMPTS = 12;

/**
 * The one way a case changes. `plan` looks at the current case and returns the change (or throws);
 * the change is claimed by inserting event `rev + 1` — a unique index lets exactly one concurrent
 * writer win — and then applied to the case document. A writer that loses the claim re-reads and
 * re-plans, so an unrelated concurrent edit costs a retry, while a real conflict (the state moved on)
 * surfaces from `plan` as 409. With `pubsub`, consoles and parties hear of the change once it is applied.
 */
export async function changeCase(caseId: CaseId, plan: (current: CaseSnapshot) => CaseChange, pubsub?: PubSub): Promise<CaseSnapshot> {
  for (let attempt = 1; ; attempt++) {
    const current = await loadCase(caseId, { repair: false });
    const change = plan(current);
    const rev = current.rev + 1;
    const at = new Date();
    const set = change.set ?? {};
    try {
      await CaseEvent.create({ _id: caseEventId(current._id, rev), caseId: current._id, rev, at, event: change.event, from: current.state, to: change.to, actor: change.actor, reason: change.reason ?? null, set });
    } catch (err) {
      if (isDuplicateKey(err) && attempt < MAX_ATTEMPTS) {
        // A little jitter so the losers of one round do not collide again in the next.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        continue;
      }
      if (isDuplicateKey(err)) throw new AppError(409, 'CONFLICT', '案件正在被他人更新，请稍后重试');
      throw err;
    }
    const updated = await applyEvent(current, { rev, at, to: change.to, set });
    if (pubsub) {
      await notifyCaseChanged(pubsub, { caseId: String(updated._id), brigadeCode: updated.brigadeCode ?? null, state: updated.state, event: change.event });
    }
    return updated;
  }
}

/**
 * The case as of its last event, finishing first any event whose writer stopped before applying it,
 * and (unless `repair: false`, for writers that sync it themselves) putting its open_cases row right.
 */
export async function loadCase(caseId: CaseId, options: { repair?: boolean } = {}): Promise<CaseSnapshot> {
  let current = (await Case.findById(caseId).lean()) as CaseSnapshot | null;
  if (!current) throw notFound('案件不存在');
  for (;;) {
    const pending = await CaseEvent.findById(caseEventId(current._id, current.rev + 1)).lean();
    if (!pending) break;
    current = await applyEvent(current, { rev: pending.rev, at: pending.at, to: pending.to as CaseState, set: (pending.set ?? {}) as CaseFieldChanges });
  }
  if (options.repair !== false) await repairOpenCase(current);
  return current;
}

export async function caseHistory(caseId: CaseId) {
  return CaseEvent.find({ caseId }).sort({ rev: 1 }).lean();
}

/** Idempotent: replaying an event that is already applied changes nothing. */
async function applyEvent(current: CaseSnapshot, event: { rev: number; at: Date; to: CaseState; set: CaseFieldChanges }): Promise<CaseSnapshot> {
  const stateChange = event.to !== current.state ? { stateChangedAt: event.at } : {};
  await Case.updateOne({ _id: current._id, rev: event.rev - 1 }, { $set: { ...event.set, ...stateChange, state: event.to, rev: event.rev } });
  const updated = (await Case.findById(current._id).lean()) as CaseSnapshot | null;
  if (!updated) throw notFound('案件不存在');
  faultPoint(`case-applied:${updated.state}`);
  await syncOpenCase(updated);
  return updated;
}
