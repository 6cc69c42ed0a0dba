import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole, type Principal, openStaffStream } from '../auth';
import { markSeen } from '../staff';
import { contract } from '../platform/contract';
import { queueTopic } from './case-notifications';
import { brigadeQueue } from './queue.service';
import { forgetDesk } from './desk-reads';
import { queueArea } from './queue-area';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

/** The live queue of the signed-in dispatcher's brigade (ops see every brigade's): a snapshot and a stream. */
export function queueRoutes(): Router {
  const router = new Router();
  const staffOnly = requireRole('dispatcher', 'officer', 'ops');

  router.get('/api/v1/queue', contract({ summary: '接警员查看本大队的实时排队（运维看全部大队）' }), staffOnly, async (ctx) => {
    const principal = ctx.state.principal as StaffPrincipal;
    // Newly on duty: the brigade's on-duty list (and its wait estimates) as read before is out of date.
    if (await markSeen(principal, ctx.services.clock())) forgetDesk(principal.brigadeCode, 'people');
    ctx.body = (await brigadeQueue(ctx.services, principal.brigadeCode)) satisfies ResponseBody<'GET /api/v1/queue'>;
  });

  // The map's outline: the same for a whole shift, so the browser keeps it (private: it is per brigade).
  router.get('/api/v1/queue/area', contract({ summary: '接警员排队地图的辖区轮廓（GeoJSON，按大队，可缓存一小时）' }), staffOnly, async (ctx) => {
    const principal = ctx.state.principal as StaffPrincipal;
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.body = (await queueArea(principal.brigadeCode)) satisfies ResponseBody<'GET /api/v1/queue/area'>;
  });

  // Server-sent events: the whole queue on connect and again after every change to it; each
  // heartbeat renews the dispatcher's on-duty mark (the wait estimate counts it).
  router.get('/api/v1/queue/stream', contract({ summary: '接警员订阅本大队排队的实时变化（SSE：连接时和每次变化后推送整个队列，附心跳）', responseMediaType: 'text/event-stream' }), staffOnly, async (ctx) => {
    const principal = ctx.state.principal as StaffPrincipal;
    const services = ctx.services;
    openStaffStream(ctx, {
      topic: queueTopic(principal.brigadeCode),
      event: 'queue',
      snapshot: () => brigadeQueue(services, principal.brigadeCode),
      markPresent: async () => {
        if (await markSeen(principal, services.clock())) forgetDesk(principal.brigadeCode, 'people');
      },
      refreshFailed: '队列刷新失败，稍后自动重试',
    });
  });

  return router;
}
