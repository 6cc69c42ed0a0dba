import Router from '@koa/router';
import type { Context } from 'koa';
import { PassThrough } from 'node:stream';
import type { ResponseBody } from '../../../typings/api/endpoints';
import type { ShotKind } from '../../../typings/api/call';
import type { Principal } from '../auth/principal';
import { requireRole } from '../auth/require-role';
import { sessionStillValid, streamSession } from '../auth/stream-session';
import { caseTopic } from '../cases/case-notifications';
import { loadCase, type CaseSnapshot } from '../cases/case-revisions';
import { Staff } from '../staff/staff.model';
import { Brigade } from '../brigades/brigade.model';
import { body } from '../platform/validate';
import { deskCase } from './case-access';
import { presenceOf, touchPresence } from './call-presence';
import { answerCase, handBack, postMessage, redirectCase, releaseCase, requestShot, runChecks, updateFacts, updatePartyInfo, type StaffActor } from './call.service';
import { chatSchema, checksSchema, factsSchema, partyInfoUpdateSchema, redirectSchema, shotRequestSchema } from './call.schemas';
import { DISPATCHER_UID, issueRtcToken } from './rtc';
import { staffCaseView } from './views';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

async function staffActor(ctx: Context): Promise<StaffActor> {
  const principal = ctx.state.principal as StaffPrincipal;
  const staff = await Staff.findById(principal.id, { displayName: 1 }).lean();
  return { id: principal.id, name: staff?.displayName ?? principal.username, role: principal.role };
}

async function view(ctx: Context, c: CaseSnapshot) {
  const caseId = String(c._id);
  const [seen, brigade] = await Promise.all([presenceOf(caseId, c.parties.map((p) => p.label)), c.brigadeCode ? Brigade.findOne({ code: c.brigadeCode }).lean() : null]);
  const result = staffCaseView(c, ctx.services.clock(), seen);
  result.place.brigade = brigade ? { code: brigade.code, name: brigade.name, dutyPhone: brigade.dutyPhone ?? null } : null;
  return result;
}

/** Open streams of this process, ended on shutdown. */
const openStreams = new Set<() => void>();
export function closeCaseStreams(): void {
  for (const close of [...openStreams]) close();
}

/** The dispatcher's side of a call: answer, the live case, information, shots, checks, chat, release. */
export function deskRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/desk/cases/:id' });
  router.use(requireRole('dispatcher', 'officer', 'ops'));

  router.post('/answer', async (ctx) => {
    const c = await deskCase(ctx);
    const answered = await answerCase(ctx.services, String(c._id), await staffActor(ctx));
    await touchPresence(String(c._id), 'desk', ctx.services.clock());
    ctx.body = (await view(ctx, answered)) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/answer'>;
  });

  router.get('/', async (ctx) => {
    const c = await deskCase(ctx);
    // A console polling (its stream down) is still minding the call.
    if (c.state === 'in_call' || c.state === 'collecting') await touchPresence(String(c._id), 'desk', ctx.services.clock());
    ctx.body = (await view(ctx, c)) satisfies ResponseBody<'GET /api/v1/desk/cases/:id'>;
  });

  router.post('/rtc-token', async (ctx) => {
    const c = await deskCase(ctx);
    const now = ctx.services.clock();
    await touchPresence(String(c._id), 'desk', now);
    const { AGORA_APP_ID, AGORA_APP_CERTIFICATE, RTC_TOKEN_TTL_SECONDS } = ctx.services.config;
    ctx.body = issueRtcToken({ appId: AGORA_APP_ID, certificate: AGORA_APP_CERTIFICATE, caseId: String(c._id), uid: DISPATCHER_UID, now, ttlSeconds: RTC_TOKEN_TTL_SECONDS }) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/rtc-token'>;
  });

  router.put('/parties/:label', async (ctx) => {
    const c = await deskCase(ctx);
    const actor = await staffActor(ctx);
    const updated = await updatePartyInfo(ctx.services, String(c._id), String(ctx.params.label), body(ctx, partyInfoUpdateSchema), { kind: actor.role === 'officer' ? 'officer' : 'dispatcher', id: actor.id });
    ctx.body = (await view(ctx, updated)) satisfies ResponseBody<'PUT /api/v1/desk/cases/:id/parties/:label'>;
  });

  router.put('/facts', async (ctx) => {
    const c = await deskCase(ctx);
    const updated = await updateFacts(ctx.services, String(c._id), body(ctx, factsSchema), await staffActor(ctx));
    ctx.body = (await view(ctx, updated)) satisfies ResponseBody<'PUT /api/v1/desk/cases/:id/facts'>;
  });

  router.post('/shot-requests', async (ctx) => {
    const c = await deskCase(ctx);
    const input = body(ctx, shotRequestSchema);
    ctx.status = 201;
    ctx.body = (await requestShot(ctx.services, String(c._id), { ...input, kind: input.kind as ShotKind }, await staffActor(ctx))) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/shot-requests'>;
  });

  router.post('/checks', async (ctx) => {
    const c = await deskCase(ctx);
    const { party } = body(ctx, checksSchema);
    ctx.body = (await runChecks(ctx.services, String(c._id), party, await staffActor(ctx))) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/checks'>;
  });

  router.post('/messages', async (ctx) => {
    const c = await deskCase(ctx);
    const actor = await staffActor(ctx);
    ctx.status = 201;
    ctx.body = (await postMessage(ctx.services, String(c._id), 'dispatcher', body(ctx, chatSchema).text, { kind: actor.role === 'officer' ? 'officer' : 'dispatcher', id: actor.id })) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/messages'>;
  });

  router.post('/redirect', async (ctx) => {
    const c = await deskCase(ctx);
    const updated = await redirectCase(ctx.services, String(c._id), body(ctx, redirectSchema), await staffActor(ctx));
    ctx.body = (await view(ctx, updated)) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/redirect'>;
  });

  router.post('/release', async (ctx) => {
    const c = await deskCase(ctx);
    const updated = await releaseCase(ctx.services, String(c._id), await staffActor(ctx));
    ctx.body = (await view(ctx, updated)) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/release'>;
  });

  router.post('/hand-back', async (ctx) => {
    const c = await deskCase(ctx);
    const actor = await staffActor(ctx);
    const updated = await handBack(ctx.services, String(c._id), { kind: actor.role === 'officer' ? 'officer' : 'dispatcher', id: actor.id }, '接警员交回队列');
    ctx.body = (await view(ctx, updated)) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/hand-back'>;
  });

  // Server-sent events: the case on connect and after every change; heartbeats keep the dispatcher
  // "present" on this call (a silent console hands the case back, see sweeper.ts).
  router.get('/stream', async (ctx) => {
    const c = await deskCase(ctx);
    const caseId = String(c._id);
    const services = ctx.services;
    const stream = new PassThrough();
    ctx.req.socket.setTimeout(0);
    ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
    ctx.status = 200;
    ctx.body = stream;

    let closed = false;
    let sending: Promise<void> = Promise.resolve();
    const send = () => {
      sending = sending.then(async () => {
        if (closed) return;
        try {
          const latest = await loadCase(caseId);
          if (!closed) stream.write(`event: case\ndata: ${JSON.stringify(await view(ctx, latest))}\n\n`);
        } catch (err) {
          services.logger.warn({ err, caseId }, 'case stream refresh failed');
        }
      });
    };
    const unsubscribe = services.pubsub.subscribe(caseTopic(caseId), send);
    const session = streamSession(ctx);
    const principal = ctx.state.principal as StaffPrincipal;
    const heartbeat = setInterval(() => {
      void sessionStillValid(principal, session, Date.now())
        .then(async (valid) => {
          if (!valid) return close();
          stream.write(`: heartbeat\n\n`);
          await touchPresence(caseId, 'desk', services.clock());
        })
        .catch((err: unknown) => services.logger.warn({ err, caseId }, 'case stream heartbeat failed'));
    }, services.config.QUEUE_STREAM_HEARTBEAT_MS);
    const close = () => {
      if (closed) return;
      closed = true;
      openStreams.delete(close);
      unsubscribe();
      clearInterval(heartbeat);
      stream.end();
    };
    openStreams.add(close);
    ctx.req.on('close', close);
    stream.write('retry: 3000\n\n');
    await touchPresence(caseId, 'desk', services.clock());
    send();
  });

  return router;
}
