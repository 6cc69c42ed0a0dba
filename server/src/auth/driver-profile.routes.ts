import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { contract } from '../platform/contract';
import { requireRole } from './require-role';
import { getDriver, toDriverProfile } from '../drivers';

export function driverRoutes(): Router {
  const router = new Router();
  router.get('/api/v1/me', contract({ summary: '我的驾驶人资料（实人认证状态等）' }), requireRole('driver'), async (ctx) => {
    const driver = await getDriver(ctx.state.principal.id);
    ctx.body = toDriverProfile(driver) satisfies ResponseBody<'GET /api/v1/me'>;
  });
  return router;
}
