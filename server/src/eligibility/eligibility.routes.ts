import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireVerifiedDriver } from '../identity';
import { body } from '../platform/validate';
import { safetyCheckSchema } from './eligibility.schemas';
import { recordSafetyCheck } from './safety-check.service';

/** The driver's first step before a case exists: the safety confirmation (the eligibility check is the case module's: it offers open cases nearby). */
export function eligibilityRoutes(): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.post('/safety-checks', requireVerifiedDriver(), async (ctx) => {
    body(ctx, safetyCheckSchema);
    const services = ctx.services;
    ctx.status = 201;
    ctx.body = (await recordSafetyCheck(ctx.state.principal.id, services.clock(), services.config.SAFETY_CHECK_VALID_SECONDS)) satisfies ResponseBody<'POST /api/v1/safety-checks'>;
  });

  return router;
}
