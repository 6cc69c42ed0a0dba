import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth/require-role';
import { audit } from '../platform/audit/audit';
import { body } from '../platform/validate';
import { createStaffSchema } from './staff.schemas';
import { createStaff, listStaff, toStaffProfile } from './staff.service';

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

  return router;
}
