import { isDuplicateKey } from '../platform/database';
import type { CaseSnapshot } from './case-revisions';
import { OPEN_STATES } from './case.model';
import { OpenCase } from './open-case.model';

const isOpen = (state: string) => (OPEN_STATES as readonly string[]).includes(state);

/**
 * Brings the projection in line with one snapshot of a case. Idempotent, and safe out of order: a
 * copy is only replaced by one of a higher rev (a stale writer's upsert collides on _id and is dropped).
 */
export async function syncOpenCase(c: CaseSnapshot): Promise<void> {
  if (!isOpen(c.state)) {
    await OpenCase.deleteOne({ _id: c._id, rev: { $lte: c.rev } });
    return;
  }
  const copy = {
    rev: c.rev,
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
    driverIds: c.parties.map((p) => p.driverId),
    joinCode: c.joinCode,
    joinCodeExpiresAt: c.joinCodeExpiresAt,
  };
  try {
    await OpenCase.replaceOne({ _id: c._id, rev: { $lt: c.rev } }, copy, { upsert: true });
  } catch (err) {
    // A newer copy is already there.
    if (!isDuplicateKey(err)) throw err;
  }
}

/** The driver's case at the scene (queued, on a call, collecting), if any. */
export async function activeCaseOf(driverId: string, exceptCaseId?: string) {
  const open = await OpenCase.find({ driverIds: driverId, state: { $in: ['queued', 'in_call', 'collecting'] } }, { _id: 1 }).lean();
  return open.find((c) => String(c._id) !== exceptCaseId) ?? null;
}
