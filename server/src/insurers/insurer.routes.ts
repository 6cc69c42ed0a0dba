import Router from '@koa/router';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { objectIdSchema, partyCase } from '../cases';
import { contract } from '../platform/contract';
import { body } from '../platform/validate';
import { handOff } from './handoff.service';
import { listInsurers } from './insurer-list';

const handoffSchema = z.object({
  insurerCode: z.string().trim().min(1, '请选择保险公司').max(16, '请选择列表中的保险公司'),
  consent: z.literal(true, { error: '请先阅读并同意将认定书、证据清单和保单信息发送给保险公司' }),
});

/** 发送给保险公司: the list to pick from, and a party's hand-off of their delivered 认定书. */
export function insurerRoutes(): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.get('/insurers', contract({ summary: '驾驶人：可发送认定书的保险公司列表' }), requireRole('driver'), (ctx) => {
    ctx.body = { items: listInsurers() } satisfies ResponseBody<'GET /api/v1/insurers'>;
  });

  // Only a party of the case (others: 404), only once delivered, only with consent.
  router.post(
    '/matters/:id/insurer-handoff',
    contract({ summary: '当事人：认定书送达后，经本人同意把认定书、证据清单和保单信息发送给所选保险公司', params: z.object({ id: objectIdSchema }), body: handoffSchema, errors: [409] }),
    requireRole('driver'),
    async (ctx) => {
    const input = body(ctx, handoffSchema);
    const { snapshot, party } = await partyCase(ctx);
    ctx.body = (await handOff(ctx.services, snapshot, party, ctx.state.principal.id, input.insurerCode)) satisfies ResponseBody<'POST /api/v1/matters/:id/insurer-handoff'>;
    },
  );

  return router;
}
