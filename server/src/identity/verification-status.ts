import type { Types } from 'mongoose';
import type { VerificationFallback, VerificationMethod, VerificationStatusResponse } from '../../../typings/api/verification';
import type { Config } from '../config';
import { Driver } from '../drivers';
import { notFound } from '../platform/errors';
import { maskIdNumber } from '../platform/mask';
import type { IdCipher } from './id-cipher';
import { DriverIdentity } from './identity.model';
import { IdentityReview } from './identity-review.model';
import { maskName } from './masking';
import { VerificationAttempt } from './verification-attempt.model';

/** Where a driver stands, built from their record, their identity and their attempts. */
export async function verificationStatus(driverId: Types.ObjectId | string, config: Config, cipher: IdCipher): Promise<VerificationStatusResponse> {
  const [driver, identity, faceFailures, deviceUnsupported, review] = await Promise.all([
    Driver.findById(driverId).lean(),
    DriverIdentity.findOne({ driverId }).lean(),
    VerificationAttempt.countDocuments({ driverId, path: 'face', result: 'failed' }),
    VerificationAttempt.exists({ driverId, path: 'face', result: 'failed', code: 'device_unsupported' }),
    IdentityReview.findOne({ driverId }).sort({ submittedAt: -1 }).lean(),
  ]);
  if (!driver) throw notFound('用户不存在');
  const verified = driver.verification === 'verified';
  const fallbacks: VerificationFallback[] = !verified && (faceFailures >= config.FACE_MAX_FAILURES || deviceUnsupported) ? ['sms', 'manual_review'] : [];
  return {
    status: driver.verification,
    method: (driver.verificationMethod as VerificationMethod | null) ?? null,
    verifiedAt: driver.verifiedAt ? driver.verifiedAt.toISOString() : null,
    maskedName: identity ? maskName(identity.name) : null,
    maskedIdNumber: identity ? maskIdNumber(cipher.open(identity.idNumberSealed)) : null,
    faceFailures,
    fallbacks,
    agreementVersion: config.AGREEMENT_VERSION,
    review: review
      ? { state: review.state, reason: review.reason ?? null, submittedAt: review.submittedAt.toISOString(), decidedAt: review.decidedAt ? review.decidedAt.toISOString() : null }
      : null,
  };
}
