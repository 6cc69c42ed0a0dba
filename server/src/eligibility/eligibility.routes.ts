import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireVerifiedDriver } from '../identity';
import { contract } from '../platform/contract';
import { body } from '../platform/validate';
import { safetyCheckSchema } from './eligibility.schemas';
import { recordSafetyCheck } from './safety-check.service';

/** The driver's first step before a case exists: the safety confirmation (the eligibility check is the case module's: it offers open cases nearby). */
export function eligibilityRoutes(): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.post('/safety-checks', contract({ summary: '驾驶人：报案前确认已开双闪、放警告标志、人员撤离，有效期内方可报案', body: safetyCheckSchema, successStatus: 201 }), requireVerifiedDriver(), async (ctx) => {
    body(ctx, safetyCheckSchema);
    const services = ctx.services;
    ctx.status = 201;
    ctx.body = (await recordSafetyCheck(ctx.state.principal.id, services.clock(), services.config.SAFETY_CHECK_VALID_SECONDS)) satisfies ResponseBody<'POST /api/v1/safety-checks'>;
  });

  return router;
}
