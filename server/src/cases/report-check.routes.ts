import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { checkEligibility, eligibilityRequestSchema } from '../eligibility';
import { requireVerifiedDriver } from '../identity';
import { body } from '../platform/validate';
import { contract } from '../platform/contract';
import { nearbyOpenCases } from './nearby-cases';

/** The check before a report: every eligibility rule, and the open cases nearby (most likely the other party's). */
export function reportCheckRoutes(): Router {
  const router = new Router({ prefix: '/api/v1' });

  // Advice for the phone's result screen; POST /cases runs the same rules again and decides.
  router.post('/eligibility/check', contract({ summary: '已实人认证的驾驶人报案前检查能否视频快处，并列出附近未结束的案件（多为对方已报的）', body: eligibilityRequestSchema }), requireVerifiedDriver(), async (ctx) => {
    const input = body(ctx, eligibilityRequestSchema);
    const { brigadeCode: _routing, ...result } = await checkEligibility(ctx.services, input.location, input.answers);
    const nearby = result.place.brigade ? await nearbyOpenCases(ctx.services, result.place, new Date(result.checkedAt), ctx.state.principal.id) : [];
    ctx.body = { ...result, nearbyOpenCases: nearby } satisfies ResponseBody<'POST /api/v1/eligibility/check'>;
  });

  return router;
}
