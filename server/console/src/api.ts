import type { EndpointKey, RequestBody, ResponseBody } from '../../../typings/api/endpoints';
import type { ApiError, ErrorCode, ValidationIssue } from '../../../typings/api/errors';

/** Codes the client makes up itself, for failures that never reached (or never came back from) the API. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE';

export const NETWORK_ERROR_MESSAGE = '网络连接失败，请检查网络';

/**
 * What every failed call throws: the server's ApiError body plus the HTTP status (0 when the
 * network failed), so views can show `message` as-is and branch on `status`/`code`.
 */
export class ApiRequestError extends Error implements Omit<ApiError, 'code'> {
  override readonly name = 'ApiRequestError';
  readonly code: ErrorCode | ClientErrorCode;
  readonly status: number;
  readonly requestId?: string;
  readonly issues?: ValidationIssue[];
  readonly retryAfterSeconds?: number;
  readonly featureErrors?: ApiError['featureErrors'];

  constructor(
    status: number,
    body: Omit<Partial<ApiError>, 'code' | 'message'> & { code: ErrorCode | ClientErrorCode; message: string },
  ) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    if (body.requestId !== undefined) this.requestId = body.requestId;
    if (body.issues !== undefined) this.issues = body.issues;
    if (body.retryAfterSeconds !== undefined) this.retryAfterSeconds = body.retryAfterSeconds;
    if (body.featureErrors !== undefined) this.featureErrors = body.featureErrors;
  }

  /** The session cookie is missing, expired or revoked: the page must go back to the login form. */
  get isUnauthenticated(): boolean {
    return this.status === 401 && this.code !== 'INVALID_CREDENTIALS';
  }
}

/** Endpoints without a request body take no second argument; the others require one of the right type. */
type BodyArgs<K extends EndpointKey> = [RequestBody<K>] extends [void] ? [] : [body: RequestBody<K>];

/**
 * The typed client: `api('POST /api/v1/staff/login', { username, password })`. Keys, bodies and
 * responses all come from typings/api/endpoints.ts, so a changed contract fails `npm run typecheck`.
 */
export function api<K extends EndpointKey>(key: K, ...args: BodyArgs<K>): Promise<ResponseBody<K>> {
  return request(key, {}, args);
}

/** For keys with `:name` segments: `apiAt('POST /api/v1/admin/identity-reviews/:id/decision', { id }, body)`. */
export function apiAt<K extends EndpointKey>(key: K, params: Record<string, string>, ...args: BodyArgs<K>): Promise<ResponseBody<K>> {
  return request(key, params, args);
}

/**
 * GET with a query string: `apiQuery('GET /api/v1/admin/statistics', { from, to, brigade })`.
 * Empty and undefined values are left out, so "no filter" is simply an absent parameter.
 */
export function apiQuery<K extends EndpointKey>(key: K, query: Record<string, string | undefined>, params: Record<string, string> = {}): Promise<ResponseBody<K>> {
  return request(key, params, [], undefined, query);
}

/** `?a=1&b=2` of the non-empty values ('' when there are none). */
export function queryString(query: Record<string, string | undefined>): string {
  const entries = Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/** Endpoints whose request body is raw bytes (`ArrayBuffer` in the contract), e.g. a still frame. */
type BinaryEndpointKey = { [K in EndpointKey]: RequestBody<K> extends ArrayBuffer ? K : never }[EndpointKey];

/**
 * For raw-body endpoints: `apiBinary('POST /api/v1/desk/cases/:id/frames', { id }, jpegBlob, { party: 'A' })`.
 * The blob's own type (image/jpeg…) is sent as the Content-Type; `query` is appended as ?name=value.
 */
export function apiBinary<K extends BinaryEndpointKey>(
  key: K,
  params: Record<string, string>,
  body: Blob,
  query: Record<string, string> = {},
): Promise<ResponseBody<K>> {
  return request(key, params, [], { body, contentType: body.type || 'application/octet-stream', query });
}

async function request<K extends EndpointKey>(
  key: K,
  params: Record<string, string>,
  args: unknown[],
  raw?: { body: Blob; contentType: string; query: Record<string, string> },
  query?: Record<string, string | undefined>,
): Promise<ResponseBody<K>> {
  const space = key.indexOf(' ');
  const method = key.slice(0, space);
  let path = key.slice(space + 1).replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
  const headers: Record<string, string> = {
    accept: 'application/json',
    // The server's CSRF guard: a cross-site form cannot set a custom header. Sent on every request
    // (not just writes) so no call site can forget it.
    'x-console-request': '1',
  };
  let body: string | Blob | undefined;
  if (query) path += queryString(query);
  if (raw) {
    headers['content-type'] = raw.contentType;
    body = raw.body;
    const query = new URLSearchParams(raw.query).toString();
    if (query) path += `?${query}`;
  } else if (args.length > 0) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(args[0]);
  }

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiRequestError(0, { code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE });
  }

  const parsed = await response.json().catch(() => undefined);
  if (response.ok && parsed !== undefined) return parsed as ResponseBody<K>;
  if (isApiError(parsed)) throw new ApiRequestError(response.status, parsed);
  // A proxy's HTML error page, an empty 502, or a 200 that is not JSON.
  throw new ApiRequestError(response.status, {
    code: 'BAD_RESPONSE',
    message: `服务暂时不可用（HTTP ${response.status}），请稍后再试`,
  });
}

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).code === 'string' &&
    typeof (value as ApiError).message === 'string'
  );
}

/** Any thrown value as something a view can print. */
export function toApiError(err: unknown): ApiRequestError {
  if (err instanceof ApiRequestError) return err;
  return new ApiRequestError(0, { code: 'BAD_RESPONSE', message: '页面出错了，请刷新后重试' });
}
