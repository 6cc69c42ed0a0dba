import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { verifyAuditChain } from '../platform/audit/audit';

/** The audit log for ops: does the chain still hold (every entry unaltered, none missing)? */
export function auditRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin/audit' });
  router.get('/verify', requireRole('ops'), async (ctx) => {
    ctx.body = (await verifyAuditChain()) satisfies ResponseBody<'GET /api/v1/admin/audit/verify'>;
  });
  return router;
}
