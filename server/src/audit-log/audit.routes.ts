import Router from '@koa/router';
import { DateTime } from 'luxon';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { verifyCaseEvents } from '../cases';
import { contract } from '../platform/contract';
import { parseWith } from '../platform/validate';
import { z } from 'zod';
import { audit, verifyAuditChain } from '../platform/audit/audit';
import { auditCsv } from './audit-export';
import { auditQuerySchema, EXPORT_LIMIT, PAGE_LIMIT, parseAuditQuery } from './audit-query';
import { searchPage } from './audit-search';
import { lookUpStaff, toAuditView, type StaffDirectory } from './audit-view';

const caseIdParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i, '案件编号格式不正确') });

/** The audit log for ops: search it, export it, and ask whether the chain still holds. */
export function auditRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin/audit' });
  router.use(requireRole('ops'));

  router.get('/', contract({ summary: 'ops：按人、案件、操作与北京时间的日期查审计日志（按 before 翻页）', query: auditQuerySchema }), async (ctx) => {
    const { filter, before, limit } = await parseAuditQuery(ctx.query, PAGE_LIMIT);
    const page = await searchPage(filter, before, limit);
    const directory: StaffDirectory = new Map();
    await lookUpStaff(page.items, directory);
    ctx.body = { items: page.items.map((item) => toAuditView(item, directory)), nextBefore: page.nextBefore } satisfies ResponseBody<'GET /api/v1/admin/audit'>;
  });

  // Filters are checked before the first byte goes out: a bad one is a 400, not a broken file.
  router.get('/export.csv', contract({ summary: 'ops：按同样的筛选导出审计日志 CSV（导出本身也留审计）', query: auditQuerySchema, responseMediaType: 'text/csv' }), async (ctx) => {
    const { asked, filter, limit } = await parseAuditQuery(ctx.query, { default: EXPORT_LIMIT, max: EXPORT_LIMIT });
    // Taking the log out is itself a staff action: who exported which records.
    const staff = ctx.state.principal;
    await audit({ actor: { kind: staff.role, id: staff.id, username: staff.kind === 'staff' ? staff.username : null }, action: 'audit.export', target: { kind: 'audit_log', id: 'export' }, details: asked });
    const name = `审计日志-${DateTime.now().setZone('Asia/Shanghai').toFormat('yyyyMMdd-HHmm')}.csv`;
    ctx.set('Content-Disposition', `attachment; filename="audit.csv"; filename*=UTF-8''${encodeURIComponent(name)}`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = auditCsv(filter, limit, ctx.state.log);
  });

  router.get('/verify', contract({ summary: 'ops：校验审计日志的哈希链是否完好' }), async (ctx) => {
    ctx.body = (await verifyAuditChain()) satisfies ResponseBody<'GET /api/v1/admin/audit/verify'>;
  });
  // A case's state changes are their own chain (cases/case-event-chain.ts); npm run audit:verify walks all of them.
  router.get('/cases/:id/verify', contract({ summary: 'ops：校验一起案件状态变更的哈希链', params: caseIdParams }), async (ctx) => {
    const { id } = parseWith(caseIdParams, ctx.params);
    ctx.body = (await verifyCaseEvents(id)) satisfies ResponseBody<'GET /api/v1/admin/audit/cases/:id/verify'>;
  });
  return router;
}
