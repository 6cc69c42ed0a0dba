import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../platform/paths';
import type { JsonSchema } from './json-schema';

export const ERROR_CODES_SOURCE = join(REPO_ROOT, 'typings/api/errors.ts');

/**
 * The `ErrorCode` union of typings/api/errors.ts as a list, read from that file: a type has no
 * runtime value, and a copy here would drift. The union is one `| 'CODE'` per line with comments
 * between; anything else there and we say nothing rather than something wrong (a plain string).
 * A test holds this reading to the TypeScript compiler's own.
 */
export function readErrorCodes(source: string = ERROR_CODES_SOURCE): string[] | null {
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch {
    return null;
  }
  const union = /export type ErrorCode =([^;]*);/.exec(text)?.[1];
  if (!union) return null;
  const codes: string[] = [];
  for (const raw of union.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('//')) continue;
    const code = /^\|\s*'([A-Z][A-Z0-9_]*)'$/.exec(line)?.[1];
    if (!code) return null;
    codes.push(code);
  }
  return codes.length ? codes : null;
}

/**
 * What the error handler (platform/error-handler.ts) sends for every failure: ApiError of
 * typings/api/errors.ts — `code` and `message` always, `requestId` to quote, and the extras some
 * codes carry.
 */
export function errorBodySchema(codes: string[] | null): JsonSchema {
  return {
    type: 'object',
    description: '所有失败的统一格式：code 供程序判断（稳定），message 给人看（中文）。',
    required: ['code', 'message'],
    properties: {
      code: codes ? { type: 'string', enum: codes } : { type: 'string' },
      message: { type: 'string' },
      requestId: { type: 'string', description: '请求编号，联系客服时请提供' },
      issues: {
        type: 'array',
        description: 'VALIDATION_FAILED 等：逐项指出哪里不对',
        items: {
          type: 'object',
          required: ['path', 'message'],
          properties: {
            path: { type: 'string', description: '出错字段的点分路径，如 vehicles.1.plate；整体出错为空' },
            message: { type: 'string' },
            line: { type: 'integer', minimum: 1, description: '上传文件（如路网图层）中出错的行号' },
          },
        },
      },
      retryAfterSeconds: { type: 'integer', minimum: 0, description: '限流或暂不可用时：多少秒后再试（同 Retry-After 头）' },
      caseId: { type: 'string', description: 'OPEN_CASE_EXISTS：应继续的那起案件' },
      upload: { type: 'object', description: 'UPLOAD_HASH_MISMATCH：服务器拼出的文件及需重传的分片' },
      chunk: {
        type: 'object',
        description: 'CHUNK_CONFLICT：服务器已保存的该分片',
        properties: { index: { type: 'integer' }, sha256: { type: 'string' } },
      },
      featureErrors: { type: 'array', items: { type: 'object' }, description: 'INVALID_ROAD_LAYER：逐条指出被拒绝的道路' },
    },
  };
}

/** The failures any route can answer with, whatever it does. */
export const SHARED_ERROR_STATUSES = [400, 401, 403, 404, 413, 415, 429];

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: '请求有误（VALIDATION_FAILED 附 issues；INVALID_JSON；JSON_TOO_DEEP 等）',
  401: '未登录或登录已失效（UNAUTHENTICATED、TOKEN_EXPIRED、TOKEN_REVOKED 等）',
  403: '无权执行（FORBIDDEN；工作人员写操作缺少 x-console-request 头时 CSRF_REJECTED 等）',
  404: '资源不存在，或不属于当前用户（NOT_FOUND 等）',
  409: '与当前状态冲突（如已被他人处理、版本已变）',
  413: '提交的内容过大（PAYLOAD_TOO_LARGE）',
  415: '不支持的内容类型或编码（UNSUPPORTED_MEDIA_TYPE）',
  422: '请求格式正确但不能照办（见 code）',
  429: '操作太频繁（*_RATE_LIMITED，附 retryAfterSeconds 与 Retry-After 头）',
  502: '依赖的外部服务配置异常（UPSTREAM_MISCONFIGURED）',
  503: '依赖的服务或数据库暂时不可用（UPSTREAM_UNAVAILABLE、DATABASE_UNAVAILABLE 等，附 Retry-After）',
};

export function errorResponse(status: number): JsonSchema {
  const retry = status === 429 || status === 503;
  return {
    description: ERROR_DESCRIPTIONS[status] ?? '失败（见 code）',
    ...(retry ? { headers: { 'Retry-After': { description: '多少秒后再试', schema: { type: 'integer', minimum: 0 } } } } : {}),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
  };
}
