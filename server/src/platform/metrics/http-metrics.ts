import type { Middleware } from 'koa';
import type { AppMetrics } from './metrics';

// Node's parser accepts a few dozen methods; the API uses these. Anything else is one label, not many.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Counts and times every request by the router's route TEMPLATE (`/api/v1/cases/:id`), never the raw
 * path: a path that matched no route is `unmatched`, so a scanner walking random URLs cannot grow the
 * series without bound. Put it outside the error handler, so the status it reads is the one sent.
 */
export function httpMetrics(metrics: AppMetrics): Middleware {
  return async (ctx, next) => {
    const stop = metrics.httpDuration.startTimer();
    try {
      await next();
    } finally {
      const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
      const route = typeof matched === 'string' ? matched : 'unmatched';
      const method = METHODS.has(ctx.method) ? ctx.method : 'OTHER';
      const status = ctx.status;
      metrics.httpRequests.inc({ method, route, status: String(status) });
      stop({ method, route, status_class: `${Math.floor(status / 100)}xx` });
    }
  };
}
