import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { tooManyRequests } from '../platform/errors';
import { contract } from '../platform/contract';
import { body } from '../platform/validate';
import { probeSchema } from './eligibility.schemas';
import { probeEligibility } from './probe.service';

/** Each probe asks the reverse geocoder, whose daily quota the drivers' checks need: a brake on a runaway script, not on a person clicking. */
export const PROBES_PER_MINUTE = 60;

/** Ops: "would a report here be accepted, and which brigade gets it?" for a point on the map. */
export function eligibilityProbeRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin' });

  router.post('/eligibility/probe', contract({ summary: 'ops：在地图上点一处，查此处能否快处报案、归哪个大队', body: probeSchema }), requireRole('ops'), async (ctx) => {
    const input = body(ctx, probeSchema);
    const wait = await ctx.services.limits.burst('eligibility-probe').take([`staff:${ctx.state.principal.id}`, PROBES_PER_MINUTE]);
    if (wait > 0) throw tooManyRequests('PROBE_RATE_LIMITED', `查询过于频繁，请 ${wait} 秒后再试`, wait);
    ctx.body = (await probeEligibility(ctx.services, input)) satisfies ResponseBody<'POST /api/v1/admin/eligibility/probe'>;
  });

  return router;
}
