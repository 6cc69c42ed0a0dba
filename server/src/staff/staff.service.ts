import type { StaffProfile } from '../../../typings/api/auth';
import type { CreateStaffRequest } from '../../../typings/api/staff';
import { conflict } from '../platform/errors';
import { hashPassword } from './passwords';
import { Staff, type StaffDocument, type StaffRecord } from './staff.model';
import { isDuplicateKey } from '../platform/database';

type StaffLike = Pick<StaffRecord, 'username' | 'displayName' | 'role' | 'brigadeCode'> & { _id: unknown };

export function toStaffProfile(staff: StaffLike): StaffProfile {
  return {
    id: String(staff._id),
    username: staff.username,
    displayName: staff.displayName,
    role: staff.role,
    brigadeCode: staff.brigadeCode ?? null,
  };
}

export async function createStaff(input: CreateStaffRequest, hashCost: number): Promise<StaffDocument> {
  const passwordHash = await hashPassword(input.password, hashCost);
  try {
    return await Staff.create({ ...input, brigadeCode: input.brigadeCode ?? null, passwordHash });
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(`用户名 ${input.username} 已存在`);
    throw err;
  }
}

export async function listStaff() {
  return Staff.find().sort({ role: 1, username: 1 }).lean();
}

/** The name a member of staff shows to drivers (null when the account is gone). */
export async function staffDisplayName(id: string): Promise<string | null> {
  return (await Staff.findById(id, { displayName: 1 }).lean())?.displayName ?? null;
}

/** An officer as a certificate names them: the display name and the number they sign in with (警号). */
export async function officerBadge(id: string): Promise<{ name: string; number: string } | null> {
  const staff = await Staff.findById(id, { displayName: 1, username: 1 }).lean();
  return staff ? { name: staff.displayName, number: staff.username } : null;
}
