import Router from '@koa/router';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { audit } from '../platform/audit/audit';
import { body, parseWith } from '../platform/validate';
import { contract } from '../platform/contract';
import { brigadeCodeSchema, createBrigadeSchema, saveBrigadeSchema } from './brigade.schemas';
import { createBrigade, listBrigades, updateBrigade } from './brigade.service';
import { DISTRICTS } from './districts';

/** Ops edit brigades: name, the districts routed to them, duty phone; every change audited. */
export function brigadeAdminRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/admin/brigades' });
  router.use(requireRole('ops'));
  const actor = (id: string) => ({ kind: 'ops', id });

  router.get('/', contract({ summary: '运维查看各大队及其负责的区县、值班电话，以及全市区县列表' }), async (ctx) => {
    const districts = DISTRICTS.map((d) => ({ adcode: d.adcode, name: d.name }));
    ctx.body = { items: await listBrigades(), districts } satisfies ResponseBody<'GET /api/v1/admin/brigades'>;
  });

  router.post('/', contract({ summary: '运维新建一个大队（编码、名称、负责区县、值班电话）', body: createBrigadeSchema, successStatus: 201, errors: [409] }), async (ctx) => {
    const input = body(ctx, createBrigadeSchema);
    const created = await createBrigade(input, ctx.services.pubsub);
    await audit({ actor: actor(ctx.state.principal.id), action: 'brigade.create', target: { kind: 'brigade', id: input.code }, details: input });
    ctx.status = 201;
    ctx.body = created satisfies ResponseBody<'POST /api/v1/admin/brigades'>;
  });

  router.put('/:code', contract({ summary: '运维修改大队的名称、负责区县或值班电话', params: z.object({ code: brigadeCodeSchema }), body: saveBrigadeSchema, errors: [409] }), async (ctx) => {
    const code = parseWith(brigadeCodeSchema, ctx.params.code);
    const input = body(ctx, saveBrigadeSchema);
    const updated = await updateBrigade(code, input, ctx.services.pubsub);
    await audit({ actor: actor(ctx.state.principal.id), action: 'brigade.update', target: { kind: 'brigade', id: code }, details: input });
    ctx.body = updated satisfies ResponseBody<'PUT /api/v1/admin/brigades/:code'>;
  });

  return router;
}
