import type { EndpointKey, RequestBody, ResponseBody } from '../../typings/api/endpoints';

/** A refusal from the API, with its machine code and the words a person would read. */
export class ApiError extends Error {
  constructor(
    readonly key: string,
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${key} → ${status} ${code}: ${message}`);
    this.name = 'ApiError';
  }
}

type Params = Record<string, string>;
type Raw = { bytes: Uint8Array | Buffer; contentType: string };

export interface CallOptions<K extends EndpointKey> {
  params?: Params;
  query?: Record<string, string>;
  body?: RequestBody<K> | Raw;
  headers?: Record<string, string>;
}

/**
 * The public HTTP API as the mini-program and the console use it, typed by `typings/api/endpoints.ts`:
 * a driver signs with a bearer token, staff with the session cookie (and the console's write header).
 * It counts the time spent waiting for the server, which is what the walk reports as "the software's".
 */
export class ApiClient {
  private cookies = new Map<string, string>();
  token: string | null = null;
  /** Milliseconds spent in requests since the last `takeElapsed()`. */
  private elapsed = 0;
  requests = 0;

  constructor(
    readonly baseUrl: string,
    private readonly kind: 'driver' | 'staff',
  ) {}

  takeElapsed(): number {
    const ms = this.elapsed;
    this.elapsed = 0;
    return ms;
  }

  async call<K extends EndpointKey>(key: K, options: CallOptions<K> = {}): Promise<ResponseBody<K>> {
    const res = await this.send(key, options);
    const text = Buffer.from(await res.arrayBuffer());
    const json = text.length && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text.toString('utf8')) : null;
    if (!res.ok) throw new ApiError(key, res.status, json?.code ?? 'HTTP_ERROR', json?.message ?? text.toString('utf8').slice(0, 200));
    return (json ?? text) as ResponseBody<K>;
  }

  /** The raw response (a PDF, a file), refused statuses thrown like call(). */
  async bytes<K extends EndpointKey>(key: K, options: CallOptions<K> = {}): Promise<{ bytes: Buffer; contentType: string }> {
    const res = await this.send(key, options);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (!res.ok) {
      const json = (() => {
        try {
          return JSON.parse(bytes.toString('utf8'));
        } catch {
          return null;
        }
      })();
      throw new ApiError(key, res.status, json?.code ?? 'HTTP_ERROR', json?.message ?? '');
    }
    return { bytes, contentType: res.headers.get('content-type') ?? '' };
  }

  /** An endpoint the shared map does not type (ops' service calendar). */
  async untyped<T = unknown>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T> {
    return this.call(`${method} ${path}` as EndpointKey, { body: body as never }) as Promise<T>;
  }

  private async send<K extends EndpointKey>(key: K, options: CallOptions<K>): Promise<Response> {
    const [method, template] = key.split(' ') as [string, string];
    const path = template.replace(/:(\w+)/g, (_, name: string) => {
      const value = options.params?.[name];
      if (value === undefined) throw new Error(`${key}: missing :${name}`);
      return encodeURIComponent(value);
    });
    const query = options.query ? `?${new URLSearchParams(options.query)}` : '';
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Uint8Array | undefined;
    const raw = options.body as Raw | undefined;
    if (raw && typeof raw === 'object' && 'bytes' in raw && 'contentType' in raw) {
      headers['content-type'] = raw.contentType;
      body = new Uint8Array(raw.bytes);
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    } else if (method !== 'GET') {
      headers['content-type'] = 'application/json';
      body = '{}';
    }
    if (this.kind === 'driver' && this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.kind === 'staff') {
      if (method !== 'GET') headers['x-console-request'] = '1';
      if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}${path}${query}`, { method, headers, body, redirect: 'manual' });
    this.elapsed += performance.now() - started;
    this.requests++;
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}
