import type { Context } from 'koa';
import { PassThrough } from 'node:stream';
import { Staff } from '../staff';
import { reconnectHint } from '../platform/drain';
import type { Principal } from './principal';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

export interface StaffStreamOptions {
  /** The pub/sub topic whose messages mean "refresh". */
  topic: string;
  /** The SSE event name the snapshot is sent under. */
  event: string;
  /** The whole current state, re-read from the database on every refresh. */
  snapshot: () => Promise<unknown>;
  /** The "this console is here" mark the stream stands for: before the first snapshot and on every heartbeat. */
  markPresent: () => Promise<void>;
  /** Chinese, for the page, when a refresh fails. */
  refreshFailed: string;
}

/** Bursts of changes (a case reported, then joined; start collecting, then a shot request) become one refresh. */
const COALESCE_MS = 150;

/** Open streams of this process, ended (with a reconnect hint) on shutdown so draining does not wait out the grace period. */
const openStreams = new Set<() => void>();
export function closeStaffStreams(): void {
  for (const close of [...openStreams]) close();
}

/**
 * A server-sent-events stream for the console, after requireRole accepted the staff cookie: the
 * snapshot on connect and after every message on `topic`. A stream outlives the request that
 * authenticated it, so each heartbeat (every QUEUE_STREAM_HEARTBEAT_MS; it also keeps proxies from
 * closing an idle stream) re-checks the session: a logged-out, disabled, moved or expired account
 * stops receiving at once, the browser reconnects, is answered 401 and returns to the login form.
 */
export function openStaffStream(ctx: Context, options: StaffStreamOptions): void {
  const services = ctx.services;
  const principal = ctx.state.principal as StaffPrincipal;
  const claims = services.tokens.verify(ctx.cookies.get(services.config.STAFF_COOKIE_NAME) ?? '', 'staff_session');
  const session = { version: claims.ver, expiresAt: claims.exp * 1000 };

  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
  ctx.status = 200;
  ctx.body = stream;

  let closed = false;
  let pending: NodeJS.Timeout | null = null;
  // Marked present first, so the very first snapshot already counts this console.
  let sending: Promise<void> = options.markPresent().catch((err: unknown) => services.logger.warn({ err }, 'presence update failed'));

  const send = () => {
    sending = sending.then(async () => {
      if (closed) return;
      try {
        const snapshot = await options.snapshot();
        if (!closed) stream.write(`event: ${options.event}\ndata: ${JSON.stringify(snapshot)}\n\n`);
      } catch (err) {
        services.logger.warn({ err, topic: options.topic }, 'stream refresh failed');
        if (!closed) stream.write(`event: error\ndata: ${JSON.stringify({ code: 'REFRESH_FAILED', message: options.refreshFailed })}\n\n`);
      }
    });
  };
  const schedule = () => {
    if (pending || closed) return;
    pending = setTimeout(() => {
      pending = null;
      send();
    }, COALESCE_MS);
  };

  const unsubscribe = services.pubsub.subscribe(options.topic, schedule);
  const heartbeat = setInterval(() => {
    void sessionStillValid(principal, session, Date.now())
      .then(async (valid) => {
        if (!valid) return close();
        stream.write(`: heartbeat ${new Date().toISOString()}\n\n`);
        await options.markPresent();
      })
      .catch((err: unknown) => services.logger.warn({ err, topic: options.topic }, 'stream heartbeat failed'));
  }, services.config.QUEUE_STREAM_HEARTBEAT_MS);

  let stopDrainWatch: () => void = () => undefined;
  const close = () => {
    if (closed) return;
    closed = true;
    openStreams.delete(drainAway);
    stopDrainWatch();
    unsubscribe();
    clearInterval(heartbeat);
    if (pending) clearTimeout(pending);
    stream.end();
  };
  // This instance is stopping: the browser reconnects soon, through the load balancer to another one.
  const drainAway = () => {
    if (!closed) stream.write(reconnectHint());
    close();
  };
  openStreams.add(drainAway);
  ctx.req.on('close', close);
  // Tell the browser to wait a few seconds before reconnecting after a drop.
  stream.write('retry: 3000\n\n');
  send();
  // Last: a stream opened while draining is told to go elsewhere at once.
  stopDrainWatch = services.drain.onDrain(drainAway);
}

async function sessionStillValid(principal: StaffPrincipal, session: { version: number; expiresAt: number }, now: number): Promise<boolean> {
  if (now >= session.expiresAt) return false;
  const staff = await Staff.findById(principal.id, { disabled: 1, sessionVersion: 1 }).lean();
  return Boolean(staff && !staff.disabled && staff.sessionVersion === session.version);
}
