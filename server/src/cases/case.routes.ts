import Router from '@koa/router';
import type { Context } from 'koa';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireVerifiedDriver } from '../identity';
import { requireRole } from '../auth';
import { AppError, forbidden, notFound } from '../platform/errors';
import { body, parseWith } from '../platform/validate';
import { contract } from '../platform/contract';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { loadCase, transition, type CaseSnapshot } from './case-revisions';
import { isOpen } from './case.model';
import { OpenCase } from './open-case.model';
import { cancelCaseSchema, createCaseSchema, idempotencyKeySchema, joinCaseSchema, objectIdSchema } from './case.schemas';
import { toDriverCaseView } from './case-view';
import { joinCase } from './case-join.service';
import { touchPresence } from './call-presence';
import { reportCase } from './case-report.service';

const caseIdParams = z.object({ id: objectIdSchema });

/** A driver's own cases: report, join, follow the queue, cancel. */
export function caseRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/cases' });

  router.post(
    '/',
    contract({
      summary: '报案：一位已实人认证的驾驶人报一起事故，进入辖区大队的视频排队',
      body: createCaseSchema,
      headers: z.object({ 'idempotency-key': idempotencyKeySchema.optional() }),
      successStatus: 201,
      errors: [409, 422],
    }),
    requireVerifiedDriver(),
    async (ctx) => {
    const header = ctx.get('idempotency-key');
    // Without a key a retry cannot be recognised; the request still works once.
    const key = header ? parseWith(idempotencyKeySchema, header) : randomUUID();
    const input = body(ctx, createCaseSchema);
    const { snapshot, created } = await reportCase(ctx.services, ctx.state.principal.id, key, input);
    ctx.status = created ? 201 : 200;
    ctx.body = (await toDriverCaseView(ctx.services, snapshot, ctx.state.principal.id)) satisfies ResponseBody<'POST /api/v1/cases'>;
    },
  );

  router.get('/current', contract({ summary: '我当前未结束的案件（没有则为 null）' }), requireRole('driver'), async (ctx) => {
    const open = await OpenCase.findOne({ driverIds: ctx.state.principal.id }, { _id: 1 }).sort({ reportedAt: -1 }).lean();
    // The row may outlive its case by a crash; the case decides (and reading it drops the row).
    const snapshot = open ? await loadCase(open._id) : null;
    const current = snapshot && isOpen(snapshot.state) ? snapshot : null;
    ctx.body = { case: current ? await toDriverCaseView(ctx.services, current, ctx.state.principal.id) : null } satisfies ResponseBody<'GET /api/v1/cases/current'>;
  });

  router.post('/join', contract({ summary: '凭对方手机上的案件码加入同一起事故', body: joinCaseSchema, errors: [409, 422] }), requireVerifiedDriver(), async (ctx) => {
    const snapshot = await joinCase(ctx.services, ctx.state.principal.id, body(ctx, joinCaseSchema));
    ctx.body = (await toDriverCaseView(ctx.services, snapshot, ctx.state.principal.id)) satisfies ResponseBody<'POST /api/v1/cases/join'>;
  });

  router.get('/:id', contract({ summary: '我参与的一起案件（排队位置、状态）', params: caseIdParams }), requireRole('driver'), async (ctx) => {
    const snapshot = await ownCase(ctx);
    // A waiting phone is a party still at the scene (the sweeper parks queues nobody watches).
    const me = snapshot.parties.find((p) => String(p.driverId) === ctx.state.principal.id);
    if (me && snapshot.state === 'queued') await touchPresence(String(snapshot._id), me.label, ctx.services.clock());
    ctx.body = (await toDriverCaseView(ctx.services, snapshot, ctx.state.principal.id)) satisfies ResponseBody<'GET /api/v1/cases/:id'>;
  });

  router.post('/:id/cancel', contract({ summary: '报案人在接听前取消报案', params: caseIdParams, body: cancelCaseSchema, errors: [409] }), requireRole('driver'), async (ctx) => {
    const snapshot = await ownCase(ctx);
    const { reason } = body(ctx, cancelCaseSchema);
    if (String(snapshot.initiatorId) !== ctx.state.principal.id) throw forbidden('只有报案人可以取消报案');
    if (snapshot.state === 'cancelled') {
      ctx.body = await toDriverCaseView(ctx.services, snapshot, ctx.state.principal.id);
      return;
    }
    if (snapshot.state !== 'queued') throw new AppError(409, 'CONFLICT', '交警已接听，不能取消；如需结束请在通话中告知民警');
    const cancelled = await transition(snapshot._id, 'cancel', { kind: 'driver', id: ctx.state.principal.id }, { reason: reason ?? '报案人取消', services: ctx.services });
    ctx.body = (await toDriverCaseView(ctx.services, cancelled, ctx.state.principal.id)) satisfies ResponseBody<'POST /api/v1/cases/:id/cancel'>;
  });

  return router;
}

/** A case the signed-in driver is a party to; anyone else's case does not exist for them. */
async function ownCase(ctx: Context): Promise<CaseSnapshot> {
  const id = parseWith(objectIdSchema, ctx.params.id);
  // One read, the party checked on it (a separate exists() read was a second round trip on every poll).
  const snapshot = await loadCase(id);
  if (!snapshot.parties.some((p) => String(p.driverId) === ctx.state.principal.id)) throw notFound('案件不存在');
  return snapshot;
}
