import Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import type { UploadCompleteRequest, UploadCreateRequest } from '../../../typings/api/call';
import { requireRole } from '../auth';
import { deskCase, partyCase, idempotencyKeySchema, objectIdSchema } from '../cases';
import { contract } from '../platform/contract';
import { AppError, badRequest, notFound } from '../platform/errors';
import { requireMedia, type MediaType } from '../platform/upload/media-check';
import { body, parseWith, query } from '../platform/validate';
import { extensionOf, parseEvidenceId, sha256Hex } from './evidence-chain';
import { chunkIndexSchema, evidenceIdSchema, frameQuerySchema, uploadCompleteSchema, uploadCreateSchema, uploadIdSchema } from './evidence.schemas';
import { caseIdOfEvidence, evidenceContent, fixEvidence, recordOnCase, summaryOf, toEvidenceItem, verifyCaseEvidence } from './evidence.service';
import { completeUpload, createUpload, EVIDENCE_STATES, expectedChunkLength, ownUpload, sessionOf, storeChunk } from './upload.service';

const STAFF = ['dispatcher', 'officer', 'reviewer', 'ops'] as const;
const FRAME_TYPES: readonly MediaType[] = ['image/jpeg', 'image/png'];
const caseIdParams = z.object({ id: objectIdSchema });
const uploadParams = z.object({ uploadId: uploadIdSchema });

/**
 * Evidence: a party's phone sends each photo or video as a resumable, chunked upload (the server says
 * which chunks it holds; every step may be repeated); completing it fixes the file as the case's next
 * tamper-evident item. The dispatcher's page fixes still frames from a party's video the same way, and
 * can have the whole chain re-checked.
 */
export function evidenceRoutes(): Router {
  const router = new Router();
  const driver = requireRole('driver');
  const staff = requireRole(...STAFF);

  router.post(
    '/api/v1/cases/:id/uploads',
    contract({
      summary: '当事人：为一张照片或一段视频开一个可续传的分片上传（同一 uploadKey 重复请求得到同一任务）',
      params: caseIdParams,
      body: uploadCreateSchema,
      successStatus: 201,
      errors: [409, 413],
    }),
    driver,
    async (ctx) => {
    const { snapshot, party } = await partyCase(ctx);
    const input = body(ctx, uploadCreateSchema);
    input satisfies UploadCreateRequest;
    const { session, created } = await createUpload(ctx.services, ctx.state.principal.id, snapshot, party, input);
    ctx.status = created ? 201 : 200;
    ctx.body = session satisfies ResponseBody<'POST /api/v1/cases/:id/uploads'>;
    },
  );

  router.get('/api/v1/uploads/:uploadId', contract({ summary: '当事人：查自己的一个上传任务，服务器已收到哪些分片、是否已固定为证据', params: uploadParams }), driver, async (ctx) => {
    const upload = await ownUpload(ctx.params.uploadId!, ctx.state.principal.id);
    ctx.body = (await sessionOf(ctx.services, upload)) satisfies ResponseBody<'GET /api/v1/uploads/:uploadId'>;
  });

  router.put(
    '/api/v1/uploads/:uploadId/chunks/:index',
    contract({
      summary: '当事人：上传第 index 个分片（原始字节；重发同样内容无妨）',
      description: '请求体是分片的原始字节，长度须正好等于该分片应有的字节数（最后一片为余下部分）。同一分片已收到不同内容时答 409 CHUNK_CONFLICT，保留先收到的一份。',
      params: z.object({ uploadId: uploadIdSchema, index: chunkIndexSchema }),
      requestMediaType: 'application/octet-stream',
      errors: [409, 415],
    }),
    driver,
    async (ctx) => {
    const upload = await ownUpload(ctx.params.uploadId!, ctx.state.principal.id);
    const index = parseWith(chunkIndexSchema, ctx.params.index);
    const expected = expectedChunkLength(upload, index);
    if (ctx.request.type && ctx.request.type !== 'application/octet-stream') {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '分片请以 application/octet-stream 上传');
    }
    const mismatch = (got?: number) =>
      new AppError(400, 'CHUNK_SIZE_MISMATCH', `分片 ${index} 应为 ${expected} 字节${got === undefined ? '' : `，收到 ${got} 字节`}`);
    const data = await readRaw(ctx, expected, () => mismatch());
    if (data.length !== expected) throw mismatch(data.length);
    ctx.body = (await storeChunk(ctx.services, upload, index, data)) satisfies ResponseBody<'PUT /api/v1/uploads/:uploadId/chunks/:index'>;
    },
  );

  router.post('/api/v1/uploads/:uploadId/complete', contract({ summary: '当事人：分片传齐后完成上传，核对哈希并固定为案件的下一条防篡改证据', params: uploadParams, body: uploadCompleteSchema, errors: [409] }), driver, async (ctx) => {
    const upload = await ownUpload(ctx.params.uploadId!, ctx.state.principal.id);
    const claim = body(ctx, uploadCompleteSchema);
    claim satisfies UploadCompleteRequest;
    ctx.body = (await completeUpload(ctx.services, upload, claim)) satisfies ResponseBody<'POST /api/v1/uploads/:uploadId/complete'>;
  });

  router.get(
    '/api/v1/evidence/:evidenceId/content',
    contract({
      summary: '本案当事人或本大队民警：取一条证据的文件（照片、视频可按 Range 分段取）',
      description: '按证据类型答 image/jpeg、image/png、video/mp4 或（录像清单）application/json 附件；带 Range: bytes=… 时答 206，超出范围答 416。',
      params: z.object({ evidenceId: evidenceIdSchema }),
      headers: z.object({ range: z.string().optional() }),
      responseMediaType: 'application/octet-stream',
      errors: [416],
    }),
    requireRole('driver', ...STAFF),
    async (ctx) => {
    const id = parseWith(evidenceIdSchema, ctx.params.evidenceId);
    const caseId = caseIdOfEvidence(id);
    if (!caseId) throw notFound('证据不存在');
    // A party of the case, or staff of its brigade; to anyone else it does not exist.
    if (ctx.state.principal.kind === 'driver') await partyCase(ctx, caseId);
    else await deskCase(ctx, caseId);
    const { item, data } = await evidenceContent(ctx.services, id);
    sendFile(ctx, data, item);
    },
  );

  router.post(
    '/api/v1/desk/cases/:id/frames',
    contract({
      summary: '坐席、民警：从当事人视频截一帧，固定为本案证据',
      description: '请求体是截图的原始字节（image/jpeg、image/png 或 application/octet-stream），须是完整的 JPG 或 PNG。带 Idempotency-Key 时重试得到同一条证据。',
      params: caseIdParams,
      query: frameQuerySchema,
      headers: z.object({ 'idempotency-key': idempotencyKeySchema.optional() }),
      requestMediaType: 'application/octet-stream',
      successStatus: 201,
      errors: [409, 413, 415],
    }),
    staff,
    async (ctx) => {
    const snapshot = await deskCase(ctx);
    const principal = ctx.state.principal;
    const { party } = query(ctx, frameQuerySchema);
    if (!EVIDENCE_STATES.includes(snapshot.state)) throw new AppError(409, 'CASE_NOT_IN_CALL', '案件当前不在通话取证中，不能截图取证');
    if (party && !snapshot.parties.some((p) => p.label === party)) throw badRequest(`本案没有 ${party} 方`, [{ path: 'party', message: '当事方不存在' }]);
    const declared = ctx.request.type;
    if (declared && !FRAME_TYPES.includes(declared as MediaType) && declared !== 'application/octet-stream') {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '截图请以 image/jpeg 或 image/png 上传');
    }
    const max = ctx.services.config.EVIDENCE_FRAME_MAX_BYTES;
    const data = await readRaw(ctx, max, () => new AppError(413, 'PAYLOAD_TOO_LARGE', `截图不能超过 ${Math.round(max / 1024 / 1024)} MB`));
    if (data.length === 0) throw badRequest('截图内容为空');
    // Decoded to the last pixel: only a whole JPG or PNG (the declared one, if declared) is fixed.
    const actual = await requireMedia(data, FRAME_TYPES, FRAME_TYPES.includes(declared as MediaType) ? (declared as MediaType) : undefined);
    // With an Idempotency-Key a retried capture is the same item; without one each post is a new frame.
    const header = ctx.get('idempotency-key');
    const key = header ? parseWith(idempotencyKeySchema, header) : randomUUID();
    const sourceId = `frame-${sha256Hex(`frame|${String(snapshot._id)}|${principal.id}|${key}`).slice(0, 32)}`;
    const role = principal.role === 'officer' ? 'officer' : 'dispatcher';
    const item = await fixEvidence(ctx.services, {
      caseId: String(snapshot._id),
      sourceId,
      kind: 'still_frame',
      party: party ?? null,
      shotRequestId: null,
      mimeType: actual,
      data,
      actor: { kind: role, id: principal.id },
    });
    await recordOnCase(ctx.services, item);
    ctx.status = 201;
    ctx.body = toEvidenceItem(summaryOf(item), String(snapshot._id)) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/frames'>;
    },
  );

  router.get('/api/v1/desk/cases/:id/evidence/verify', contract({ summary: '坐席、民警、复核员、ops：重新核验本案整条证据链（文件哈希与链接）', params: caseIdParams }), staff, async (ctx) => {
    const snapshot = await deskCase(ctx);
    ctx.body = (await verifyCaseEvidence(ctx.services, snapshot)) satisfies ResponseBody<'GET /api/v1/desk/cases/:id/evidence/verify'>;
  });

  return router;
}

/**
 * The raw request body, at most `limit` bytes (app.ts's JSON parser leaves other types alone). Past the
 * limit the rest is drained and the connection closed, so a client is never left hanging mid-send.
 */
async function readRaw(ctx: Context, limit: number, tooLarge: () => AppError): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { length: ctx.get('content-length') || undefined, limit });
  } catch (err) {
    ctx.req.resume();
    ctx.set('Connection', 'close');
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') throw tooLarge();
    // stream.not.readable: the phone was gone before the body was read (dropped off the network).
    if (type === 'request.size.invalid' || type === 'request.aborted' || type === 'stream.not.readable') throw badRequest('上传内容不完整，请重试');
    throw err;
  }
}

/**
 * An evidence file; single byte ranges are served too, so the console can seek in a video. Whatever a
 * file holds, a browser never runs it as a page of ours: `sandbox` gives any document it might become
 * a unique origin with no scripts, `nosniff` keeps the declared type, and what is not a photo or a
 * video (the recording's JSON manifest) is a download rather than something to open.
 */
function sendFile(ctx: Context, data: Buffer, item: { _id: string; mimeType: string; sha256: string }) {
  const { mimeType, sha256 } = item;
  ctx.set('Cache-Control', 'private, max-age=3600');
  ctx.set('ETag', `"${sha256}"`);
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Content-Security-Policy', 'sandbox');
  ctx.set('X-Content-Type-Options', 'nosniff');
  const parsed = parseEvidenceId(item._id);
  const filename = `evidence-${parsed ? `${parsed.caseId}-${String(parsed.seq).padStart(6, '0')}` : 'file'}.${extensionOf(mimeType)}`;
  const viewable = /^(image|video)\//.test(mimeType);
  ctx.set('Content-Disposition', `${viewable ? 'inline' : 'attachment'}; filename="${filename}"`);
  ctx.type = mimeType;
  const range = /^bytes=(\d*)-(\d*)$/.exec(ctx.get('range'));
  if (range && (range[1] || range[2])) {
    const size = data.length;
    let start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    let end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (!range[1]) end = size - 1;
    if (start > end || start >= size) {
      ctx.status = 416;
      ctx.set('Content-Range', `bytes */${size}`);
      ctx.body = '';
      return;
    }
    start = Math.max(0, start);
    ctx.status = 206;
    ctx.set('Content-Range', `bytes ${start}-${end}/${size}`);
    ctx.body = data.subarray(start, end + 1);
    return;
  }
  ctx.body = data;
}
