import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireVerifiedDriver } from '../identity/require-verified';
import { body } from '../platform/validate';
import { eligibilityRequestSchema, safetyCheckSchema } from './eligibility.schemas';
import { checkEligibility } from './eligibility.service';
import { recordSafetyCheck } from './safety-check.service';

/** The driver's steps before a case exists: the safety confirmation and the eligibility check. */
export function eligibilityRoutes(): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.post('/safety-checks', requireVerifiedDriver(), async (ctx) => {
    body(ctx, safetyCheckSchema);
    const services = ctx.services;
    ctx.status = 201;
    ctx.body = (await recordSafetyCheck(ctx.state.principal.id, services.clock(), services.config.SAFETY_CHECK_VALID_SECONDS)) satisfies ResponseBody<'POST /api/v1/safety-checks'>;
  });

  // Advice for the phone's result screen; POST /cases runs the same rules again and decides.
  router.post('/eligibility/check', requireVerifiedDriver(), async (ctx) => {
    const input = body(ctx, eligibilityRequestSchema);
    const { brigadeCode: _routing, ...result } = await checkEligibility(ctx.services, input.location, input.answers, ctx.state.principal.id);
    ctx.body = result satisfies ResponseBody<'POST /api/v1/eligibility/check'>;
  });

  return router;
}
