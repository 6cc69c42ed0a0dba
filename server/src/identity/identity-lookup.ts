import type { Types } from 'mongoose';
import { DriverIdentity } from './identity.model';

/** The driver's ID number as sealed at 实人认证 (registry checks open it), or null before verification. */
export async function sealedIdNumberOf(driverId: Types.ObjectId | string): Promise<string | null> {
  return (await DriverIdentity.findOne({ driverId }, { idNumberSealed: 1 }).lean())?.idNumberSealed ?? null;
}

/** The phone verified at 实人认证 (for notices when none was given during the call). */
export async function verifiedPhoneOf(driverId: Types.ObjectId | string): Promise<string | null> {
  return (await DriverIdentity.findOne({ driverId }, { phone: 1 }).lean())?.phone ?? null;
}
