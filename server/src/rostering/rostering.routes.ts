import Router from '@koa/router';
import type { Context } from 'koa';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { findBrigade } from '../brigades';
import { audit } from '../platform/audit/audit';
import { contract } from '../platform/contract';
import { notFound, tooManyRequests } from '../platform/errors';
import { body, parseWith, query } from '../platform/validate';
import { currentRoster, saveRoster } from './roster.service';
import { rosterParamsSchema, saveRosterSchema, staffingQuerySchema } from './rostering.schemas';
import { staffingRecommendation } from './staffing.service';
import { hourOf, weekdayOf } from './week-hours';

/** Saves a person may make a minute: editing a roster is a few clicks and a save, not a stream. */
const SAVES_PER_MINUTE = 20;

/** Ops: each brigade's roster (versioned, audited) and the staffing recommendation beside it. */
export function rosteringRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin' });
  router.use(requireRole('ops'));

  const brigadeOf = async (ctx: Context) => {
    const { brigadeCode } = parseWith(rosterParamsSchema, ctx.params);
    if (!(await findBrigade(brigadeCode))) throw notFound('大队不存在');
    return brigadeCode;
  };

  router.get('/rosters/:brigadeCode', contract({ summary: 'ops：一个大队当前的坐席排班（一周 168 小时各几人）', params: rosterParamsSchema }), async (ctx) => {
    ctx.body = (await currentRoster(await brigadeOf(ctx))) satisfies ResponseBody<'GET /api/v1/admin/rosters/:brigadeCode'>;
  });

  router.put('/rosters/:brigadeCode', contract({ summary: 'ops：保存一个大队排班的新版本（基于版本号，防止覆盖他人修改；留审计）', params: rosterParamsSchema, body: saveRosterSchema, errors: [409] }), async (ctx) => {
    const principal = ctx.state.principal;
    const wait = await ctx.services.limits.burst('rosters').take([`roster:${principal.id}`, SAVES_PER_MINUTE]);
    if (wait > 0) throw tooManyRequests('EDIT_RATE_LIMITED', `保存太频繁，请 ${wait} 秒后再试`, wait);
    const brigadeCode = await brigadeOf(ctx);
    const input = body(ctx, saveRosterSchema);
    const username = principal.kind === 'staff' ? principal.username : principal.id;
    const { saved, before } = await saveRoster(brigadeCode, input.dispatchers, input.basedOnRev, username);
    // The hours that changed, not two copies of 168 numbers: what a reader of the log wants to see.
    const changes = input.dispatchers
      .map((to, i) => ({ weekday: weekdayOf(i), hour: hourOf(i), from: before.dispatchers[i] ?? 0, to }))
      .filter((c) => c.from !== c.to);
    await audit({
      actor: { kind: principal.role, id: principal.id, username },
      action: 'roster.save',
      target: { kind: 'roster', id: brigadeCode },
      details: { rev: saved.rev, changes },
    });
    ctx.body = saved satisfies ResponseBody<'PUT /api/v1/admin/rosters/:brigadeCode'>;
  });

  router.get('/staffing', contract({ summary: 'ops：按近几周来电推荐一个大队每小时所需坐席人数', query: staffingQuerySchema }), async (ctx) => {
    const q = query(ctx, staffingQuerySchema);
    const config = ctx.services.config;
    ctx.body = (await staffingRecommendation(q.brigade, {
      weeks: q.weeks ?? config.STAFFING_WEEKS,
      target: q.target ?? config.STAFFING_TARGET,
      withinSeconds: q.withinSeconds ?? config.STAFFING_WITHIN_SECONDS,
      until: ctx.services.clock(),
    })) satisfies ResponseBody<'GET /api/v1/admin/staffing'>;
  });

  return router;
}
