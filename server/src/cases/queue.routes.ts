import Router from '@koa/router';
import { PassThrough } from 'node:stream';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth/require-role';
import type { Principal } from '../auth/principal';
import type { AppServices } from '../platform/services';
import { markSeen } from '../staff/presence.service';
import { sessionStillValid, streamSession } from '../auth/stream-session';
import { queueTopic } from './case-notifications';
import { brigadeQueue } from './queue.service';

/** Bursts of changes (a case reported, then joined) become one refresh. */
const COALESCE_MS = 150;

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

/** Open streams of this process, ended on shutdown so draining does not wait out the grace period. */
const openStreams = new Set<() => void>();
export function closeQueueStreams(): void {
  for (const close of [...openStreams]) close();
}

/** The live queue of the signed-in dispatcher's brigade (ops see every brigade's): a snapshot and a stream. */
export function queueRoutes(): Router {
  const router = new Router();
  const staffOnly = requireRole('dispatcher', 'officer', 'ops');

  router.get('/api/v1/queue', staffOnly, async (ctx) => {
    const principal = ctx.state.principal as StaffPrincipal;
    await markSeen(principal, ctx.services.clock());
    ctx.body = (await brigadeQueue(ctx.services, principal.brigadeCode)) satisfies ResponseBody<'GET /api/v1/queue'>;
  });

  // Server-sent events: the whole queue on connect and again after every change to it.
  router.get('/api/v1/queue/stream', staffOnly, async (ctx) => {
    const principal = ctx.state.principal as StaffPrincipal;
    const services = ctx.services;
    const stream = new PassThrough();
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
    ctx.status = 200;
    ctx.body = stream;

    const live = openQueueStream(services, principal, stream, streamSession(ctx));
    ctx.req.on('close', live.close);
    services.logger.debug({ staffId: principal.id }, 'queue stream opened');
  });

  return router;
}

function openQueueStream(services: AppServices, principal: StaffPrincipal, stream: PassThrough, session: { version: number; expiresAt: number }) {
  let closed = false;
  let pending: NodeJS.Timeout | null = null;
  // Marked on duty first, so the very first snapshot already counts this dispatcher.
  let sending: Promise<void> = markSeen(principal, services.clock()).catch((err: unknown) => services.logger.warn({ err }, 'presence update failed'));

  const send = () => {
    sending = sending.then(async () => {
      if (closed) return;
      try {
        const snapshot = await brigadeQueue(services, principal.brigadeCode);
        if (!closed) stream.write(`event: queue\ndata: ${JSON.stringify(snapshot)}\n\n`);
      } catch (err) {
        services.logger.warn({ err }, 'queue stream refresh failed');
        if (!closed) stream.write(`event: error\ndata: ${JSON.stringify({ code: 'REFRESH_FAILED', message: '队列刷新失败，稍后自动重试' })}\n\n`);
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

  const unsubscribe = services.pubsub.subscribe(queueTopic(principal.brigadeCode), schedule);
  // Tell the browser to wait a few seconds before reconnecting after a drop.
  stream.write('retry: 3000\n\n');
  send();
  // Comments keep proxies from closing an idle stream; each beat also renews the on-duty mark.
  const heartbeat = setInterval(() => {
    void sessionStillValid(principal, session, Date.now())
      .then(async (valid) => {
        if (!valid) return close();
        stream.write(`: heartbeat ${new Date().toISOString()}\n\n`);
        await markSeen(principal, services.clock());
      })
      .catch((err: unknown) => services.logger.warn({ err }, 'queue stream heartbeat failed'));
  }, services.config.QUEUE_STREAM_HEARTBEAT_MS);

  const close = () => {
    if (closed) return;
    closed = true;
    openStreams.delete(close);
    unsubscribe();
    clearInterval(heartbeat);
    if (pending) clearTimeout(pending);
    stream.end();
  };
  openStreams.add(close);
  return { close };
}
