import type { CaseState } from '../../../typings/api/cases';
import { AppError, forbidden, notFound } from '../platform/errors';
import { findEdit, type CaseActorKind, type CaseEditKind, type CaseEvent as TransitionEvent } from './lifecycle';
import { planTransition } from './case-transitions';
import { Case, isOpen } from './case.model';
import type { CaseChange, CaseFieldChanges, CaseId, CaseListField, CaseSnapshot } from './case-change';
import { caseEventHash, nextPrevHash } from './case-event-chain';
import { CaseEvent, caseEventId } from './case-event.model';
import { isDuplicateKey } from '../platform/database';
import type { CaseNotify } from './case-services';
import { notifyCaseChanged } from './case-notifications';
import { queueSeesChange, repairOpenCase, syncOpenCase } from './open-cases';
import { syncDeskDay } from './desk-day';
import { faultPoint } from '../platform/faults';
import { currentRequest } from '../platform/request-context';

export type { CaseChange, CaseFieldChanges, CaseId, CaseListField, CaseSnapshot } from './case-change';

/** What an event did to the case besides its state: recorded on the event, replayed from it. */
interface EventChanges {
  set: CaseFieldChanges;
  setPaths: Record<string, unknown>;
  push: Partial<Record<CaseListField, unknown[]>>;
}

/** How an event stores its paths: keys with dots cannot be field names of a stored document. */
type StoredPaths = { path: string; value: unknown }[];

const changesOf = (e: { set?: unknown; setPaths?: unknown; push?: unknown }): EventChanges => ({
  set: (e.set ?? {}) as CaseFieldChanges,
  setPaths: Array.isArray(e.setPaths) ? Object.fromEntries((e.setPaths as StoredPaths).map(({ path, value }) => [path, value])) : ((e.setPaths ?? {}) as Record<string, unknown>),
  push: (e.push ?? {}) as EventChanges['push'],
});

const storedPaths = (paths: Record<string, unknown>): StoredPaths => Object.entries(paths).map(([path, value]) => ({ path, value }));

/** A path into a list, as plans build them: `<list>.<index>.<field…>`; nothing else may be set by path. */
const LIST_PATH = /^(parties|shotRequests|evidence|checks)\.\d+(\.[A-Za-z]+)+$/;

/** Each lost claim means another writer's change landed, so N concurrent writers need at most N attempts. */
const MAX_ATTEMPTS = 12;

export interface CaseActor {
  kind: CaseActorKind;
  id: string | null;
}

/** What an edit changes besides nothing of the state (see CaseChange). */
export type EditChanges = Pick<CaseChange, 'set' | 'setPaths' | 'push' | 'reason'>;

/**
 * The door for state changes: one row of the transition table (lifecycle.ts), for this actor. `check`
 * may refuse it on the current case first (with a more precise answer than the table's 409), and `set`
 * may depend on the current case. Of two racing transitions exactly one is applied; the other finds the
 * state moved on and gets 409.
 */
export function transition(
  caseId: CaseId,
  event: TransitionEvent,
  actor: CaseActor,
  options: { reason?: string | null; set?: CaseFieldChanges | ((current: CaseSnapshot) => CaseFieldChanges); check?: (current: CaseSnapshot) => void; services?: CaseNotify } = {},
): Promise<CaseSnapshot> {
  return changeCase(
    caseId,
    (current) => {
      options.check?.(current);
      const set = typeof options.set === 'function' ? options.set(current) : (options.set ?? {});
      return planTransition(current.state, event, actor, options.reason ?? null, set);
    },
    options.services,
  );
}

/**
 * The door for changes that keep the state: one row of the edits table. The state and the actor are
 * checked against it (409 CASE_NOT_IN_CALL with the row's own words; 403), then `changes` says what
 * changes — it may also throw to refuse, or to say there is nothing to do.
 */
export function edit(caseId: CaseId, kind: CaseEditKind, actor: CaseActor, changes: (current: CaseSnapshot) => EditChanges, services?: CaseNotify): Promise<CaseSnapshot> {
  const rule = findEdit(kind);
  return changeCase(
    caseId,
    (current) => {
      if (!rule.states.includes(current.state)) throw new AppError(409, 'CASE_NOT_IN_CALL', rule.refused);
      if (!rule.by.includes(actor.kind)) throw forbidden('无权对该案件执行此操作');
      const { reason, ...rest } = changes(current);
      return { event: kind, to: current.state, actor, reason: reason ?? null, ...rest };
    },
    services,
  );
}

/**
 * The one way a case changes (private: through transition() and edit()). `plan` looks at the current case and returns the change (or throws);
 * the change is claimed by inserting event `rev + 1` — a unique index lets exactly one concurrent
 * writer win — and then applied to the case document. A writer that loses the claim re-reads and
 * re-plans, so an unrelated concurrent edit costs a retry, while a real conflict (the state moved on)
 * surfaces from `plan` as 409. With `services`, consoles and parties hear of the change once it is
 * applied, and the listeners on its event run (case-listeners.ts).
 */
async function changeCase(caseId: CaseId, plan: (current: CaseSnapshot) => CaseChange, services?: CaseNotify): Promise<CaseSnapshot> {
  for (let attempt = 1; ; attempt++) {
    // First try on the case as stored: an event claimed but not applied (a writer that died) makes the
    // claim below collide, and the retry reads with loadCase, which finishes that event first.
    const current = attempt === 1 ? await readCase(caseId) : await loadCase(caseId, { repair: false });
    const change = plan(current);
    const rev = current.rev + 1;
    const at = new Date();
    const changes = changesOf(change);
    for (const path of Object.keys(changes.setPaths)) if (!LIST_PATH.test(path)) throw new Error(`not a list path: ${path}`);
    // Hashed as mongoose will store it (unknown keys dropped, defaults filled), linked to the last event.
    const claim = new CaseEvent({ _id: caseEventId(current._id, rev), caseId: current._id, rev, at, event: change.event, from: current.state, to: change.to, actor: change.actor, reason: change.reason ?? null, set: changes.set, setPaths: storedPaths(changes.setPaths), push: changes.push, requestId: currentRequest()?.requestId ?? null, prevHash: nextPrevHash(current) });
    const stored = claim.toObject() as Record<string, unknown>;
    const hash = caseEventHash(stored);
    try {
      await CaseEvent.create({ ...stored, hash });
    } catch (err) {
      if (isDuplicateKey(err) && attempt < MAX_ATTEMPTS) {
        // A little jitter so the losers of one round do not collide again in the next.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        continue;
      }
      if (isDuplicateKey(err)) throw new AppError(409, 'CONFLICT', '案件正在被他人更新，请稍后重试');
      throw err;
    }
    const updated = await applyEvent(current, { rev, at, to: change.to, hash, ...changes });
    if (services) {
      const queue = queueSeesChange(current, updated);
      await notifyCaseChanged(services.pubsub, { caseId: String(updated._id), brigadeCode: updated.brigadeCode ?? null, state: updated.state, event: change.event, queue });
      services.caseListeners.emit({ event: change.event, case: updated, actor: change.actor });
    }
    return updated;
  }
}

async function readCase(caseId: CaseId): Promise<CaseSnapshot> {
  const current = (await Case.findById(caseId).lean()) as CaseSnapshot | null;
  if (!current) throw notFound('案件不存在');
  return current;
}

/**
 * The case as of its last event, finishing first any event whose writer stopped before applying it,
 * and (unless `repair: false`, for writers that sync it themselves) putting its open_cases row right.
 *
 * Those two checks are made at most every CHECKED_KEEP_MS per case and process while its rev stays the
 * same (a write in this process counts as one): phones poll every 5 s and consoles re-read on every
 * change, and the checks were two of a poll's four reads, almost always finding nothing. An event left
 * by a writer that died (claimed, not applied: its client never had an answer) is finished by the next
 * write at once — its claim collides, and the retry reads with `repair: false`, which always checks —
 * and by any read within CHECKED_KEEP_MS; a row out of step is put right within the same time.
 */
export async function loadCase(caseId: CaseId, options: { repair?: boolean } = {}): Promise<CaseSnapshot> {
  const current = await readCase(caseId);
  if (options.repair !== false && recentlyChecked(current)) return current;
  return settleCase(current, options);
}

const CHECKED_KEEP_MS = 10_000;
/** Per process: each case's last full check (nothing pending, its row in step) and the rev it found. */
const checked = new Map<string, { rev: number; atMs: number }>();
function recentlyChecked(c: CaseSnapshot): boolean {
  const seen = checked.get(String(c._id));
  return seen !== undefined && seen.rev === c.rev && performance.now() - seen.atMs < CHECKED_KEEP_MS;
}
function markChecked(c: CaseSnapshot) {
  if (checked.size > 10_000) checked.clear(); // bounded: only cases being polled matter
  checked.set(String(c._id), { rev: c.rev, atMs: performance.now() });
}

async function settleCase(stored: CaseSnapshot, options: { repair?: boolean } = {}): Promise<CaseSnapshot> {
  let current = stored;
  for (;;) {
    const pending = await CaseEvent.findById(caseEventId(current._id, current.rev + 1)).lean();
    if (!pending) break;
    current = await applyEvent(current, { rev: pending.rev, at: pending.at, to: pending.to as CaseState, hash: pending.hash ?? null, ...changesOf(pending) });
  }
  if (options.repair !== false) {
    await repairOpenCase(current);
    markChecked(current);
  }
  return current;
}

export async function caseHistory(caseId: CaseId) {
  return CaseEvent.find({ caseId }).sort({ rev: 1 }).lean();
}

/** Idempotent: replaying an event that is already applied changes nothing (the update is guarded by rev). */
async function applyEvent(current: CaseSnapshot, event: EventChanges & { rev: number; at: Date; to: CaseState; hash: string | null }): Promise<CaseSnapshot> {
  const stateChange = event.to !== current.state ? { stateChangedAt: event.at } : {};
  const push = Object.fromEntries(Object.entries(event.push).filter(([, items]) => items && items.length > 0).map(([field, items]) => [field, { $each: items }]));
  // Applied and read back in one round trip; when another reader applied it first, read it as it is.
  const applied = (await Case.findOneAndUpdate(
    { _id: current._id, rev: event.rev - 1 },
    { $set: { ...event.set, ...event.setPaths, ...stateChange, state: event.to, rev: event.rev, eventHash: event.hash }, ...(Object.keys(push).length > 0 ? { $push: push } : {}) },
    { returnDocument: 'after' },
  ).lean()) as CaseSnapshot | null;
  const updated = applied ?? ((await Case.findById(current._id).lean()) as CaseSnapshot | null);
  if (!updated) throw notFound('案件不存在');
  faultPoint(`case-applied:${updated.state}`);
  await syncOpenCase(updated, { wasOpen: isOpen(current.state), queueChanged: queueSeesChange(current, updated) });
  markChecked(updated);
  // The desk's "today" figures change only with the state (answer, release, …).
  if (event.to !== current.state) await syncDeskDay(updated);
  return updated;
}
