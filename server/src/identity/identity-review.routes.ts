import Router from '@koa/router';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { freeText } from '../platform/free-text';
import { body, parseWith } from '../platform/validate';
import { decideReview, listPendingReviews, reviewPhoto } from './manual-review';

const decisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    reason: freeText(200).optional(),
  })
  .refine((d) => d.decision === 'approve' || (d.reason && d.reason.length >= 2), { path: ['reason'], message: '驳回时请写明原因，用户会看到' });
const paramsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, '审核单编号不正确'), side: z.enum(['front', 'back']).optional() });

/** Operations staff: the manual identity review queue. Every view of a photo and every decision is audited. */
export function identityReviewRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin/identity-reviews' });
  router.use(requireRole('ops'));

  router.get('/', async (ctx) => {
    ctx.body = { items: await listPendingReviews(ctx) } satisfies ResponseBody<'GET /api/v1/admin/identity-reviews'>;
  });

  router.get('/:id/photos/:side', async (ctx) => {
    const { id, side } = parseWith(paramsSchema, ctx.params);
    const photo = await reviewPhoto(id, side ?? 'front', ctx);
    ctx.set('Cache-Control', 'no-store');
    // Shown, never run: whatever the file holds, no script of it runs as the console's origin.
    ctx.set('Content-Security-Policy', 'sandbox');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = photo.contentType;
    ctx.body = photo.data;
  });

  router.post('/:id/decision', async (ctx) => {
    const { id } = parseWith(paramsSchema, ctx.params);
    const { decision, reason } = body(ctx, decisionSchema);
    ctx.body = (await decideReview(ctx, id, decision, reason ?? null)) satisfies ResponseBody<'POST /api/v1/admin/identity-reviews/:id/decision'>;
  });

  return router;
}
