import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from './logger';

declare module 'koa' {
  interface DefaultState {
    requestId: string;
    log: Logger;
  }
}

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * This process among the instances behind a load balancer, sent as X-Served-By on every response so a
 * request can be traced to the instance that answered it. Random per process: it names no host.
 */
export const INSTANCE_ID = randomBytes(4).toString('hex');

/** What code deep below a handler may learn of the request it runs for (read structurally: platform knows no auth types). */
export interface RequestScope {
  requestId: string;
  principal?: { id?: unknown; role?: unknown };
}
const scope = new AsyncLocalStorage<RequestScope>();

/**
 * The request this code runs for — its id, and who is asking once auth has said so — or undefined
 * outside a request. The audit log reads it, so every entry carries the request id and the actor's
 * role without each caller passing them along.
 */
export function currentRequest(): RequestScope | undefined {
  return scope.getStore();
}

/**
 * Gives every request an id (kept from a load balancer's X-Request-Id when it looks sane), a child
 * logger carrying it, and one access-log line when the response is done.
 */
export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = INCOMING_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    ctx.set('X-Served-By', INSTANCE_ID);
    const started = process.hrtime.bigint();
    try {
      // ctx.state itself is the scope: the principal auth sets on it later is seen too.
      await scope.run(ctx.state as RequestScope, next);
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // 501 (a method nobody serves) and 503 (a dependency down, said to the client) are not faults of this code.
      const level = ctx.status >= 500 && ctx.status !== 501 && ctx.status !== 503 ? 'error' : ctx.status >= 400 ? 'warn' : 'info';
      ctx.state.log[level]({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}
