import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { type Principal, requireRole } from '../auth';
import { casesAwaitingReview, deskCase, objectIdSchema, type CaseSnapshot } from '../cases';
import { contract } from '../platform/contract';
import { AppError } from '../platform/errors';
import { body } from '../platform/validate';
import { staffDisplayName } from '../staff';
import { reviewAcceptSchema, reviewConclusionSchema } from './review.schemas';
import { acceptReview, concludeReview } from './review.service';
import { pendingReview, reviewView } from './review-view';

const caseIdParams = z.object({ id: objectIdSchema });

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

async function reviewerOf(ctx: Context) {
  const staff = ctx.state.principal as StaffPrincipal;
  return { id: staff.id, name: (await staffDisplayName(staff.id)) ?? staff.username };
}

function viewOf(c: CaseSnapshot, now: Date) {
  if (!c.review) throw new AppError(404, 'NOT_FOUND', '该案件没有复核申请');
  return reviewView(c.review, now);
}

/** The 复核 desk of the city 支队 (role `reviewer`; ops may look): receive, accept or not, conclude. */
export function reviewRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/reviews' });

  router.get('/pending', contract({ summary: '复核员、ops：待受理或待结论的复核申请列表' }), requireRole('reviewer', 'ops'), async (ctx) => {
    const now = ctx.services.clock();
    const staff = ctx.state.principal as StaffPrincipal;
    const cases = (await casesAwaitingReview()).filter((c) => staff.role === 'ops' || !staff.brigadeCode || c.brigadeCode === staff.brigadeCode);
    ctx.body = { items: cases.map((c) => pendingReview(c, now)) } satisfies ResponseBody<'GET /api/v1/reviews/pending'>;
  });

  router.get('/cases/:id', contract({ summary: '复核员、ops：一起案件的复核申请与办理情况', params: caseIdParams }), requireRole('reviewer', 'ops'), async (ctx) => {
    ctx.body = viewOf(await deskCase(ctx), ctx.services.clock()) satisfies ResponseBody<'GET /api/v1/reviews/cases/:id'>;
  });

  router.post('/cases/:id/acceptance', contract({ summary: '复核员：受理或不予受理一份复核申请', params: caseIdParams, body: reviewAcceptSchema, errors: [409] }), requireRole('reviewer'), async (ctx) => {
    const input = body(ctx, reviewAcceptSchema);
    const c = await deskCase(ctx);
    ctx.body = viewOf(await acceptReview(ctx.services, String(c._id), await reviewerOf(ctx), input), ctx.services.clock()) satisfies ResponseBody<'POST /api/v1/reviews/cases/:id/acceptance'>;
  });

  router.post('/cases/:id/conclusion', contract({ summary: '复核员：对已受理的复核作出结论', params: caseIdParams, body: reviewConclusionSchema, errors: [409] }), requireRole('reviewer'), async (ctx) => {
    const input = body(ctx, reviewConclusionSchema);
    const c = await deskCase(ctx);
    ctx.body = viewOf(await concludeReview(ctx.services, String(c._id), await reviewerOf(ctx), input), ctx.services.clock()) satisfies ResponseBody<'POST /api/v1/reviews/cases/:id/conclusion'>;
  });

  return router;
}
