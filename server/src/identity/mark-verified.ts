import type { VerificationMethod } from '../../../typings/api/verification';
import { Driver } from '../drivers';
import { AppError } from '../platform/errors';
import { VerifiedPerson } from './identity.model';
import { recordAttempt } from './verification-attempt.model';
import { isDuplicateKey } from '../platform/database';

/**
 * The end of every successful path: claim the person (one verified WeChat user per ID number), then
 * mark the driver verified. Claiming twice for the same driver (a retried request) is fine.
 */
export async function markVerified(driverId: string, idHash: string, method: VerificationMethod): Promise<void> {
  const at = new Date();
  try {
    await VerifiedPerson.create({ idHash, driverId, method, at });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const holder = await VerifiedPerson.findOne({ idHash }).lean();
    if (String(holder?.driverId) !== driverId) {
      await recordAttempt({ driverId, path: method, result: 'refused', code: 'ID_ALREADY_VERIFIED' });
      throw new AppError(409, 'ID_ALREADY_VERIFIED', '该身份证号已被另一个微信账号认证。如非本人操作，请携带身份证到交警窗口处理');
    }
  }
  await Driver.updateOne({ _id: driverId }, { $set: { verification: 'verified', verificationMethod: method, verifiedAt: at } });
  await recordAttempt({ driverId, path: method, result: 'passed' });
}
