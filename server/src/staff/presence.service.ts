import { isDuplicateKey } from '../platform/database';
import { recordDutyHour } from './duty-log';
import { StaffPresence } from './presence.model';

/**
 * A mark this fresh is not written again: a console reads its queue every few seconds and each read
 * wrote one (measured under `npm run load`), while the on-duty window is a minute and a half.
 */
export const MARK_EVERY_MS = 10_000;
/** Per process: when each (staff, brigade, role) was last marked. */
const lastMarked = new Map<string, number>();

/**
 * On duty = a dispatcher or officer whose console is open: the wait estimate counts them. Returns
 * whether the mark was written (a fresh one is not), so a caller can tell who keeps the list.
 */
export async function markSeen(staff: { id: string; role: string; brigadeCode: string | null }, now: Date): Promise<boolean> {
  if (staff.role !== 'dispatcher' && staff.role !== 'officer') return false;
  const key = `${staff.id}:${staff.brigadeCode ?? '-'}:${staff.role}`;
  const last = lastMarked.get(key);
  if (last !== undefined && Math.abs(now.getTime() - last) < MARK_EVERY_MS) return false;
  if (lastMarked.size > 10_000) lastMarked.clear(); // bounded: a city's staff is a few hundred
  lastMarked.set(key, now.getTime());
  try {
    await StaffPresence.updateOne({ staffId: staff.id }, { $set: { brigadeCode: staff.brigadeCode, role: staff.role, lastSeenAt: now } }, { upsert: true });
  } catch (err) {
    // Two first heartbeats at once: the other one created the record, which is all we wanted.
    if (!isDuplicateKey(err)) {
      lastMarked.delete(key); // not written after all: the next read tries again
      throw err;
    }
  }
  if (staff.brigadeCode) await recordDutyHour({ id: staff.id, role: staff.role, brigadeCode: staff.brigadeCode }, now);
  return true;
}
