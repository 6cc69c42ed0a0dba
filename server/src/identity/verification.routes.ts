import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth/require-role';
import { body } from '../platform/validate';
import { completeFaceVerification, startFaceVerification } from './face-verification';
import { saveProfile } from './profile.service';
import { faceCompleteSchema, saveProfileSchema } from './schemas';
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

  return router;
}
