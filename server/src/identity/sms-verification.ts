import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { SmsSendRequest, SmsSendResponse } from '../../../typings/api/verification';
import { UpstreamUnavailableError } from '../clients/http/fetch-json';
import { RegistryApiError } from '../clients/registry/registry-client';
import { SmsApiError, SMS_CODE } from '../clients/sms/sms-client';
import { IdentityProviderError } from '../clients/identity-provider/identity-provider-client';
import { Driver } from '../drivers';
import { AppError, tooManyRequests, upstreamUnavailable } from '../platform/errors';
import { DriverIdentity } from './identity.model';
import { markVerified } from './mark-verified';
import { SmsChallenge, SmsChallengeUse } from './sms-challenge.model';
import { recordAttempt } from './verification-attempt.model';
import { verificationStatus } from './verification-status';
import { isDuplicateKey } from '../platform/database';

/**
 * 实名认证 by SMS, the fallback after repeated face failures: the phone the driver gave must be the one
 * reserved on their driving-licence record (or on a vehicle's record), and a code sent to it must
 * come back. Codes live SMS_CODE_TTL, are single-use, and both sending and guessing are limited.
 */
const CODE_TTL_MS = 5 * 60 * 1000;
const MAX_GUESSES_PER_CODE = 5;
// Shared by every instance (the database's count, or Redis when configured): services.limits.
const sendsPerMinute = (ctx: Context) => ctx.services.limits.rate('sms-send-minute', 60);
const sendsPerHour = (ctx: Context) => ctx.services.limits.rate('sms-send-hour', 3600);
const guesses = (ctx: Context) => ctx.services.limits.rate('sms-guess', CODE_TTL_MS / 1000);

export const maskPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

export async function sendSmsCode(ctx: Context, driverId: string, request: SmsSendRequest): Promise<SmsSendResponse> {
  const { registry, idCipher } = ctx.services;
  const { identity } = await requireFallbackOffered(ctx, driverId);
  const idNumber = idCipher.open(identity.idNumberSealed);

  let licencePhone: string | null;
  let vehiclePhone: string | null = null;
  try {
    licencePhone = (await registry.licence({ idNumber }))?.reservedPhone ?? null;
    if (request.plate && request.plateType) vehiclePhone = (await registry.vehicle({ plate: request.plate, plateType: request.plateType }))?.reservedPhone ?? null;
  } catch (err) {
    if (err instanceof UpstreamUnavailableError || err instanceof RegistryApiError) throw upstreamUnavailable('车驾管信息查询暂时不可用，请稍后再试');
    throw err;
  }
  if (!licencePhone && !vehiclePhone) {
    await recordAttempt({ driverId, path: 'sms', result: 'refused', code: 'NO_REGISTRY_RECORD' });
    throw new AppError(409, 'NO_REGISTRY_RECORD', '没有查到您的驾驶证或行驶证预留手机号，请改用上传身份证照片人工审核');
  }
  const matchedRecord = identity.phone === licencePhone ? 'licence' : identity.phone === vehiclePhone ? 'vehicle' : null;
  if (!matchedRecord) {
    await recordAttempt({ driverId, path: 'sms', result: 'refused', code: 'RESERVED_PHONE_MISMATCH' });
    throw new AppError(409, 'RESERVED_PHONE_MISMATCH', '您填写的手机号与驾驶证/行驶证上预留的手机号不一致，可改用第三方授权的手机号验证，或上传身份证照片人工审核');
  }

  const sent = await sendCodeTo(ctx, driverId, identity.phone, 'registry');
  return { ...sent, matchedRecord };
}

/**
 * The third-party way: the provider vouches for a phone it holds for this very person (same name and
 * ID number as the profile); the code then goes to that phone.
 */
export async function sendSmsCodeViaThirdParty(ctx: Context, driverId: string, authCode: string): Promise<SmsSendResponse> {
  const { identityProvider, idCipher } = ctx.services;
  const { identity } = await requireFallbackOffered(ctx, driverId);
  let person;
  try {
    person = await identityProvider.personFor(authCode);
  } catch (err) {
    if (err instanceof UpstreamUnavailableError) throw upstreamUnavailable('第三方认证服务暂时不可用，请稍后再试');
    if (err instanceof IdentityProviderError) {
      await recordAttempt({ driverId, path: 'third_party', result: 'refused', code: 'THIRD_PARTY_REFUSED', reason: err.error });
      throw new AppError(400, 'THIRD_PARTY_REFUSED', '第三方授权没有成功，请重新授权');
    }
    throw err;
  }
  if (person.name !== identity.name || person.idNumber !== idCipher.open(identity.idNumberSealed)) {
    await recordAttempt({ driverId, path: 'third_party', result: 'refused', code: 'THIRD_PARTY_MISMATCH' });
    throw new AppError(409, 'THIRD_PARTY_MISMATCH', '授权的第三方账号不是您本人的实名信息，请用本人账号授权');
  }
  const sent = await sendCodeTo(ctx, driverId, person.phone, 'third_party');
  return { ...sent, matchedRecord: 'third_party' };
}

async function sendCodeTo(ctx: Context, driverId: string, phone: string, source: 'registry' | 'third_party') {
  const { sms, config } = ctx.services;
  const phoneKey = `sms-send:${phone}`;
  await Promise.all([sendsPerMinute(ctx).record(phoneKey), sendsPerHour(ctx).record(phoneKey)]);
  const [minute, hour] = await Promise.all([sendsPerMinute(ctx).status(phoneKey, 1), sendsPerHour(ctx).status(phoneKey, 5)]);
  const wait = Math.max(minute.retryAfterSeconds, hour.retryAfterSeconds);
  if (wait > 0) throw tooManyRequests('SMS_RATE_LIMITED', `验证码发送太频繁，请 ${wait} 秒后再试`, wait);

  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = Date.now();
  const expiresAt = new Date(now + CODE_TTL_MS);
  try {
    await sms.send(phone, 'verification_code', { code, minutes: String(CODE_TTL_MS / 60_000) });
  } catch (err) {
    if (err instanceof SmsApiError && err.code === SMS_CODE.RATE_LIMITED) throw tooManyRequests('SMS_RATE_LIMITED', '验证码发送太频繁，请 1 分钟后再试', 60);
    if (err instanceof SmsApiError || err instanceof UpstreamUnavailableError) throw upstreamUnavailable('短信发送失败，请稍后再试');
    throw err;
  }
  await SmsChallenge.create({ driverId, phone, source, codeHash: hashCode(config.JWT_SECRET, code), createdAt: new Date(now), expiresAt });
  await recordAttempt({ driverId, path: source === 'registry' ? 'sms' : 'third_party', result: 'started' });
  return { sentTo: maskPhone(phone), expiresAt: expiresAt.toISOString() };
}

export async function verifySmsCode(ctx: Context, driverId: string, code: string) {
  const { config, idCipher } = ctx.services;
  const { identity } = await requireFallbackOffered(ctx, driverId);
  const challenge = await SmsChallenge.findOne({ driverId }).sort({ createdAt: -1 }).lean();
  if (!challenge || challenge.expiresAt.getTime() <= Date.now() || (await SmsChallengeUse.exists({ challengeId: challenge._id }))) {
    throw new AppError(410, 'SMS_CODE_EXPIRED', '验证码已失效，请重新获取');
  }
  const guessKey = `sms-guess:${challenge._id}`;
  await guesses(ctx).record(guessKey);
  const { count } = await guesses(ctx).status(guessKey, MAX_GUESSES_PER_CODE);
  if (count > MAX_GUESSES_PER_CODE) throw new AppError(410, 'SMS_CODE_EXPIRED', '验证码输错次数过多，请重新获取');

  if (!sameHash(challenge.codeHash, hashCode(config.JWT_SECRET, code))) {
    await recordAttempt({ driverId, path: 'sms', result: 'failed', code: 'SMS_CODE_WRONG' });
    const left = MAX_GUESSES_PER_CODE - count;
    throw new AppError(400, 'SMS_CODE_WRONG', left > 0 ? `验证码不正确，还可以再试 ${left} 次` : '验证码不正确，请重新获取');
  }
  try {
    await SmsChallengeUse.create({ challengeId: challenge._id, at: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError(410, 'SMS_CODE_EXPIRED', '验证码已使用，请重新获取');
    throw err;
  }
  await markVerified(driverId, identity.idHash, challenge.source === 'third_party' ? 'third_party' : 'sms');
  return verificationStatus(driverId, config, idCipher);
}

/** The SMS path opens only once the face path has been offered its fallbacks. */
export async function requireFallbackOffered(ctx: Context, driverId: string) {
  const { config, idCipher } = ctx.services;
  const [driver, identity] = await Promise.all([Driver.findById(driverId).lean(), DriverIdentity.findOne({ driverId }).lean()]);
  if (!driver || !identity) throw new AppError(400, 'PROFILE_REQUIRED', '请先填写姓名、身份证号和手机号');
  if (driver.verification === 'verified') throw new AppError(409, 'ALREADY_VERIFIED', '您已完成实人认证，无需重复认证');
  const status = await verificationStatus(driverId, config, idCipher);
  if (!status.fallbacks.includes('sms')) throw new AppError(409, 'FALLBACK_NOT_OFFERED', '请先完成人脸核验；多次失败后可改用短信验证');
  return { driver, identity };
}

/** Keyed so a leaked table of hashes cannot be brute-forced offline over the 10^6 codes. */
function hashCode(key: string, code: string): string {
  return createHmac('sha256', key).update(`sms-code:${code}`).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
