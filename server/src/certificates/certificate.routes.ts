import Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { AppError, tooManyRequests } from '../platform/errors';
import { rawBodyError } from '../platform/json-body';
import { body } from '../platform/validate';
import { contract } from '../platform/contract';
import { certificateNumberSchema } from './certificate-content';
import { checkContent, checkPdf, verifyNumber } from './certificate.service';
import { notFoundPage, tooManyPage, verifyPage } from './verify-page';

/** A certificate PDF is a few hundred kilobytes; anything far larger is not one of ours. */
const MAX_PDF_BYTES = 5 * 1024 * 1024;
const checkRequestSchema = z.object({ content: z.unknown(), signature: z.string().max(200) });
/** A number of the wrong shape is simply not found (404), as on the page. */
const numberParams = z.object({ number: certificateNumberSchema });

/**
 * The public check, with no login: the page the certificate's QR code opens, its JSON twin, and a
 * check of a presented file or signed content. Each address may ask CERT_VERIFY_MAX_PER_MINUTE times a
 * minute (a brake on walking the number space), counted in this process.
 */
export function certificateRoutes(): Router {
  const router = new Router();
  const wait = (ctx: Context) => ctx.services.limits.burst('certificate-verify').take([`ip:${ctx.ip}`, ctx.services.config.CERT_VERIFY_MAX_PER_MINUTE]);
  const limit = async (ctx: Context) => {
    const seconds = await wait(ctx);
    if (seconds > 0) throw tooManyRequests('VERIFY_RATE_LIMITED', `查询太频繁，请 ${seconds} 秒后再试`, seconds);
  };

  router.get('/api/v1/certificates/:number/verify', contract({ summary: '任何人（无需登录）按编号查验道路交通事故认定书的真伪与状态', params: numberParams }), async (ctx) => {
    await limit(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = (await verifyNumber(ctx.services, ctx.params.number!)) satisfies ResponseBody<'GET /api/v1/certificates/:number/verify'>;
  });

  router.post(
    '/api/v1/certificates/verify',
    contract({
      summary: '任何人（无需登录）查验手中的认定书：提交 PDF 文件，或提交认定书内容和签名',
      description: '以 JSON 提交 { content, signature }；或以 application/pdf（或 application/octet-stream）直接提交认定书 PDF 文件（不超过 5 MB），此时请求体不是 JSON。',
      body: checkRequestSchema,
      errors: [413, 415],
    }),
    async (ctx) => {
    await limit(ctx);
    ctx.set('Cache-Control', 'no-store');
    let result: ResponseBody<'POST /api/v1/certificates/verify'>;
    if (ctx.request.is('application/pdf', 'application/octet-stream')) {
      result = await checkPdf(ctx.services, await readPdf(ctx));
    } else if (ctx.request.is('json', '+json')) {
      const { content, signature } = body(ctx, checkRequestSchema);
      result = await checkContent(ctx.services, content, signature);
    } else {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 application/pdf 提交认定书文件，或以 JSON 提交认定书内容和签名');
    }
    ctx.body = result;
    },
  );

  router.get(
    '/verify/:number',
    contract({
      summary: '认定书二维码打开的查验网页（公开，无需登录）',
      description: '编号不存在时返回 404 的网页，查询过于频繁时返回 429 的网页。',
      params: numberParams,
      responseMediaType: 'text/html',
    }),
    async (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    // Nothing on the page runs or loads: only its own inline style.
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    const seconds = await wait(ctx);
    if (seconds > 0) {
      ctx.status = 429;
      ctx.set('Retry-After', String(seconds));
      ctx.body = tooManyPage(seconds);
      return;
    }
    const number = ctx.params.number!;
    try {
      ctx.body = verifyPage(await verifyNumber(ctx.services, number));
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'CERTIFICATE_NOT_FOUND') throw err;
      ctx.status = 404;
      ctx.body = notFoundPage(number.slice(0, 40));
    }
    },
  );
  return router;
}

async function readPdf(ctx: Context): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { length: ctx.get('content-length') || undefined, limit: MAX_PDF_BYTES });
  } catch (err) {
    ctx.req.resume();
    ctx.set('Connection', 'close');
    throw rawBodyError(err);
  }
}
