import type { Types } from 'mongoose';
import { maskIdNumber } from '../platform/mask';
import type { IdCipher } from './id-cipher';
import { DriverIdentity } from './identity.model';

/** The driver's ID number as sealed at 实人认证 (registry checks open it), or null before verification. */
export async function sealedIdNumberOf(driverId: Types.ObjectId | string): Promise<string | null> {
  return (await DriverIdentity.findOne({ driverId }, { idNumberSealed: 1 }).lean())?.idNumberSealed ?? null;
}

/** The phone verified at 实人认证 (for notices when none was given during the call). */
export async function verifiedPhoneOf(driverId: Types.ObjectId | string): Promise<string | null> {
  return (await DriverIdentity.findOne({ driverId }, { phone: 1 }).lean())?.phone ?? null;
}

/** What a liability certificate prints of a verified driver: the name, the ID number masked, the phone masked. */
export async function certificateIdentityOf(services: { idCipher: IdCipher }, driverId: Types.ObjectId | string): Promise<{ name: string; idNumberMasked: string; phoneMasked: string } | null> {
  const identity = await DriverIdentity.findOne({ driverId }, { name: 1, idNumberSealed: 1, phone: 1 }).lean();
  if (!identity) return null;
  return { name: identity.name, idNumberMasked: maskIdNumber(services.idCipher.open(identity.idNumberSealed)), phoneMasked: maskPhone(identity.phone) };
}

/** `13800138000` → `138****8000`. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}` : '*'.repeat(phone.length);
}
