import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Context } from 'koa';

/** A scripted answer that replaces the next real one: `{ status, body }` exactly as the vendor would send. */
export interface ScriptedResponse {
  status?: number;
  body: unknown;
}

export interface RecordedCall {
  api: string;
  method: string;
  query: Record<string, unknown>;
  body: unknown;
  at: Date;
}

/**
 * Base of every local fake: a real HTTP server on loopback that speaks one vendor's protocol. A test
 * (in-process, through these methods) or anyone else (over HTTP, under /__fake/) can script the next
 * answers of an API — an error body, a delay — and read which calls arrived.
 */
export abstract class FakeService {
  readonly calls: RecordedCall[] = [];
  private readonly scripted = new Map<string, ScriptedResponse[]>();
  private readonly delays = new Map<string, number>();
  private server: Server | null = null;
  private baseUrl = '';

  constructor(readonly name: string) {}

  /** Register the vendor's routes; wrap each handler with `this.api(name, handler)`. */
  protected abstract routes(router: Router): void;

  /** Extra control endpoints of a particular fake, under /__fake/. */
  protected controlRoutes(_router: Router): void {}

  get url(): string {
    if (!this.baseUrl) throw new Error(`${this.name} fake is not started`);
    return this.baseUrl;
  }

  /** The next `times` calls of `api` answer with `response` instead of the real behaviour. */
  failNext(api: string, response: ScriptedResponse, times = 1): void {
    const queue = this.scripted.get(api) ?? [];
    for (let i = 0; i < times; i++) queue.push(response);
    this.scripted.set(api, queue);
  }

  /** Every call of `api` waits `ms` before answering (0 to stop). */
  delay(api: string, ms: number): void {
    if (ms > 0) this.delays.set(api, ms);
    else this.delays.delete(api);
  }

  callsTo(api: string): RecordedCall[] {
    return this.calls.filter((c) => c.api === api);
  }

  reset(): void {
    this.calls.length = 0;
    this.scripted.clear();
    this.delays.clear();
    this.resetState();
  }

  protected resetState(): void {}

  protected api(name: string, handler: (ctx: Context) => unknown | Promise<unknown>) {
    return async (ctx: Context) => {
      this.calls.push({ api: name, method: ctx.method, query: { ...ctx.query }, body: (ctx.request as { body?: unknown }).body, at: new Date() });
      const wait = this.delays.get(name);
      if (wait) await new Promise((r) => setTimeout(r, wait));
      const next = this.scripted.get(name)?.shift();
      if (next) {
        ctx.status = next.status ?? 200;
        ctx.body = next.body;
        return;
      }
      ctx.body = await handler(ctx);
    };
  }

  async start(port = 0): Promise<string> {
    const app = new Koa();
    app.silent = true;
    app.use(bodyParser({ enableTypes: ['json'] }));
    const router = new Router();
    this.routes(router);
    const control = new Router({ prefix: '/__fake' });
    control.post('/fail', (ctx) => {
      const { api, status, body, times } = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
      this.failNext(String(api), { status: typeof status === 'number' ? status : 200, body }, typeof times === 'number' ? times : 1);
      ctx.body = { ok: true };
    });
    control.post('/delay', (ctx) => {
      const { api, ms } = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
      this.delay(String(api), Number(ms) || 0);
      ctx.body = { ok: true };
    });
    control.post('/reset', (ctx) => {
      this.reset();
      ctx.body = { ok: true };
    });
    control.get('/calls', (ctx) => {
      ctx.body = { calls: this.calls };
    });
    this.controlRoutes(control);
    app.use(router.routes()).use(control.routes());
    this.server = createServer(app.callback());
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
