import { dropPresence } from './call-presence';
import { isDuplicateKey } from '../platform/database';
import type { CaseSnapshot } from './case-change';
import { isOpen } from './case.model';
import { OpenCase } from './open-case.model';
import { ON_CALL_STATES } from './lifecycle';
import { forgetDesk } from './desk-reads';

/** What the queue shows of an open case: its open_cases row but the rev. */
function queueCopy(c: CaseSnapshot) {
  return {
    state: c.state,
    brigadeCode: c.brigadeCode ?? null,
    reportedAt: c.reportedAt,
    queuedAt: c.queuedAt ?? null,
    requeued: Boolean(c.requeued),
    location: { lat: c.location?.lat ?? undefined, lng: c.location?.lng ?? undefined },
    districtName: c.districtName ?? '',
    address: c.address ?? '',
    vehicleCount: c.vehicleCount ?? 0,
    plates: c.parties.map((p) => p.plate),
    answeredAt: c.answeredAt ?? null,
    answeredBy: { id: c.answeredBy?.id ?? null, name: c.answeredBy?.name ?? null },
    driverIds: c.parties.map((p) => p.driverId),
    joinCode: c.joinCode,
    joinCodeExpiresAt: c.joinCodeExpiresAt,
  };
}

/**
 * Whether the queue (its waiting cases, the calls, the day's figures, all made of these rows and of
 * the states) shows any difference between two snapshots of a case. Most events of a call do not (a
 * photo request, the recording starting, anything after the case ended): the brigade's shared desk
 * read is kept, here and on the other instances.
 */
export function queueSeesChange(before: CaseSnapshot, after: CaseSnapshot): boolean {
  if (before.state !== after.state || (before.brigadeCode ?? null) !== (after.brigadeCode ?? null)) return true;
  return isOpen(after.state) && JSON.stringify(queueCopy(before)) !== JSON.stringify(queueCopy(after));
}

/**
 * Brings the projection in line with one snapshot of a case. Idempotent, and safe out of order: a
 * copy is only replaced by one of a higher rev (a stale writer's upsert collides on _id and is dropped).
 */
export async function syncOpenCase(c: CaseSnapshot, options: { wasOpen?: boolean; queueChanged?: boolean } = {}): Promise<void> {
  // Whatever lands below, the brigade's desk as this process last read it is out of date (unless the
  // writer knows the queue shows no difference).
  if (options.queueChanged !== false) forgetDesk(c.brigadeCode ?? null);
  if (!isOpen(c.state)) {
    // The signs of life go first, then the row: a crash in between leaves the row, and whoever
    // repairs it (a read, the reconcile) comes back here without `wasOpen`. A writer that knows the
    // case was already finished (a later event: 复核, decision) has nothing left to drop.
    if (options.wasOpen === false) return; // its row went with the event that finished it (repairs check)
    await dropPresence(String(c._id), c.parties.map((p) => p.label));
    await OpenCase.deleteOne({ _id: c._id, rev: { $lte: c.rev } });
    return;
  }
  const copy = { rev: c.rev, ...queueCopy(c) };
  try {
    await OpenCase.replaceOne({ _id: c._id, rev: { $lt: c.rev } }, copy, { upsert: true });
  } catch (err) {
    // A newer copy is already there.
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * The case and its row are two writes; a writer that dies between them leaves the row missing, stale,
 * or present for a finished case. Whoever reads the case checks its row (one primary-key read) and
 * rewrites it when it is out of step. Returns whether it had to.
 */
export async function repairOpenCase(c: CaseSnapshot): Promise<boolean> {
  const row = await OpenCase.findById(c._id, { rev: 1 }).lean();
  const inStep = isOpen(c.state) ? row !== null && row.rev >= c.rev : row === null;
  if (inStep) return false;
  await syncOpenCase(c);
  return true;
}

/** Cases on a call now (the sweeper looks for silent calls): ids and their drivers. */
export function casesOnCall() {
  return OpenCase.find({ state: { $in: [...ON_CALL_STATES] } }, { _id: 1, driverIds: 1 }).lean();
}

/** Cases still queued that were reported before `before` (the sweeper looks for scenes nobody watches). */
export function queuedBefore(before: Date) {
  return OpenCase.find({ state: 'queued', reportedAt: { $lt: before } }, { _id: 1 }).lean();
}
