import type { Middleware } from 'koa';

/**
 * The process is stopping (SIGTERM): what is under way finishes, what waits for news (the staff
 * streams, the parties' long polls) is answered now, and clients are sent elsewhere — /readyz says 503
 * and every response closes its connection, so a keep-alive client's next request opens a new one,
 * which the load balancer gives to another instance.
 */
export interface Drain {
  readonly draining: boolean;
  /** Starts draining, once: every listener runs now. */
  start(): void;
  /** `listener` runs when draining starts (at once if it has). Returns the unsubscribe. */
  onDrain(listener: () => void): () => void;
}

export function createDrain(): Drain {
  let draining = false;
  const listeners = new Set<() => void>();
  return {
    get draining() {
      return draining;
    },
    start() {
      if (draining) return;
      draining = true;
      for (const listener of [...listeners]) listener();
      listeners.clear();
    },
    onDrain(listener) {
      if (draining) {
        listener();
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** While draining, no connection is kept alive after its response (Node keeps an idle one open otherwise). */
export function closeConnectionsWhileDraining(drain: Drain): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      if (drain.draining && !ctx.headerSent) ctx.set('Connection', 'close');
    }
  };
}

/**
 * The last lines of a server-sent-events stream of a stopping instance: reconnect after a short, spread
 * wait (so a room of consoles does not arrive at once), which the load balancer sends to another instance.
 * Browsers reconnect by themselves when a stream ends; the `reconnect` event says it was meant.
 */
export function reconnectHint(): string {
  const retryMs = 500 + Math.floor(Math.random() * 1500);
  return `retry: ${retryMs}\nevent: reconnect\ndata: ${JSON.stringify({ reason: 'draining', retryMs })}\n\n`;
}
