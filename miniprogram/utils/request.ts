/**
 * The typed API client for pages: `api('GET /api/v1/me')`, `api('POST /api/v1/auth/wechat-login', { code })`.
 * The key picks method, path, body type and response type from typings/api/endpoints.ts.
 *
 * On top of http.ts (transient retries, idempotency, error mapping) it adds the session: attaches
 * the access token and, when the server answers 401 TOKEN_EXPIRED (or UNAUTHENTICATED), renews the
 * session once — refresh, else a new wx.login — and repeats the call with the same Idempotency-Key.
 */
import type { EndpointKey, RequestBody, ResponseBody } from '../../typings';
import { ApiRequestError } from './errors';
import { isWrite, send, splitKey } from './http';
import { newIdempotencyKey } from './id';
import { ensureLogin, renewSession } from './session';

export { ApiRequestError } from './errors';

/** Endpoints called without a session (they are how one gets a session). */
const PUBLIC_ENDPOINTS: ReadonlySet<EndpointKey> = new Set<EndpointKey>([
  'GET /healthz',
  'GET /readyz',
  'POST /api/v1/auth/wechat-login',
  'POST /api/v1/auth/refresh',
]);

/** Body-less endpoints take no second argument; the others require one of the right type. */
export type ApiArgs<K extends EndpointKey> = RequestBody<K> extends void ? [] : [body: RequestBody<K>];

function needsNewSession(err: unknown): boolean {
  return err instanceof ApiRequestError && err.status === 401 && (err.code === 'TOKEN_EXPIRED' || err.code === 'UNAUTHENTICATED');
}

export async function api<K extends EndpointKey>(key: K, ...args: ApiArgs<K>): Promise<ResponseBody<K>> {
  const body = args[0] as RequestBody<K>;
  // One key per logical call, generated here so the retry after a token renewal reuses it too.
  const idempotencyKey = isWrite(splitKey(key).method) ? newIdempotencyKey() : undefined;
  const options = idempotencyKey ? { idempotencyKey } : {};

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
