/** A call to an external service failed before it gave us an answer we can read. */
export class UpstreamUnavailableError extends Error {
  constructor(
    readonly service: string,
    readonly reason: 'timeout' | 'network' | 'bad_status' | 'bad_body',
    detail: string,
  ) {
    super(`${service}: ${reason}: ${detail}`);
    this.name = 'UpstreamUnavailableError';
  }
}

export interface FetchJsonOptions {
  service: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
}

/** GET/POST JSON with a hard timeout; every way it can fail becomes an UpstreamUnavailableError. */
export async function fetchJson<T>(url: URL, options: FetchJsonOptions): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: { accept: 'application/json', ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (err) {
    const name = (err as Error).name;
    const reason = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
    throw new UpstreamUnavailableError(options.service, reason, (err as Error).message);
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 500 || response.status === 429) {
    throw new UpstreamUnavailableError(options.service, 'bad_status', `HTTP ${response.status}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UpstreamUnavailableError(options.service, 'bad_body', `HTTP ${response.status}, not JSON`);
  }
}

/** `base` may carry a path prefix (a gateway in front of the vendor), which `new URL(path, base)` would drop. */
export function joinUrl(base: string, path: string): URL {
  return new URL(base.replace(/\/+$/, '') + path);
}
