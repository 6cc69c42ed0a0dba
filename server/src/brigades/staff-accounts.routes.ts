import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { audit } from '../platform/audit/audit';
import { body, parseWith } from '../platform/validate';
import { z } from 'zod';
import { brigadeExists } from './brigade.service';
import { badRequest } from '../platform/errors';
import { createStaffSchema, updateStaffSchema, createStaff, listStaff, toStaffProfile, updateStaff } from '../staff';

/** Operations staff manage console accounts. */
export function staffAdminRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin/staff' });
  router.use(requireRole('ops'));

  router.get('/', async (ctx) => {
    const staff = await listStaff();
    ctx.body = {
      items: staff.map((s) => ({ ...toStaffProfile(s), disabled: s.disabled, createdAt: (s.createdAt as Date).toISOString() })),
    } satisfies ResponseBody<'GET /api/v1/admin/staff'>;
  });

  router.post('/', async (ctx) => {
    const input = body(ctx, createStaffSchema);
    await assertBrigadeExists(input.brigadeCode);
    const staff = await createStaff(input, ctx.services.config.PASSWORD_HASH_COST);
    ctx.state.log.info({ staffId: staff.id, role: staff.role, by: ctx.state.principal.id }, 'staff account created');
    await audit({
      actor: { kind: 'ops', id: ctx.state.principal.id },
      action: 'staff.create',
      target: { kind: 'staff', id: staff.id },
      details: { username: input.username, role: input.role, brigadeCode: input.brigadeCode ?? null },
    });
    ctx.status = 201;
    ctx.body = toStaffProfile(staff) satisfies ResponseBody<'POST /api/v1/admin/staff'>;
  });

  router.patch('/:id', async (ctx) => {
    const id = parseWith(z.string().regex(/^[0-9a-f]{24}$/, '账号编号不正确'), ctx.params.id);
    const input = body(ctx, updateStaffSchema);
    await assertBrigadeExists(input.brigadeCode);
    const staff = await updateStaff(id, input);
    await audit({ actor: { kind: 'ops', id: ctx.state.principal.id }, action: 'staff.update', target: { kind: 'staff', id }, details: input });
    ctx.body = { ...toStaffProfile(staff), disabled: staff.disabled, createdAt: (staff.createdAt as Date).toISOString() } satisfies ResponseBody<'PATCH /api/v1/admin/staff/:id'>;
  });

  return router;
}

async function assertBrigadeExists(code: string | null | undefined): Promise<void> {
  if (code && !(await brigadeExists(code))) throw badRequest(`大队 ${code} 不存在`, [{ path: 'brigadeCode', message: `大队 ${code} 不存在` }]);
}
