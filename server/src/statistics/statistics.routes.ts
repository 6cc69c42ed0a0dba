import Router from '@koa/router';
import type { Context } from 'koa';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { audit } from '../platform/audit/audit';
import { contract } from '../platform/contract';
import { AppError } from '../platform/errors';
import { query } from '../platform/validate';
import { isStatisticsTable, statisticsCsv } from './statistics-csv';
import { statisticsQuerySchema, toRange } from './statistics.schemas';
import { statisticsFor } from './statistics.service';

/** The ops statistics page and one CSV per table of it, over the same filters. */
export function statisticsRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin/statistics' });
  router.use(requireRole('ops'));

  const figures = (ctx: Context) => statisticsFor(toRange(query(ctx, statisticsQuerySchema), ctx.services.clock()), ctx.services);

  router.get('/', contract({ summary: 'ops：统计页的全部数字（按北京时间的日期范围、大队、某一天）', query: statisticsQuerySchema }), async (ctx) => {
    ctx.body = (await figures(ctx)) satisfies ResponseBody<'GET /api/v1/admin/statistics'>;
  });

  router.get('/export/:table.csv', contract({ summary: 'ops：把统计页的一张表导出为 CSV（与页面同样的筛选；留审计）', query: statisticsQuerySchema, responseMediaType: 'text/csv' }), async (ctx) => {
    const table = ctx.params.table ?? '';
    if (!isStatisticsTable(table)) throw new AppError(404, 'STATISTICS_TABLE_UNKNOWN', `没有名为「${table.slice(0, 40)}」的统计表`);
    const stats = await figures(ctx);
    const csv = statisticsCsv(table, stats);
    const principal = ctx.state.principal;
    await audit({
      actor: { kind: principal.role, id: principal.id, username: principal.kind === 'staff' ? principal.username : null },
      action: 'statistics.export',
      target: { kind: 'statistics', id: table },
      details: { from: stats.range.from, to: stats.range.to, brigade: stats.range.brigade?.code ?? null },
    });
    ctx.type = 'text/csv; charset=utf-8';
    // An ASCII name for old clients, the Chinese one as RFC 5987 filename*.
    ctx.set('Content-Disposition', `attachment; filename="${csv.asciiFilename}"; filename*=UTF-8''${encodeURIComponent(csv.filename)}`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = csv.body;
  });
  return router;
}
