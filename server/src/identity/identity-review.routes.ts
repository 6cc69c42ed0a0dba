import Router from '@koa/router';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { freeText } from '../platform/free-text';
import { body, parseWith } from '../platform/validate';
import { contract } from '../platform/contract';
import { decideReview, listPendingReviews, reviewPhoto } from './manual-review';

const decisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    reason: freeText(200).optional(),
  })
  .refine((d) => d.decision === 'approve' || (d.reason && d.reason.length >= 2), { path: ['reason'], message: '驳回时请写明原因，用户会看到' });
const reviewIdSchema = z.string().regex(/^[0-9a-f]{24}$/, '审核单编号不正确');
const sideSchema = z.enum(['front', 'back']);
const paramsSchema = z.object({ id: reviewIdSchema, side: sideSchema.optional() });

/** Operations staff: the manual identity review queue. Every view of a photo and every decision is audited. */
export function identityReviewRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin/identity-reviews' });
  router.use(requireRole('ops'));

  router.get('/', contract({ summary: '运维查看待人工审核的实人认证申请（最早提交的在前）' }), async (ctx) => {
    ctx.body = { items: await listPendingReviews(ctx) } satisfies ResponseBody<'GET /api/v1/admin/identity-reviews'>;
  });

  router.get(
    '/:id/photos/:side',
    contract({
      summary: '运维查看审核单的身份证照片（人像面或国徽面），每次查看都记入审计',
      description: '照片按上传时的格式返回：JPG 或 PNG。',
      params: z.object({ id: reviewIdSchema, side: sideSchema }),
      responseMediaType: 'image/jpeg',
    }),
    async (ctx) => {
    const { id, side } = parseWith(paramsSchema, ctx.params);
    const photo = await reviewPhoto(id, side ?? 'front', ctx);
    ctx.set('Cache-Control', 'no-store');
    // Shown, never run: whatever the file holds, no script of it runs as the console's origin.
    ctx.set('Content-Security-Policy', 'sandbox');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = photo.contentType;
    ctx.body = photo.data;
    },
  );

  router.post('/:id/decision', contract({ summary: '运维对人工审核单作出决定：通过，或写明原因驳回', params: z.object({ id: reviewIdSchema }), body: decisionSchema, errors: [409] }), async (ctx) => {
    const { id } = parseWith(paramsSchema, ctx.params);
    const { decision, reason } = body(ctx, decisionSchema);
    ctx.body = (await decideReview(ctx, id, decision, reason ?? null)) satisfies ResponseBody<'POST /api/v1/admin/identity-reviews/:id/decision'>;
  });

  return router;
}
