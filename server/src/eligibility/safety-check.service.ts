import { Types } from 'mongoose';
import type { SafetyCheckResponse } from '../../../typings/api/eligibility';
import { AppError } from '../platform/errors';
import { SafetyCheck } from './safety-check.model';

export async function recordSafetyCheck(driverId: string, now: Date, validSeconds: number): Promise<SafetyCheckResponse> {
  const check = await SafetyCheck.create({ driverId, confirmedAt: now, hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true });
  return { safetyCheckId: String(check._id), confirmedAt: now.toISOString(), validUntil: new Date(now.getTime() + validSeconds * 1000).toISOString() };
}

/** The driver's own, recent confirmation, or a 409 that sends the phone back to the checklist. */
export async function requireFreshSafetyCheck(driverId: string, safetyCheckId: string, now: Date, validSeconds: number) {
  const check = Types.ObjectId.isValid(safetyCheckId) ? await SafetyCheck.findOne({ _id: safetyCheckId, driverId }).lean() : null;
  if (!check) throw new AppError(409, 'SAFETY_CHECK_REQUIRED', '请先确认已开启危险报警闪光灯、放置警告标志');
  if (now.getTime() - check.confirmedAt.getTime() > validSeconds * 1000) {
    throw new AppError(409, 'SAFETY_CHECK_EXPIRED', '安全确认已超时，请再次确认现场安全措施');
  }
  return check;
}
