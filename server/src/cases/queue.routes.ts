import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth/require-role';
import { Brigade } from '../brigades/brigade.model';
import { Case } from './case.model';

/** The live queue of the signed-in dispatcher's brigade (ops see every brigade's). */
export function queueRoutes(): Router {
  const router = new Router();
  router.get('/api/v1/queue', requireRole('dispatcher', 'officer', 'ops'), async (ctx) => {
    const principal = ctx.state.principal;
    const brigadeCode = principal.kind === 'staff' ? principal.brigadeCode : null;
    const filter = brigadeCode ? { state: 'queued' as const, brigadeCode } : { state: 'queued' as const };
    const [brigade, cases] = await Promise.all([
      brigadeCode ? Brigade.findOne({ code: brigadeCode }).lean() : null,
      Case.find(filter).sort({ createdAt: 1 }).limit(200).lean(),
    ]);
    const now = Date.now();
    ctx.body = {
      brigade: brigade ? { code: brigade.code, name: brigade.name } : null,
      serverTime: new Date(now).toISOString(),
      items: cases.map((c) => ({
        caseId: String(c._id),
        state: c.state,
        createdAt: (c.createdAt as Date).toISOString(),
        waitingSeconds: Math.max(0, Math.round((now - (c.createdAt as Date).getTime()) / 1000)),
        districtName: c.districtName ?? '',
        address: c.address ?? '',
        vehicleCount: c.vehicleCount ?? 0,
      })),
    } satisfies ResponseBody<'GET /api/v1/queue'>;
  });
  return router;
}
