import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { pingDatabase } from '../platform/database';
import { APP_VERSION } from '../platform/version';

/** /healthz: the process answers (liveness). /readyz: it can do work, i.e. the database answers (readiness). */
export function healthRoutes(): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok', uptimeSeconds: Math.round(process.uptime()), version: APP_VERSION } satisfies ResponseBody<'GET /healthz'>;
  });
  router.get('/readyz', async (ctx) => {
    const up = await pingDatabase();
    ctx.status = up ? 200 : 503;
    ctx.body = { status: up ? 'ready' : 'not_ready', database: up ? 'up' : 'down' } satisfies ResponseBody<'GET /readyz'>;
  });
  return router;
}
