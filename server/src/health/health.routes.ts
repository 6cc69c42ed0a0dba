import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { pingDatabase } from '../platform/database';
import { APP_VERSION } from '../platform/version';

/** /healthz: the process answers (liveness). /readyz: it can do work — the database answers and it is not stopping (readiness). */
export function healthRoutes(): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok', uptimeSeconds: Math.round(process.uptime()), version: APP_VERSION } satisfies ResponseBody<'GET /healthz'>;
  });
  router.get('/readyz', async (ctx) => {
    const up = await pingDatabase();
    // A stopping instance is not ready whatever its database says: the load balancer should stop sending.
    const draining = ctx.services.drain.draining;
    ctx.status = up && !draining ? 200 : 503;
    ctx.body = { status: draining ? 'draining' : up ? 'ready' : 'not_ready', database: up ? 'up' : 'down' } satisfies ResponseBody<'GET /readyz'>;
  });
  return router;
}
