import Router from '@koa/router';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { audit } from '../platform/audit/audit';
import { body, parseWith } from '../platform/validate';
import { brigadeCodeSchema, createBrigadeSchema, saveBrigadeSchema } from './brigade.schemas';
import { createBrigade, listBrigades, updateBrigade } from './brigade.service';
import { DISTRICTS } from './districts';

/** Ops edit brigades: name, the districts routed to them, duty phone; every change audited. */
export function brigadeAdminRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin/brigades' });
  router.use(requireRole('ops'));
  const actor = (id: string) => ({ kind: 'ops', id });

  router.get('/', async (ctx) => {
    const districts = DISTRICTS.map((d) => ({ adcode: d.adcode, name: d.name }));
    ctx.body = { items: await listBrigades(), districts } satisfies ResponseBody<'GET /api/v1/admin/brigades'>;
  });

  router.post('/', async (ctx) => {
    const input = body(ctx, createBrigadeSchema);
    const created = await createBrigade(input);
    await audit({ actor: actor(ctx.state.principal.id), action: 'brigade.create', target: { kind: 'brigade', id: input.code }, details: input });
    ctx.status = 201;
    ctx.body = created satisfies ResponseBody<'POST /api/v1/admin/brigades'>;
  });

  router.put('/:code', async (ctx) => {
    const code = parseWith(brigadeCodeSchema, ctx.params.code);
    const input = body(ctx, saveBrigadeSchema);
    const updated = await updateBrigade(code, input);
    await audit({ actor: actor(ctx.state.principal.id), action: 'brigade.update', target: { kind: 'brigade', id: code }, details: input });
    ctx.body = updated satisfies ResponseBody<'PUT /api/v1/admin/brigades/:code'>;
  });

  return router;
}
