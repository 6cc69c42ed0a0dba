import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { contract } from '../platform/contract';
import { pingDatabase } from '../platform/database';
import { APP_VERSION } from '../platform/version';

/** /healthz: the process answers (liveness). /readyz: it can do work — the database answers and it is not stopping (readiness). */
export function healthRoutes(): Router {
  const router = new Router();
  router.get('/healthz', contract({ summary: '存活检查：进程在应答（负载均衡探活用）' }), (ctx) => {
    ctx.body = { status: 'ok', uptimeSeconds: Math.round(process.uptime()), version: APP_VERSION } satisfies ResponseBody<'GET /healthz'>;
  });
  router.get('/readyz', contract({ summary: '就绪检查：能干活时 200；数据库不通或正在停机时 503（body 同形，status 说明原因）' }), async (ctx) => {
    const up = await pingDatabase();
    // A stopping instance is not ready whatever its database says: the load balancer should stop sending.
    const draining = ctx.services.drain.draining;
    ctx.status = up && !draining ? 200 : 503;
    ctx.body = { status: draining ? 'draining' : up ? 'ready' : 'not_ready', database: up ? 'up' : 'down' } satisfies ResponseBody<'GET /readyz'>;
  });
  return router;
}
