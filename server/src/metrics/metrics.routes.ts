import Router from '@koa/router';
import { contract } from '../platform/contract';
import { metricsAccess } from './metrics-access';
import { refreshCaseGauges } from './case-gauges';
import { refreshJobGauges } from './job-gauges';

/** GET /metrics: Prometheus text exposition of this instance, for the scraper or an ops person. */
export function metricsRoutes(): Router {
  const router = new Router();
  router.get(
    '/metrics',
    contract({
      summary: 'Prometheus metrics of this instance',
      description:
        'Text exposition format 0.0.4. Authorised by `Authorization: Bearer <METRICS_TOKEN>` (the scraper) or an ops staff session. Series and their meaning: docs/METRICS.md.',
      responseMediaType: 'text/plain',
    }),
    metricsAccess(),
    async (ctx) => {
      const { registry } = ctx.services.metrics;
      await Promise.all([refreshCaseGauges(registry, ctx.services.clock(), ctx.services.config.ON_DUTY_WINDOW_SECONDS), refreshJobGauges(registry)]);
      ctx.set('Cache-Control', 'no-store');
      ctx.type = registry.contentType;
      ctx.body = await registry.metrics();
    },
  );
  return router;
}
