import Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { requireRole } from '../auth';
import { audit } from '../platform/audit/audit';
import { contract } from '../platform/contract';
import { AppError, forbidden } from '../platform/errors';
import { rawBodyError } from '../platform/json-body';
import { parseRoadLayer, ROAD_LAYER_LIMITS } from './road-layer';
import { currentRoadIndex, saveRoadLayer } from './road-layer.service';

/**
 * The upload reads its own raw body: issues carry line numbers of the text as sent, and a layer may
 * exceed MAX_JSON_BODY. app.ts keeps the JSON body parser off this path.
 */
export const ROAD_LAYER_PATH = '/api/v1/admin/road-layer';
/** Matches as the router does (any case, trailing slash), so no variant reaches the JSON parser first. */
export const isRoadLayerPath = (path: string) => path.replace(/\/+$/, '').toLowerCase() === ROAD_LAYER_PATH;
const UPLOAD_TYPES = ['application/geo+json', 'application/json'];

/** Ops: see and replace the excluded-road layer (expressways, 江门大道). Every replacement is audited. */
export function roadLayerRoutes(): Router {
  const router = new Router();
  // On each route rather than router.use(path): the guard then matches exactly what the route matches.
  const ops = requireRole('ops');

  router.get(ROAD_LAYER_PATH, contract({ summary: 'ops：当前不受理快处的道路图层（高速、江门大道等）的概况' }), ops, async (ctx) => {
    ctx.body = (await currentRoadIndex({ bufferM: ctx.services.config.ROAD_BUFFER_M, maxAgeMs: 0 })).summary;
  });

  router.put(
    ROAD_LAYER_PATH,
    contract({
      summary: 'ops：上传 GeoJSON 替换不受理快处的道路图层（留审计）',
      description: '请求体是 GeoJSON 原文（application/geo+json 或 application/json），由路由自行读取并校验，错误带原文行号；不经 JSON 解析器。',
      requestMediaType: 'application/geo+json',
      errors: [409, 413, 415],
    }),
    ops,
    async (ctx) => {
    const principal = ctx.state.principal;
    if (principal.kind !== 'staff') throw forbidden();
    const text = await readText(ctx);
    const parsed = parseRoadLayer(text);
    if (!parsed.ok) throw new AppError(400, 'INVALID_ROAD_LAYER', parsed.message, { issues: parsed.issues, ...(parsed.featureErrors.length ? { featureErrors: parsed.featureErrors } : {}) });

    const { summary, replacedVersion } = await saveRoadLayer(parsed.layer, { text, positionCount: parsed.positionCount, by: { id: principal.id, username: principal.username } }, ctx.services.config.ROAD_BUFFER_M);
    await audit({
      actor: { kind: principal.role, id: principal.id, username: principal.username },
      action: 'road_layer.replace',
      target: { kind: 'road_layer', id: String(summary.version) },
      details: {
        replacedVersion,
        featureCount: summary.featureCount,
        positionCount: parsed.positionCount,
        roadNames: summary.roadNames,
        illustrative: summary.illustrative,
        sizeBytes: Buffer.byteLength(text, 'utf8'),
      },
    });
    ctx.body = summary;
    },
  );

  return router;
}

async function readText(ctx: Context): Promise<string> {
  if (ctx.request.is(UPLOAD_TYPES) === false) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 application/geo+json 或 application/json 上传 GeoJSON 路网文件');
  }
  try {
    return await getRawBody(ctx.req, { length: ctx.get('content-length') || undefined, limit: ROAD_LAYER_LIMITS.maxBytes, encoding: 'utf-8' });
  } catch (err) {
    if ((err as { type?: string }).type === 'entity.too.large') {
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `路网文件过大（最多 ${ROAD_LAYER_LIMITS.maxBytes / 1024 / 1024} MB），请简化线形后上传`);
    }
    throw rawBodyError(err);
  }
}
