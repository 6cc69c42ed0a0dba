// The one error type of the request helper, and the plain-Chinese sentences drivers see.
import type { ApiError, ErrorCode, ValidationIssue } from '../../typings';

/** Failures that never reach the server, named like the server's codes so callers branch on one field. */
export type ClientErrorCode =
  | 'NETWORK_FAILED' // no answer: offline, DNS, TLS, `request:fail timeout`
  | 'BAD_RESPONSE' // an answer that is not our `{ code, message }` JSON (a proxy's HTML page, say)
  | 'WECHAT_LOGIN_FAILED'; // wx.login itself failed on the phone

export type RequestErrorCode = ErrorCode | ClientErrorCode;

/** What a driver at the roadside reads: short, plain, says what to do next. */
export const MESSAGES = {
  network: '网络不太好，请检查网络后重试',
  unavailable: '服务暂时不可用，请稍后重试',
  badResponse: '服务暂时出了点问题，请稍后重试',
  wechatLogin: '微信登录没有成功，请稍后重试',
  unknown: '出了点问题，请稍后重试',
} as const;

/**
 * Every failure of the request helper. `message` is always fit to show as is: the server's own
 * (already Chinese) when it sent one, else one of MESSAGES.
 */
export class ApiRequestError extends Error {
  readonly code: RequestErrorCode;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** VALIDATION_FAILED: which field is wrong and why (Chinese), to show under that field. */
  readonly issues: readonly ValidationIssue[];
  /** OPEN_CASE_EXISTS: the driver's open case, to continue instead. */
  readonly caseId: string | undefined;

  constructor(
    code: RequestErrorCode,
    status: number,
    message: string,
    detail?: Pick<ApiError, 'requestId' | 'retryAfterSeconds' | 'issues' | 'caseId'>,
  ) {
    super(message);
    // Keeps `instanceof ApiRequestError` true if the developer tools downlevel classes to ES5.
    Object.setPrototypeOf(this, ApiRequestError.prototype);
    this.name = 'ApiRequestError';
    this.code = code;
    this.status = status;
    this.requestId = detail?.requestId;
    this.retryAfterSeconds = detail?.retryAfterSeconds;
    this.issues = Array.isArray(detail?.issues) ? detail.issues : [];
    this.caseId = typeof detail?.caseId === 'string' ? detail.caseId : undefined;
  }
}

/** True when `err` is an ApiRequestError with one of `codes`. */
export function hasCode(err: unknown, ...codes: readonly RequestErrorCode[]): err is ApiRequestError {
  return err instanceof ApiRequestError && codes.includes(err.code);
}

/** Anything thrown by our code paths, turned into a sentence for the page. */
export function userMessage(err: unknown): string {
  return err instanceof ApiRequestError ? err.message : MESSAGES.unknown;
}

function isApiError(data: unknown): data is ApiError {
  if (typeof data !== 'object' || data === null) return false;
  const { code, message } = data as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}

/** Builds the error for a non-2xx answer. Trusts the body only when it has the contract's shape. */
export function errorFromResponse(status: number, data: unknown): ApiRequestError {
  if (isApiError(data)) {
    const message = data.message.trim() || (status >= 500 ? MESSAGES.unavailable : MESSAGES.unknown);
    return new ApiRequestError(data.code, status, message, data);
  }
  if (status === 502 || status === 503 || status === 504) {
    return new ApiRequestError('SERVICE_UNAVAILABLE', status, MESSAGES.unavailable);
  }
  return new ApiRequestError('BAD_RESPONSE', status, MESSAGES.badResponse);
}
