import { StaffPresence } from './presence.model';
import { Staff } from './staff.model';

export interface OnDutyPerson {
  id: string;
  name: string;
  role: 'dispatcher' | 'officer';
  brigadeCode: string | null;
}

/**
 * Who is on duty now, by name: dispatchers and officers of a brigade (null: every brigade) whose
 * console showed signs of life within the window; disabled accounts are left out. Sorted by name.
 */
export async function onDutyStaff(brigadeCode: string | null, now: Date, windowSeconds: number): Promise<OnDutyPerson[]> {
  const present = await StaffPresence.find({ ...(brigadeCode ? { brigadeCode } : {}), lastSeenAt: { $gte: new Date(now.getTime() - windowSeconds * 1000) } }, { staffId: 1 }).lean();
  if (present.length === 0) return [];
  // The staff collection is a few hundred accounts at most: one read for all of them.
  const staff = await Staff.find({ _id: { $in: present.map((p) => p.staffId) }, disabled: false }, { displayName: 1, role: 1, brigadeCode: 1 }).lean();
  return staff
    .filter((s) => s.role === 'dispatcher' || s.role === 'officer')
    .map((s) => ({ id: String(s._id), name: s.displayName, role: s.role as OnDutyPerson['role'], brigadeCode: s.brigadeCode ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
