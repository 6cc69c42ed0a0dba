import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { body } from '../platform/validate';
import { contract } from '../platform/contract';
import { completeFaceVerification, startFaceVerification } from './face-verification';
import { saveProfile } from './profile.service';
import { faceCompleteSchema, saveProfileSchema, smsSendSchema, smsVerifySchema, thirdPartySchema } from './schemas';
import { sendSmsCode, sendSmsCodeViaThirdParty, verifySmsCode } from './sms-verification';
import { storeIdPhoto, submitForReview } from './manual-review';
import { readMultipart } from '../platform/upload/read-multipart';
import { badRequest } from '../platform/errors';
import { verificationStatus } from './verification-status';

/** 实人认证 for drivers: status, the profile, and the face path. */
export function verificationRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/verification' });
  router.use(requireRole('driver'));

  router.get('/', contract({ summary: '驾驶人查看自己的实人认证状态和可用的认证方式' }), async (ctx) => {
    ctx.body = (await verificationStatus(ctx.state.principal.id, ctx.services.config, ctx.services.idCipher)) satisfies ResponseBody<'GET /api/v1/verification'>;
  });

  router.post('/profile', contract({ summary: '驾驶人填写或修改实名资料（姓名、身份证号、手机号）并同意用户协议', body: saveProfileSchema, errors: [409] }), async (ctx) => {
    await saveProfile(ctx, ctx.state.principal.id, body(ctx, saveProfileSchema));
    ctx.body = (await verificationStatus(ctx.state.principal.id, ctx.services.config, ctx.services.idCipher)) satisfies ResponseBody<'POST /api/v1/verification/profile'>;
  });

  router.post('/face/start', contract({ summary: '驾驶人开始一次人脸核验，取得核验编号', errors: [409, 503] }), async (ctx) => {
    ctx.body = (await startFaceVerification(ctx, ctx.state.principal.id)) satisfies ResponseBody<'POST /api/v1/verification/face/start'>;
  });

  router.post('/face/complete', contract({ summary: '驾驶人提交人脸核验结果，通过即完成实人认证', body: faceCompleteSchema, errors: [409, 410, 503] }), async (ctx) => {
    const { verifyId } = body(ctx, faceCompleteSchema);
    ctx.body = (await completeFaceVerification(ctx, ctx.state.principal.id, verifyId)) satisfies ResponseBody<'POST /api/v1/verification/face/complete'>;
  });

  router.post('/sms/send', contract({ summary: '人脸核验多次失败的驾驶人：向车驾管预留手机号发送短信验证码', body: smsSendSchema, errors: [409, 503] }), async (ctx) => {
    ctx.body = (await sendSmsCode(ctx, ctx.state.principal.id, body(ctx, smsSendSchema))) satisfies ResponseBody<'POST /api/v1/verification/sms/send'>;
  });

  router.post('/third-party', contract({ summary: '驾驶人凭第三方实名授权码核对身份后发送短信验证码', body: thirdPartySchema, errors: [409, 503] }), async (ctx) => {
    const { authCode } = body(ctx, thirdPartySchema);
    ctx.body = (await sendSmsCodeViaThirdParty(ctx, ctx.state.principal.id, authCode)) satisfies ResponseBody<'POST /api/v1/verification/third-party'>;
  });

  // wx.uploadFile: multipart, form field `side`, file field `file`.
  router.post(
    '/id-photos',
    contract({
      summary: '驾驶人上传身份证照片（人像面或国徽面），供人工审核',
      description: 'multipart/form-data：文件字段 `file`（JPG 或 PNG），文本字段 `side`（front 人像面 / back 国徽面，也可放在查询参数 side 中）。',
      requestMediaType: 'multipart/form-data',
      successStatus: 201,
      errors: [409, 413, 415],
    }),
    async (ctx) => {
    const { fields, file } = await readMultipart(ctx, 'file', ctx.services.config.ID_PHOTO_MAX_BYTES);
    const side = fields.side ?? ctx.query.side;
    if (side !== 'front' && side !== 'back') throw badRequest('请说明是身份证人像面（front）还是国徽面（back）', [{ path: 'side', message: '应为 front 或 back' }]);
    ctx.status = 201;
    ctx.body = (await storeIdPhoto(ctx, ctx.state.principal.id, side, file)) satisfies ResponseBody<'POST /api/v1/verification/id-photos'>;
    },
  );

  router.post('/manual-review', contract({ summary: '驾驶人提交已上传的身份证照片，转人工审核', errors: [409] }), async (ctx) => {
    await submitForReview(ctx, ctx.state.principal.id);
    ctx.body = (await verificationStatus(ctx.state.principal.id, ctx.services.config, ctx.services.idCipher)) satisfies ResponseBody<'POST /api/v1/verification/manual-review'>;
  });

  router.post('/sms/verify', contract({ summary: '驾驶人输入短信验证码，通过即完成实人认证', body: smsVerifySchema, errors: [409, 410] }), async (ctx) => {
    const { code } = body(ctx, smsVerifySchema);
    ctx.body = (await verifySmsCode(ctx, ctx.state.principal.id, code)) satisfies ResponseBody<'POST /api/v1/verification/sms/verify'>;
  });

  return router;
}
