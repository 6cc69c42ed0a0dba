import type { ApiError, ErrorCode, ValidationIssue } from '../../../typings/api/errors';

/** A failure we mean to report to the caller as `{ code, message }` with this HTTP status. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: Pick<ApiError, 'issues' | 'retryAfterSeconds' | 'caseId' | 'upload' | 'chunk' | 'featureErrors'> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, issues?: ValidationIssue[]) =>
  new AppError(400, 'VALIDATION_FAILED', message, issues ? { issues } : {});
export const unauthenticated = (message = '请先登录') => new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = '没有权限执行此操作') => new AppError(403, 'FORBIDDEN', message);
export const notFound = (message = '请求的资源不存在') => new AppError(404, 'NOT_FOUND', message);
export const conflict = (message: string) => new AppError(409, 'CONFLICT', message);
export const tooManyRequests = (code: ErrorCode, message: string, retryAfterSeconds: number) =>
  new AppError(429, code, message, { retryAfterSeconds });
export const upstreamUnavailable = (message = '相关服务暂时不可用，请稍后再试') =>
  new AppError(503, 'UPSTREAM_UNAVAILABLE', message);
