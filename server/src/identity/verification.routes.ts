import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { body } from '../platform/validate';
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

  router.get('/', async (ctx) => {
    ctx.body = (await verificationStatus(ctx.state.principal.id, ctx.services.config, ctx.services.idCipher)) satisfies ResponseBody<'GET /api/v1/verification'>;
  });

  router.post('/profile', async (ctx) => {
    await saveProfile(ctx, ctx.state.principal.id, body(ctx, saveProfileSchema));
    ctx.body = (await verificationStatus(ctx.state.principal.id, ctx.services.config, ctx.services.idCipher)) satisfies ResponseBody<'POST /api/v1/verification/profile'>;
  });

  router.post('/face/start', async (ctx) => {
    ctx.body = (await startFaceVerification(ctx, ctx.state.principal.id)) satisfies ResponseBody<'POST /api/v1/verification/face/start'>;
  });

  router.post('/face/complete', async (ctx) => {
    const { verifyId } = body(ctx, faceCompleteSchema);
    ctx.body = (await completeFaceVerification(ctx, ctx.state.principal.id, verifyId)) satisfies ResponseBody<'POST /api/v1/verification/face/complete'>;
  });

  router.post('/sms/send', async (ctx) => {
    ctx.body = (await sendSmsCode(ctx, ctx.state.principal.id, body(ctx, smsSendSchema))) satisfies ResponseBody<'POST /api/v1/verification/sms/send'>;
  });

  router.post('/third-party', async (ctx) => {
    const { authCode } = body(ctx, thirdPartySchema);
    ctx.body = (await sendSmsCodeViaThirdParty(ctx, ctx.state.principal.id, authCode)) satisfies ResponseBody<'POST /api/v1/verification/third-party'>;
  });

  // wx.uploadFile: multipart, form field `side`, file field `file`.
  router.post('/id-photos', async (ctx) => {
    const { fields, file } = await readMultipart(ctx, 'file', ctx.services.config.ID_PHOTO_MAX_BYTES);
    const side = fields.side ?? ctx.query.side;
    if (side !== 'front' && side !== 'back') throw badRequest('请说明是身份证人像面（front）还是国徽面（back）', [{ path: 'side', message: '应为 front 或 back' }]);
    ctx.status = 201;
    ctx.body = (await storeIdPhoto(ctx, ctx.state.principal.id, side, file)) satisfies ResponseBody<'POST /api/v1/verification/id-photos'>;
  });

  router.post('/manual-review', async (ctx) => {
    await submitForReview(ctx, ctx.state.principal.id);
    ctx.body = (await verificationStatus(ctx.state.principal.id, ctx.services.config, ctx.services.idCipher)) satisfies ResponseBody<'POST /api/v1/verification/manual-review'>;
  });

  router.post('/sms/verify', async (ctx) => {
    const { code } = body(ctx, smsVerifySchema);
    ctx.body = (await verifySmsCode(ctx, ctx.state.principal.id, code)) satisfies ResponseBody<'POST /api/v1/verification/sms/verify'>;
  });

  return router;
}
