import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { caseHistory, casesOfDriver, objectIdSchema, partyCase } from '../cases';
import { certificatePdf, verifyUrl } from '../certificates';
import { handoffsOfDriver } from '../insurers';
import { AppError } from '../platform/errors';
import { matterSummary } from './matter-view';
import { applyForReview, reviewApplicationSchema } from '../reviews';
import { body } from '../platform/validate';
import { contract } from '../platform/contract';

const caseIdParams = z.object({ id: objectIdSchema });
const verifyUrlOf = (ctx: Context) => (number: string) => verifyUrl(ctx.services.config, number);

/** 网办进度: a driver's matters, and the 认定书 of each once delivered. */
export function matterRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/matters' });

  router.get('/', contract({ summary: '驾驶人：我的网办进度（每起事故的处理进度、认定书、复核、保险发送）' }), requireRole('driver'), async (ctx) => {
    const driverId = ctx.state.principal.id;
    const now = ctx.services.clock();
    const [cases, handoffs] = await Promise.all([casesOfDriver(driverId), handoffsOfDriver(driverId)]);
    const items = await Promise.all(
      cases.map(async (c) => matterSummary(c, driverId, await caseHistory(c._id), now, verifyUrlOf(ctx), handoffs.get(String(c._id)) ?? null)),
    );
    ctx.body = { items } satisfies ResponseBody<'GET /api/v1/matters'>;
  });

  // The PDF for wx.downloadFile + wx.openDocument; only a party of the case gets it (others: 404).
  router.get('/:id/certificate.pdf', contract({ summary: '当事人：下载已送达的道路交通事故认定书 PDF', params: caseIdParams, responseMediaType: 'application/pdf' }), requireRole('driver'), async (ctx) => {
    const { snapshot } = await partyCase(ctx);
    const number = snapshot.decision?.certificateNumber;
    if (!number || !snapshot.deliveredAt) throw new AppError(404, 'CERTIFICATE_NOT_FOUND', '认定书尚未送达');
    const pdf = await certificatePdf(ctx.services, number);
    ctx.type = 'application/pdf';
    ctx.set('Content-Disposition', `inline; filename="certificate-${number}.pdf"; filename*=UTF-8''${encodeURIComponent(`道路交通事故认定书-${number}.pdf`)}`);
    ctx.set('Cache-Control', 'private, no-store');
    ctx.body = pdf;
  });

  // 复核: a party's written application, inside the window (the reviews module decides).
  router.post('/:id/review', contract({ summary: '当事人：在复核期限内对认定书提出书面复核申请', params: caseIdParams, body: reviewApplicationSchema, successStatus: 201, errors: [409] }), requireRole('driver'), async (ctx) => {
    const input = body(ctx, reviewApplicationSchema);
    const { snapshot, party } = await partyCase(ctx);
    const driverId = ctx.state.principal.id;
    const updated = await applyForReview(ctx.services, String(snapshot._id), driverId, party, input);
    ctx.status = 201;
    const handoff = (await handoffsOfDriver(driverId)).get(String(updated._id)) ?? null;
    ctx.body = matterSummary(updated, driverId, await caseHistory(updated._id), ctx.services.clock(), verifyUrlOf(ctx), handoff) satisfies ResponseBody<'POST /api/v1/matters/:id/review'>;
  });

  return router;
}
