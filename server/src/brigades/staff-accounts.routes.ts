import Router from '@koa/router';
import type { Context } from 'koa';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { audit } from '../platform/audit/audit';
import { body, parseWith } from '../platform/validate';
import { contract } from '../platform/contract';
import { z } from 'zod';
import { brigadeExists } from './brigade.service';
import { badRequest, tooManyRequests } from '../platform/errors';
import { createStaffSchema, updateStaffSchema, createStaff, listStaff, resetStaffPassword, toStaffProfile, updateStaff } from '../staff';

/** Account changes a person may make a minute: a morning's new colleagues, not a script. */
const WRITES_PER_MINUTE = 30;
/** Password resets a person may make a minute: each is a hash and a password handed over by hand. */
const RESETS_PER_MINUTE = 10;

const accountIdSchema = z.string().regex(/^[0-9a-f]{24}$/, '账号编号不正确');
const accountId = (ctx: Context) => parseWith(accountIdSchema, ctx.params.id);
const accountParams = z.object({ id: accountIdSchema });

/** Operations staff manage console accounts. */
export function staffAdminRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin/staff' });
  router.use(requireRole('ops'));
  const limit = async (ctx: Context, ...limits: [key: string, perMinute: number][]) => {
    const wait = await ctx.services.limits.burst('staff-accounts').take(...limits.map(([key, perMinute]): [string, number] => [`${key}:${ctx.state.principal.id}`, perMinute]));
    if (wait > 0) throw tooManyRequests('EDIT_RATE_LIMITED', `操作太频繁，请 ${wait} 秒后再试`, wait);
  };
  const actor = (ctx: Context) => ({ kind: 'ops', id: ctx.state.principal.id });

  router.get('/', contract({ summary: '运维查看全部控制台账号（接警员、民警、审核员、运维）' }), async (ctx) => {
    const staff = await listStaff();
    ctx.body = {
      items: staff.map((s) => ({ ...toStaffProfile(s), disabled: s.disabled, createdAt: (s.createdAt as Date).toISOString() })),
    } satisfies ResponseBody<'GET /api/v1/admin/staff'>;
  });

  router.post('/', contract({ summary: '运维为同事新建控制台账号', body: createStaffSchema, successStatus: 201, errors: [409] }), async (ctx) => {
    await limit(ctx, ['write', WRITES_PER_MINUTE]);
    const input = body(ctx, createStaffSchema);
    await assertBrigadeExists(input.brigadeCode);
    const staff = await createStaff(input, ctx.services.config.PASSWORD_HASH_COST);
    ctx.state.log.info({ staffId: staff.id, role: staff.role, by: ctx.state.principal.id }, 'staff account created');
    await audit({
      actor: actor(ctx),
      action: 'staff.create',
      target: { kind: 'staff', id: staff.id },
      details: { username: input.username, role: input.role, brigadeCode: input.brigadeCode ?? null },
    });
    ctx.status = 201;
    ctx.body = toStaffProfile(staff) satisfies ResponseBody<'POST /api/v1/admin/staff'>;
  });

  router.patch('/:id', contract({ summary: '运维修改控制台账号的姓名、角色、所属大队或停用状态', params: accountParams, body: updateStaffSchema, errors: [409] }), async (ctx) => {
    await limit(ctx, ['write', WRITES_PER_MINUTE]);
    const id = accountId(ctx);
    const input = body(ctx, updateStaffSchema);
    await assertBrigadeExists(input.brigadeCode);
    const { staff, before, after } = await updateStaff(id, input, ctx.state.principal.id);
    // The fields asked for, before and after: the audit log shows them as 「角色：dispatcher → officer」.
    const fields = Object.keys(input) as (keyof typeof before)[];
    const pick = (state: typeof before) => Object.fromEntries(fields.map((k) => [k, state[k]]));
    await audit({ actor: actor(ctx), action: 'staff.update', target: { kind: 'staff', id }, details: { username: staff.username, before: pick(before), after: pick(after) } });
    ctx.body = { ...toStaffProfile(staff), disabled: staff.disabled, createdAt: (staff.createdAt as Date).toISOString() } satisfies ResponseBody<'PATCH /api/v1/admin/staff/:id'>;
  });

  router.post('/:id/password-reset', contract({ summary: '运维重置同事的控制台密码，新密码只在本次响应中出现一次', params: accountParams, errors: [409] }), async (ctx) => {
    await limit(ctx, ['write', WRITES_PER_MINUTE], ['reset', RESETS_PER_MINUTE]);
    const id = accountId(ctx);
    const reset = await resetStaffPassword(id, ctx.state.principal.id, ctx.services.config.PASSWORD_HASH_COST);
    // The password is in the response only: never in a log line or the audit entry.
    ctx.state.log.info({ staffId: id, by: ctx.state.principal.id }, 'staff password reset');
    await audit({ actor: actor(ctx), action: 'staff.password_reset', target: { kind: 'staff', id }, details: { username: reset.username } });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = reset satisfies ResponseBody<'POST /api/v1/admin/staff/:id/password-reset'>;
  });

  return router;
}

async function assertBrigadeExists(code: string | null | undefined): Promise<void> {
  if (code && !(await brigadeExists(code))) throw badRequest(`大队 ${code} 不存在`, [{ path: 'brigadeCode', message: `大队 ${code} 不存在` }]);
}
