import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { FaceCompleteResponse, FaceStartResponse } from '../../../typings/api/verification';
import { UpstreamUnavailableError } from '../clients/http/fetch-json';
import { WechatApiError } from '../clients/wechat/wechat-error';
import { Driver } from '../drivers';
import { AppError, upstreamUnavailable } from '../platform/errors';
import { certHash } from './cert-hash';
import { FaceResult, FaceSession } from './face-session.model';
import { FACE_PASS, faceOutcome } from './face-outcomes';
import { DriverIdentity } from './identity.model';
import { markVerified } from './mark-verified';
import { recordAttempt } from './verification-attempt.model';
import { verificationStatus } from './verification-status';
import { isDuplicateKey } from '../platform/database';

/**
 * WeChat face verification 2.0. The server asks WeChat for a verify_id bound to this openid, name and
 * ID number; the phone runs wx.requestFacialVerify with it; then the server — never the phone — asks
 * WeChat for the result, with the cert_hash of the identity it holds.
 */
export async function startFaceVerification(ctx: Context, driverId: string): Promise<FaceStartResponse> {
  const { wechat, idCipher, config } = ctx.services;
  const { driver, identity } = await driverWithIdentity(driverId);
  const outSeqNo = `qh_${randomBytes(12).toString('hex')}`;
  const body = await callWechat(ctx, () =>
    wechat.postWithToken<{ errcode?: number; verify_id?: string; expires_in?: number }>('getverifyid', '/cityservice/face/identify/getverifyid', {
      out_seq_no: outSeqNo,
      cert_info: { cert_type: 'IDENTITY_CARD', cert_name: identity.name, cert_no: idCipher.open(identity.idNumberSealed) },
      openid: driver.openid,
    }),
  );
  if (!body.verify_id) throw upstreamUnavailable('人脸核验服务暂时不可用，请稍后再试');
  const now = Date.now();
  const ttl = Math.min(config.FACE_SESSION_TTL_SECONDS, body.expires_in ?? 3600);
  const expiresAt = new Date(now + ttl * 1000);
  await FaceSession.create({ driverId, verifyId: body.verify_id, outSeqNo, idHash: identity.idHash, createdAt: new Date(now), expiresAt });
  await recordAttempt({ driverId, path: 'face', result: 'started' });
  return { verifyId: body.verify_id, expiresAt: expiresAt.toISOString() };
}

export async function completeFaceVerification(ctx: Context, driverId: string, verifyId: string): Promise<FaceCompleteResponse> {
  const { wechat, idCipher, config } = ctx.services;
  const session = await FaceSession.findOne({ verifyId }).lean();
  // Someone else's verify_id is answered exactly like an unknown one.
  if (!session || String(session.driverId) !== driverId) {
    await recordAttempt({ driverId, path: 'face', result: 'refused', code: 'FACE_SESSION_NOT_FOUND' });
    throw new AppError(404, 'FACE_SESSION_NOT_FOUND', '找不到这次人脸核验，请重新开始');
  }
  if (session.expiresAt.getTime() <= Date.now()) {
    await recordAttempt({ driverId, path: 'face', result: 'refused', code: 'FACE_SESSION_EXPIRED' });
    throw new AppError(410, 'FACE_SESSION_EXPIRED', '这次人脸核验已过期，请重新开始');
  }
  const { driver, identity } = await driverWithIdentity(driverId);
  // The identity changed since the session started: the result would be about someone else.
  if (identity.idHash !== session.idHash) throw new AppError(409, 'FACE_SESSION_EXPIRED', '认证信息已修改，请重新开始人脸核验');

  const body = await callWechat(ctx, () =>
    wechat.postWithToken<{ errcode?: number; verify_ret?: number }>('queryverifyinfo', '/cityservice/face/identify/queryverifyinfo', {
      verify_id: verifyId,
      out_seq_no: session.outSeqNo,
      cert_hash: certHash(identity.name, idCipher.open(identity.idNumberSealed)),
      openid: driver.openid,
    }),
  );
  const verifyRet = body.verify_ret ?? -1;
  try {
    await FaceResult.create({ verifyId, driverId, verifyRet, at: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError(409, 'FACE_SESSION_USED', '这次人脸核验的结果已经提交过了');
    throw err;
  }

  if (verifyRet === FACE_PASS) {
    await markVerified(driverId, identity.idHash, 'face');
    return { passed: true, failure: null, message: '实人认证已通过', verification: await verificationStatus(driverId, config, idCipher) };
  }
  const outcome = faceOutcome(verifyRet);
  await recordAttempt({
    driverId,
    path: 'face',
    result: outcome.countsAsFailure ? 'failed' : 'refused',
    code: outcome.kind,
    reason: `verify_ret ${verifyRet}`,
  });
  const verification = await verificationStatus(driverId, config, idCipher);
  const offer = verification.fallbacks.length > 0 ? '。也可以改用短信验证或上传身份证照片人工审核' : '';
  return { passed: false, failure: outcome.kind, message: outcome.message + offer, verification };
}

async function driverWithIdentity(driverId: string) {
  const [driver, identity] = await Promise.all([Driver.findById(driverId).lean(), DriverIdentity.findOne({ driverId }).lean()]);
  if (!driver || !identity) throw new AppError(400, 'PROFILE_REQUIRED', '请先填写姓名、身份证号和手机号');
  if (driver.verification === 'verified') throw new AppError(409, 'ALREADY_VERIFIED', '您已完成实人认证，无需重复认证');
  return { driver, identity };
}

async function callWechat<T>(ctx: Context, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof UpstreamUnavailableError || err instanceof WechatApiError) {
      ctx.state.log.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'wechat face api failed');
      throw upstreamUnavailable('人脸核验服务暂时不可用，请稍后再试');
    }
    throw err;
  }
}
