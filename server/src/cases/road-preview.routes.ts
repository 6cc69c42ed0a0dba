import Router from '@koa/router';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { roadLayerPreview } from '../eligibility';
import { query } from '../platform/validate';
import { contract } from '../platform/contract';
import { recentCasePoints } from './recent-case-points';

const previewQuery = z.object({
  days: z.coerce.number({ error: 'days 必须是天数' }).int('days 必须是整数').min(1, 'days 至少为 1').max(90, 'days 最多为 90').default(7),
});

/**
 * Ops: the road layer on a map — district outlines with their brigades, the excluded roads and their
 * buffer (eligibility's), and where cases were reported lately (ours).
 */
export function roadPreviewRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin' });

  router.get('/road-layer/preview', contract({ summary: '运维在地图上预览道路图层：区县轮廓与所属大队、排除路段及其缓冲区、最近若干天的报案位置', query: previewQuery }), requireRole('ops'), async (ctx) => {
    const { days } = query(ctx, previewQuery);
    const [layers, cases] = await Promise.all([roadLayerPreview(ctx.services.config.ROAD_BUFFER_M), recentCasePoints(ctx.services.clock(), days)]);
    ctx.body = { ...layers, cases } satisfies ResponseBody<'GET /api/v1/admin/road-layer/preview'>;
  });

  return router;
}
