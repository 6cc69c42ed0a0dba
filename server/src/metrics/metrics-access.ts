import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { requireRole } from '../auth';
import { withSecurity } from '../platform/contract';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Who may read /metrics: the scraper with the bearer METRICS_TOKEN, or an ops session (a person
 * looking). Anyone else gets the ordinary 401 / 403 of requireRole — a wrong bearer is read as a
 * driver token and refused as one. Without METRICS_TOKEN set, only ops sessions get in.
 */
export function metricsAccess(): Middleware {
  const ops = requireRole('ops');
  const guard: Middleware = async (ctx, next) => {
    if (hasScrapeToken(ctx)) {
      await next();
      return;
    }
    await ops(ctx, next);
  };
  return withSecurity(guard, { roles: ['ops'] });
}

function hasScrapeToken(ctx: Context): boolean {
  const expected = ctx.services.config.METRICS_TOKEN;
  const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
  // Compared as digests: equal lengths, and the time taken says nothing about the token.
  return Boolean(expected && bearer && timingSafeEqual(digest(bearer), digest(expected)));
}
