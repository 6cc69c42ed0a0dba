/**
 * The chaos clients' HTTP: one request with a timeout, and the retry loop the real clients have — a
 * request that got no answer, a 5xx (the balancer's 502/503 while an instance is down, the server's
 * 503 while the database is) or a 429 is sent again, the same request with the same idempotency key or
 * chunk, after a short pause, until a deadline.
 */
import { request as httpRequest } from 'node:http';
import type { Kind, Ledger } from './ledger';

export interface Answer {
  status: number;
  body: any;
  retryAfter: number;
  /** `METHOD path`, for reports. */
  what: string;
}

export interface SendOptions {
  headers?: Record<string, string>;
  json?: unknown;
  raw?: Buffer;
  timeoutMs?: number;
}

export async function send(base: string, method: string, path: string, options: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: Uint8Array | string | undefined;
  if (options.raw) {
    headers['content-type'] = 'application/octet-stream';
    body = new Uint8Array(options.raw);
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const res = await fetch(base + path, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text; // a balancer's HTML error page
  }
  return { status: res.status, body: parsed, retryAfter: Number(res.headers.get('retry-after') ?? 0) || 0, what: `${method} ${path} (${res.headers.get('x-served-by') ?? 'balancer'}, ${res.headers.get('x-request-id') ?? ''})` };
}

export const retryable = (status: number) => status >= 500 || status === 429;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Attempted {
  /** The last answer that was not retryable, or null when the deadline came first. */
  answer: Answer | null;
  /** Some earlier attempt got no answer or a retryable one: the request may have been applied already. */
  repeated: boolean;
}

/**
 * Sends until an answer that is not retryable, or the deadline. `kind` is the ledger's name for what
 * is retried (its retried count goes up per repeat); every 5xx seen is noted.
 */
export async function untilAnswered(ledger: Ledger, kind: Kind, attempt: () => Promise<Answer>, deadline: number): Promise<Attempted> {
  let repeated = false;
  for (;;) {
    let wait = 150 + Math.random() * 150;
    try {
      const answer = await attempt();
      ledger.sawStatus(kind, answer.status, `${new Date().toISOString()} ${answer.what} ${JSON.stringify(answer.body).slice(0, 200)}`);
      if (!retryable(answer.status)) return { answer, repeated };
      if (answer.retryAfter) wait = Math.min(answer.retryAfter * 1000, 3000);
    } catch {
      // No answer at all: an instance killed mid-request, or the timeout.
    }
    if (Date.now() + wait > deadline) return { answer: null, repeated };
    repeated = true;
    ledger.counts[kind].retried++;
    await pause(wait);
  }
}

/**
 * A connection lost half-way through a chunk, as a phone dropping off the network: half the bytes
 * go out, then the socket is destroyed. Whatever happens, it resolves (the server must not keep it).
 */
export function dropMidChunk(base: string, path: string, headers: Record<string, string>, chunk: Buffer): Promise<void> {
  return new Promise<void>((resolve) => {
    const req = httpRequest(base + path, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(chunk.length) },
    });
    const done = () => resolve();
    req.on('error', done);
    req.on('response', (res) => {
      res.resume();
      done();
    });
    req.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => {
      setTimeout(() => {
        req.destroy();
        done();
      }, 30);
    });
  });
}
