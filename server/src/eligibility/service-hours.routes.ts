import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { findBrigade } from '../brigades';
import { audit } from '../platform/audit/audit';
import { contract } from '../platform/contract';
import { badRequest, tooManyRequests } from '../platform/errors';
import { freeText } from '../platform/free-text';
import { body, parseWith, query } from '../platform/validate';
import { staffDisplayName } from '../staff';
import { holidaysSchema } from './holidays';
import { checkHours } from './hours';
import { activeSuspensions, currentCalendar, lift, saveCalendar, suspend } from './service-calendar.service';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式为 HH:mm');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD');
const calendarSchema = z
  .object({
    basedOnRev: z.number().int().min(0),
    opensAt: hhmm,
    closesAt: hhmm,
    trialStartsOn: date,
    launchOn: date,
    exceptions: z
      .array(z.object({ date, closed: z.boolean(), opensAt: hhmm.optional(), closesAt: hhmm.optional(), reason: freeText(100, { min: 2 }) }))
      .max(400),
    // Optional so that a client which predates holidays keeps them as they are.
    holidays: holidaysSchema.optional(),
  })
  .refine((c) => c.opensAt < c.closesAt, { path: ['closesAt'], message: '结束时间必须晚于开始时间' })
  .refine((c) => c.exceptions.every((e) => e.closed || !e.opensAt || !e.closesAt || e.opensAt < e.closesAt), { path: ['exceptions'], message: '例外日的结束时间必须晚于开始时间' })
  .refine((c) => new Set(c.exceptions.map((e) => e.date)).size === c.exceptions.length, { path: ['exceptions'], message: '同一天只能有一条例外' });
const suspendSchema = z.object({
  brigadeCode: z.string().trim().min(1).max(32).nullable(),
  reason: freeText(100, { min: 2, minMessage: '请写明暂停原因，如 大雾、暴雨、光线不足' }),
  until: z.iso.datetime({ offset: true }).nullable().default(null),
});
const serviceHoursQuerySchema = z.object({ brigade: z.string().max(32).optional() });
const suspensionParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/) });

/**
 * Suspensions or lifts a person may make a minute, each counted apart: fog over a few brigades is a
 * handful of clicks; more is a script or a stuck button filling the audit log.
 */
const SUSPENSION_WRITES_PER_MINUTE = 20;

/** Public: is the service open now (for a brigade)? Ops: the calendar and suspensions, every change audited. */
export function serviceHoursRoutes(): Router {
  const router = new Router();

  router.get('/api/v1/service-hours', contract({ summary: '公开：快处服务现在是否开放（可按大队查），及每日服务时段', query: serviceHoursQuerySchema }), async (ctx) => {
    const { brigade } = query(ctx, serviceHoursQuerySchema);
    const now = ctx.services.clock();
    const [calendar, suspensions] = await Promise.all([currentCalendar(), activeSuspensions(now)]);
    ctx.body = { verdict: checkHours(now, calendar, suspensions, brigade ?? null), opensAt: calendar.opensAt, closesAt: calendar.closesAt };
  });

  const admin = new Router({ prefix: '/api/v1/admin' });
  admin.use(requireRole('ops'));
  const actor = (ctx: { state: { principal: { id: string; role: string } } }) => ({ kind: ctx.state.principal.role, id: ctx.state.principal.id });
  const limit = async (ctx: Context, what: 'suspend' | 'lift', by: string) => {
    const wait = await ctx.services.limits.burst('service-suspensions').take([`${what}:${by}`, SUSPENSION_WRITES_PER_MINUTE]);
    if (wait > 0) throw tooManyRequests('EDIT_RATE_LIMITED', `操作太频繁，请 ${wait} 秒后再试`, wait);
  };

  admin.get('/service-calendar', contract({ summary: 'ops：服务日历（时段、试运行与上线日、例外日、节假日）及正在生效的暂停' }), async (ctx) => {
    const [calendar, active] = await Promise.all([currentCalendar(), activeSuspensions(ctx.services.clock())]);
    // A handful at most are in force at once: one name lookup each is cheap.
    const suspensions = await Promise.all(
      active.map(async (s) => ({
        id: s.id,
        brigadeCode: s.brigadeCode,
        reason: s.reason,
        since: s.since.toISOString(),
        until: s.until ? s.until.toISOString() : null,
        by: { id: s.createdBy, name: await staffDisplayName(s.createdBy) },
      })),
    );
    ctx.body = { calendar, suspensions } satisfies ResponseBody<'GET /api/v1/admin/service-calendar'>;
  });
  admin.put('/service-calendar', contract({ summary: 'ops：保存服务日历的新版本（基于版本号，防止覆盖他人修改；留审计）', body: calendarSchema, errors: [409] }), async (ctx) => {
    const { basedOnRev, ...calendar } = body(ctx, calendarSchema);
    const saved = await saveCalendar(calendar, basedOnRev, ctx.state.principal.id);
    await audit({ actor: actor(ctx), action: 'service_calendar.save', target: { kind: 'service_calendar', id: String(saved.rev) }, details: { calendar } });
    ctx.body = { calendar: saved } satisfies ResponseBody<'PUT /api/v1/admin/service-calendar'>;
  });
  admin.post('/suspensions', contract({ summary: 'ops：暂停全市或某大队的快处服务（如大雾、暴雨；留审计）', body: suspendSchema, successStatus: 201 }), async (ctx) => {
    await limit(ctx, 'suspend', ctx.state.principal.id);
    const input = body(ctx, suspendSchema);
    const now = ctx.services.clock();
    const until = input.until ? new Date(input.until) : null;
    if (until && until <= now) throw badRequest('恢复时间必须晚于现在', [{ path: 'until', message: '恢复时间必须晚于现在' }]);
    // An unknown code would suspend nobody while ops believe a brigade is stopped.
    if (input.brigadeCode && !(await findBrigade(input.brigadeCode))) {
      throw badRequest(`大队 ${input.brigadeCode} 不存在`, [{ path: 'brigadeCode', message: `大队 ${input.brigadeCode} 不存在` }]);
    }
    const id = await suspend({ brigadeCode: input.brigadeCode, reason: input.reason, until }, ctx.state.principal.id, now);
    await audit({ actor: actor(ctx), action: 'service.suspend', target: { kind: 'suspension', id }, details: input });
    ctx.status = 201;
    ctx.body = { id } satisfies ResponseBody<'POST /api/v1/admin/suspensions'>;
  });
  admin.post('/suspensions/:id/lift', contract({ summary: 'ops：解除一项服务暂停（留审计）', params: suspensionParams }), async (ctx) => {
    await limit(ctx, 'lift', ctx.state.principal.id);
    const { id } = parseWith(suspensionParams, ctx.params);
    await lift(id, ctx.state.principal.id);
    await audit({ actor: actor(ctx), action: 'service.lift_suspension', target: { kind: 'suspension', id } });
    ctx.body = { ok: true } satisfies ResponseBody<'POST /api/v1/admin/suspensions/:id/lift'>;
  });

  router.use(admin.routes(), admin.allowedMethods({ throw: true }));
  return router;
}
