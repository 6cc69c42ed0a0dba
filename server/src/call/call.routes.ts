import Router from '@koa/router';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { requireRole } from '../auth';
import { caseTopic, partyCase, touchPresence, type CaseSnapshot, isOnCall, objectIdSchema } from '../cases';
import { AppError } from '../platform/errors';
import type { PubSub } from '../platform/pubsub/pubsub';
import type { Drain } from '../platform/drain';
import { body, query } from '../platform/validate';
import { contract } from '../platform/contract';
import { consentToRecording, resumeCase, updatePartyInfo } from './call.service';
import { messagesOf, postMessage } from './chat';
import type { CallServices } from './call-services';
import { chatSchema, partyInfoUpdateSchema, sinceSchema } from './call.schemas';
import { issueRtcToken, uidForParty } from './rtc';
import { partyCallView } from './views';

const COALESCE_MS = 120;

const caseIdParams = z.object({ id: objectIdSchema });

const partyView = async (services: CallServices, c: CaseSnapshot, party: string) => partyCallView(c, party, services.clock(), await messagesOf(String(c._id)));

/**
 * Resolves on the next change of the case, after `ms`, when the caller hangs up, or when this instance
 * starts stopping (the phone then has its answer now and asks again, through the load balancer to
 * another instance) — whichever is first.
 */
function nextChange(pubsub: PubSub, drain: Drain, caseId: string, ms: number, req: NodeJS.EventEmitter): { wait: Promise<void>; cancel: () => void } {
  let done: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => {
    done = resolve;
  });
  const unsubscribe = pubsub.subscribe(caseTopic(caseId), () => done());
  const timer = setTimeout(() => done(), ms);
  req.once('close', () => done());
  const stopDrainWatch = drain.onDrain(() => done());
  const cancel = () => {
    unsubscribe();
    stopDrainWatch();
    clearTimeout(timer);
    done();
  };
  return { wait: wait.then(cancel), cancel };
}

/** A party's side of the call: consent, RTC token, the live view, their own information, chat, resume. */
export function callRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/cases/:id' });
  router.use(requireRole('driver'));

  router.post('/recording-consent', contract({ summary: '当事驾驶人同意视频通话全程录音录像', params: caseIdParams, errors: [409] }), async (ctx) => {
    const { party } = await partyCase(ctx);
    const updated = await consentToRecording(ctx.services, ctx.params.id!, party, ctx.state.principal.id);
    ctx.body = (await partyView(ctx.services, updated, party)) satisfies ResponseBody<'POST /api/v1/cases/:id/recording-consent'>;
  });

  router.post('/rtc-token', contract({ summary: '当事驾驶人在交警接听后取得视频通话的 RTC 令牌（须已同意录音录像）', params: caseIdParams, errors: [409] }), async (ctx) => {
    const { snapshot, party } = await partyCase(ctx);
    const me = snapshot.parties.find((p) => p.label === party)!;
    if (!me.recordingConsentAt) throw new AppError(409, 'RECORDING_CONSENT_REQUIRED', '视频通话将全程录音录像，请先阅读并同意');
    if (!isOnCall(snapshot.state)) throw new AppError(409, 'CASE_NOT_IN_CALL', '交警还没有接听，请稍候');
    const now = ctx.services.clock();
    await touchPresence(String(snapshot._id), party, now);
    const { AGORA_APP_ID, AGORA_APP_CERTIFICATE, RTC_TOKEN_TTL_SECONDS } = ctx.services.config;
    ctx.body = issueRtcToken({ appId: AGORA_APP_ID, certificate: AGORA_APP_CERTIFICATE, caseId: String(snapshot._id), uid: uidForParty(party), now, ttlSeconds: RTC_TOKEN_TTL_SECONDS }) satisfies ResponseBody<'POST /api/v1/cases/:id/rtc-token'>;
  });

  // Long poll: the phone asks with the rev it has; the answer comes when something changed (a shot
  // request, a message, release) or after LONG_POLL_SECONDS. Works through any proxy and on weak signal.
  router.get(
    '/call',
    contract({
      summary: '当事驾驶人获取通话中的案件视图（长轮询：带上已有的 since 版本号，有变化或超时才返回）',
      params: caseIdParams,
      query: sinceSchema,
    }),
    async (ctx) => {
    const { since } = query(ctx, sinceSchema);
    const services = ctx.services;
    const caseId = ctx.params.id!;
    const change = nextChange(services.pubsub, services.drain, caseId, services.config.LONG_POLL_SECONDS * 1000, ctx.req);
    try {
      let { snapshot, party } = await partyCase(ctx);
      await touchPresence(caseId, party, services.clock());
      if (since !== undefined && snapshot.rev <= since) {
        await change.wait;
        // One action of the dispatcher is often two events (start collecting, then the request): answer with both.
        await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
        ({ snapshot, party } = await partyCase(ctx));
      }
      ctx.body = (await partyView(services, snapshot, party)) satisfies ResponseBody<'GET /api/v1/cases/:id/call'>;
    } finally {
      change.cancel();
    }
    },
  );

  router.put('/my-info', contract({ summary: '当事驾驶人填写或确认本方信息（姓名、驾驶证号、车辆、保险、手机号）', params: caseIdParams, body: partyInfoUpdateSchema, errors: [409] }), async (ctx) => {
    const { party } = await partyCase(ctx);
    const update = body(ctx, partyInfoUpdateSchema);
    const updated = await updatePartyInfo(ctx.services, ctx.params.id!, party, update, { kind: 'driver', id: ctx.state.principal.id });
    ctx.body = (await partyView(ctx.services, updated, party)) satisfies ResponseBody<'PUT /api/v1/cases/:id/my-info'>;
  });

  router.post('/messages', contract({ summary: '当事驾驶人在通话中给接警员发文字消息', params: caseIdParams, body: chatSchema, successStatus: 201, errors: [409] }), async (ctx) => {
    const { party } = await partyCase(ctx);
    const { text } = body(ctx, chatSchema);
    ctx.status = 201;
    ctx.body = (await postMessage(ctx.services, ctx.params.id!, party, text, { kind: 'driver', id: ctx.state.principal.id })) satisfies ResponseBody<'POST /api/v1/cases/:id/messages'>;
  });

  router.post('/resume', contract({ summary: '通话中断后，当事驾驶人在时限内继续处理本案', params: caseIdParams, errors: [409] }), async (ctx) => {
    const { party } = await partyCase(ctx);
    const resumed = await resumeCase(ctx.services, ctx.params.id!, ctx.state.principal.id);
    await touchPresence(ctx.params.id!, party, ctx.services.clock());
    ctx.body = (await partyView(ctx.services, resumed, party)) satisfies ResponseBody<'POST /api/v1/cases/:id/resume'>;
  });

  return router;
}

