import type { Middleware } from 'koa';
import { ZodError } from 'zod';
import type { ApiError, ErrorCode } from '../../../typings/api/errors';
import { AppError } from './errors';
import { validationError } from './validate';
import { databaseUnavailable, isDatabaseUnavailable } from './database';

/** Errors raised by Koa itself or its body parser, which carry `status`/`expose` but no code of ours. */
const HTTP_STATUS_CODES: Record<number, [ErrorCode, string]> = {
  400: ['VALIDATION_FAILED', '请求格式不正确'],
  401: ['UNAUTHENTICATED', '请先登录'],
  403: ['FORBIDDEN', '没有权限执行此操作'],
  404: ['NOT_FOUND', '请求的资源不存在'],
  405: ['METHOD_NOT_ALLOWED', '不支持该请求方法'],
  413: ['PAYLOAD_TOO_LARGE', '提交的内容过大'],
  415: ['UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型'],
  422: ['VALIDATION_FAILED', '请求格式不正确'],
};

/**
 * Turns every failure into `{ code, message, requestId }` with a proper status. Only errors we raised
 * on purpose (AppError, validation, Koa's own 4xx) reach the client with their text; anything else is
 * logged with its stack and answered with a plain 500.
 */
export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError(404, 'NOT_FOUND', `没有这个接口：${ctx.method} ${ctx.path}`);
    } catch (raw) {
      const { status, body } = toResponse(raw);
      if (body.code === 'INTERNAL_ERROR') ctx.state.log?.error({ err: raw }, 'unhandled error');
      ctx.status = status;
      ctx.body = { ...body, requestId: ctx.state.requestId } satisfies ApiError;
      if (body.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(body.retryAfterSeconds));
    }
  };
}

function toResponse(raw: unknown): { status: number; body: ApiError } {
  if (raw instanceof AppError) return { status: raw.status, body: { code: raw.code, message: raw.message, ...raw.extra } };
  if (raw instanceof ZodError) return toResponse(validationError(raw));
  // The database down is an outage to wait out, not a fault of this request: 503 with a retry hint.
  if (isDatabaseUnavailable(raw)) return toResponse(databaseUnavailable());
  const err = raw as { status?: unknown; expose?: unknown; type?: unknown };
  // Router's answer to a method nobody serves (TRACE, QUERY, PROPFIND …) on a path we serve: the client's
  // doing, so a 4xx like any other method the resource does not take — a 5xx would page whoever is on call.
  if (err?.status === 501) return { status: 405, body: { code: 'METHOD_NOT_ALLOWED', message: '不支持该请求方法' } };
  if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
    // The JSON body parser reports a malformed body as a SyntaxError with status 400.
    if (raw instanceof SyntaxError && err.status === 400) return { status: 400, body: { code: 'INVALID_JSON', message: '请求内容不是有效的 JSON' } };
    const [code, message] = HTTP_STATUS_CODES[err.status] ?? ['VALIDATION_FAILED', '请求有误'];
    return { status: err.status, body: { code, message } };
  }
  return { status: 500, body: { code: 'INTERNAL_ERROR', message: '服务器开小差了，请稍后再试' } };
}
