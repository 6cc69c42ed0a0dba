/**
 * One logical HTTP call to our API over wx.request, with the retries that are always safe: a
 * network failure or a 502/503/504 is tried again (at most twice, with backoff). Writes carry one
 * Idempotency-Key for the whole logical call, so a retried write the server already applied is
 * answered from its record instead of being applied twice. Knows nothing about sessions:
 * session.ts and request.ts build on it.
 */
import type { EndpointKey, RequestBody, ResponseBody } from '../../typings';
import { apiBaseUrl, REQUEST_TIMEOUT_MS, RETRY_DELAYS_MS } from '../config';
import { ApiRequestError, MESSAGES, errorFromResponse } from './errors';
import { newIdempotencyKey } from './id';

/** What wx.request can send. There is no PATCH: endpoints for the mini-program must not use it. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
const WX_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE'];

/** `'POST /api/v1/auth/refresh'` → POST and the path. */
export function splitKey(key: EndpointKey): { method: HttpMethod; path: string } {
  const space = key.indexOf(' ');
  const method = key.slice(0, space);
  // A programming error, not a driver's problem: fail on the first call in development.
  if (!WX_METHODS.includes(method)) throw new Error(`wx.request cannot send ${method} (${key})`);
  return { method: method as HttpMethod, path: key.slice(space + 1) };
}

export function isWrite(method: HttpMethod): boolean {
  return method !== 'GET';
}

export interface SendOptions {
  accessToken?: string;
  /** Reuse across every attempt of one logical write (including after a token refresh). */
  idempotencyKey?: string;
  /** Values for the key's `:name` path segments (`'GET /api/v1/cases/:id'` → `{ id }`). */
  params?: Readonly<Record<string, string>>;
  /** Query string values (`{ since: 5 }` → `?since=5`). */
  query?: Readonly<Record<string, string | number>>;
  /** Per attempt, instead of REQUEST_TIMEOUT_MS: a long poll outlasts the server's hold, a chunk a slow uplink. */
  timeoutMs?: number;
  /**
   * false: one attempt only. For callers with their own recovery (the upload queue asks the server
   * what arrived and knows when the phone is offline), where these retries would only add waiting.
   */
  retry?: boolean;
}

/** `{ since: 5, a: 'x y' }` → `?since=5&a=x%20y`; '' for none. */
export function queryString(query: Readonly<Record<string, string | number>> = {}): string {
  const pairs = Object.entries(query).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/** True for raw bytes (wx.request sends an ArrayBuffer body as is). Realm-proof, unlike instanceof. */
export function isBinary(body: unknown): body is ArrayBuffer {
  return Object.prototype.toString.call(body) === '[object ArrayBuffer]';
}

/** `/api/v1/cases/:id` with `{ id: 'c 1' }` → `/api/v1/cases/c%201`. A missing value is a programming error. */
export function fillPath(path: string, params: Readonly<Record<string, string>> = {}): string {
  return path.replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_all, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });
}

function attempt(method: HttpMethod, url: string, body: unknown, header: Record<string, string>, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method,
      header,
      timeout: timeoutMs,
      dataType: 'json',
      ...(body === undefined ? {} : { data: body as WechatMiniprogram.IAnyObject | ArrayBuffer }),
      success: (res) => {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.data);
        else reject(errorFromResponse(res.statusCode, res.data));
      },
      // errMsg is e.g. 'request:fail timeout' or 'request:fail -101:net::ERR_CONNECTION_FAILED':
      // all the same to a driver.
      fail: () => reject(new ApiRequestError('NETWORK_FAILED', 0, MESSAGES.network)),
    });
  });
}

function isTransient(err: unknown): boolean {
  if (!(err instanceof ApiRequestError)) return false;
  return err.code === 'NETWORK_FAILED' || err.status === 502 || err.status === 503 || err.status === 504;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function send<K extends EndpointKey>(key: K, body: RequestBody<K>, options: SendOptions = {}): Promise<ResponseBody<K>> {
  const { method, path } = splitKey(key);
  const header: Record<string, string> = {};
  if (options.accessToken) header.Authorization = `Bearer ${options.accessToken}`;
  if (isWrite(method)) {
    // Raw bytes (an upload chunk) go as they are; everything else is our JSON.
    header['Content-Type'] = isBinary(body) ? 'application/octet-stream' : 'application/json';
    header['Idempotency-Key'] = options.idempotencyKey ?? newIdempotencyKey();
  }
  const url = `${apiBaseUrl()}${fillPath(path, options.params)}${queryString(options.query)}`;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;

  for (let retry = 0; ; retry += 1) {
    try {
      return (await attempt(method, url, body, header, timeoutMs)) as ResponseBody<K>;
    } catch (err) {
      const delay = options.retry === false ? undefined : RETRY_DELAYS_MS[retry];
      if (delay === undefined || !isTransient(err)) throw err;
      await sleep(delay);
    }
  }
}
