/**
 * The typed API client for pages: `api('GET /api/v1/me')`, `api('POST /api/v1/auth/wechat-login', { code })`.
 * The key picks method, path, body type and response type from typings/api/endpoints.ts.
 * Keys with `:name` segments, and writes whose Idempotency-Key the page keeps itself (so that the
 * driver's own 重试 repeats the same logical write), go through `apiWith(key, options, body)`.
 *
 * On top of http.ts (transient retries, idempotency, error mapping) it adds the session: attaches
 * the access token and, when the server answers 401 TOKEN_EXPIRED (or TOKEN_REVOKED, UNAUTHENTICATED), renews the
 * session once — refresh, else a new wx.login — and repeats the call with the same Idempotency-Key.
 */
import type { EndpointKey, RequestBody, ResponseBody } from '../../typings';
import { ApiRequestError } from './errors';
import { type SendOptions, isWrite, send, splitKey } from './http';
import { newIdempotencyKey } from './id';
import { ensureLogin, renewSession } from './session';

export { ApiRequestError } from './errors';

/** Endpoints called without a session (they are how one gets a session, or are for everybody). */
const PUBLIC_ENDPOINTS: ReadonlySet<EndpointKey> = new Set<EndpointKey>([
  'GET /healthz',
  'GET /readyz',
  'POST /api/v1/auth/wechat-login',
  'POST /api/v1/auth/refresh',
  // Public: the home page shows a suspension before anybody has logged in.
  'GET /api/v1/service-hours',
]);

/** Body-less endpoints take no second argument; the others require one of the right type. */
export type ApiArgs<K extends EndpointKey> = RequestBody<K> extends void ? [] : [body: RequestBody<K>];

/** The `:name` segments of a key: `'POST /api/v1/cases/:id/cancel'` → `'id'`. */
type ParamNames<S extends string> = S extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : S extends `${string}:${infer Name}`
    ? Name
    : never;

type HasParams<K extends EndpointKey> = [ParamNames<K>] extends [never] ? false : true;

/** Keys without path parameters: the ones `api()` takes (the others need their values, see `apiWith`). */
export type PlainKey = { [K in EndpointKey]: HasParams<K> extends true ? never : K }[EndpointKey];

export type ApiOptions<K extends EndpointKey> = {
  /**
   * For a write: the key to send instead of a fresh one. Keep it while the driver retries the
   * same submission, so a retry after a lost answer is answered from the server's record.
   */
  idempotencyKey?: string;
  /** Query string values, e.g. the long poll's `{ since: rev }`. */
  query?: Readonly<Record<string, string | number>>;
  /** Per attempt, when REQUEST_TIMEOUT_MS does not fit (a long poll, an upload chunk). */
  timeoutMs?: number;
  /** false: no automatic retry of a network failure or 502/503/504 (the caller recovers itself). */
  retry?: boolean;
} & (HasParams<K> extends true ? { params: Record<ParamNames<K>, string> } : { params?: undefined });

function needsNewSession(err: unknown): boolean {
  return err instanceof ApiRequestError && err.status === 401 && (err.code === 'TOKEN_EXPIRED' || err.code === 'TOKEN_REVOKED' || err.code === 'UNAUTHENTICATED');
}

export function api<K extends PlainKey>(key: K, ...args: ApiArgs<K>): Promise<ResponseBody<K>> {
  return apiWith(key, {} as ApiOptions<K>, ...args);
}

/**
 * `apiWith('GET /api/v1/cases/:id', { params: { id } })`,
 * `apiWith('POST /api/v1/cases', { idempotencyKey }, body)`.
 */
export async function apiWith<K extends EndpointKey>(key: K, callOptions: ApiOptions<K>, ...args: ApiArgs<K>): Promise<ResponseBody<K>> {
  const body = args[0] as RequestBody<K>;
  // One key per logical call (unless the page keeps its own), fixed here so the retry after a token
  // renewal reuses it too.
  const idempotencyKey = isWrite(splitKey(key).method) ? callOptions.idempotencyKey ?? newIdempotencyKey() : undefined;
  const options: SendOptions = {
    ...(idempotencyKey ? { idempotencyKey } : {}),
    ...(callOptions.params ? { params: callOptions.params as Record<string, string> } : {}),
    ...(callOptions.query ? { query: callOptions.query } : {}),
    ...(callOptions.timeoutMs !== undefined ? { timeoutMs: callOptions.timeoutMs } : {}),
    ...(callOptions.retry !== undefined ? { retry: callOptions.retry } : {}),
  };

  if (PUBLIC_ENDPOINTS.has(key)) return send(key, body, options);

  const session = await ensureLogin();
  try {
    return await send(key, body, { ...options, accessToken: session.accessToken });
  } catch (err) {
    if (!needsNewSession(err)) throw err;
    const renewed = await renewSession(session.accessToken);
    return send(key, body, { ...options, accessToken: renewed.accessToken });
  }
}
