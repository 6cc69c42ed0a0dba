import { isDuplicateKey } from '../platform/database';
import { recordDutyHour } from './duty-log';
import { StaffPresence } from './presence.model';

/** On duty = a dispatcher or officer whose console is open: the wait estimate counts them. */
export async function markSeen(staff: { id: string; role: string; brigadeCode: string | null }, now: Date): Promise<void> {
  if (staff.role !== 'dispatcher' && staff.role !== 'officer') return;
  try {
    await StaffPresence.updateOne({ staffId: staff.id }, { $set: { brigadeCode: staff.brigadeCode, role: staff.role, lastSeenAt: now } }, { upsert: true });
  } catch (err) {
    // Two first heartbeats at once: the other one created the record, which is all we wanted.
    if (!isDuplicateKey(err)) throw err;
  }
  if (staff.brigadeCode) await recordDutyHour({ id: staff.id, role: staff.role, brigadeCode: staff.brigadeCode }, now);
}

export async function countOnDuty(brigadeCode: string, now: Date, windowSeconds: number): Promise<number> {
  return StaffPresence.countDocuments({ brigadeCode, lastSeenAt: { $gte: new Date(now.getTime() - windowSeconds * 1000) } });
}
