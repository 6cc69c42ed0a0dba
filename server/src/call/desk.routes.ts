import Router from '@koa/router';
import { z } from 'zod';
import type { Context } from 'koa';
import type { ResponseBody } from '../../../typings/api/endpoints';
import type { ShotKind } from '../../../typings/api/call';
import { type Principal, requireRole, openStaffStream } from '../auth';
import { type TransitionActor, caseTopic, loadCase, type CaseSnapshot, deskCase, touchPresence, isOnCall, objectIdSchema } from '../cases';
import { body } from '../platform/validate';
import { contract } from '../platform/contract';
import { postMessage } from './chat';
import { answerCase, handBack, redirectCase, releaseCase, requestShot, runChecks, updateFacts, updatePartyInfo } from './call.service';
import { chatSchema, checksSchema, factsSchema, partyInfoUpdateSchema, partyLabelSchema, redirectSchema, shotRequestSchema } from './call.schemas';
import { DISPATCHER_UID, issueRtcToken } from './rtc';
import { deskCaseView } from './desk-view';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

/** Who acts in the case history: officers as themselves, dispatchers and ops at the desk as dispatchers. */
function deskActor(ctx: Context): TransitionActor {
  const principal = ctx.state.principal as StaffPrincipal;
  return { kind: principal.role === 'officer' ? 'officer' : 'dispatcher', id: principal.id };
}

const view = (ctx: Context, c: CaseSnapshot) => deskCaseView(ctx.services, c);

const caseIdParams = z.object({ id: objectIdSchema });

/** The dispatcher's side of a call: answer, the live case, information, shots, checks, chat, release. */
export function deskRoutes(): Router {
  const router = new Router({ prefix: '/api/v1/desk/cases/:id' });
  router.use(requireRole('dispatcher', 'officer', 'ops'));

  router.post('/answer', contract({ summary: '接警员接听排队中的案件，开始视频处理', params: caseIdParams, errors: [409] }), async (ctx) => {
    const c = await deskCase(ctx);
    const principal = ctx.state.principal as StaffPrincipal;
    const answered = await answerCase(ctx.services, String(c._id), deskActor(ctx), principal.displayName || principal.username);
    await touchPresence(String(c._id), 'desk', ctx.services.clock());
    ctx.body = (await view(ctx, answered)) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/answer'>;
  });

  router.get('/', contract({ summary: '接警员查看处理中的案件（当事方信息、拍摄、核查、消息）', params: caseIdParams }), async (ctx) => {
    const c = await deskCase(ctx);
    // A console polling (its stream down) is still minding the call.
    if (isOnCall(c.state)) await touchPresence(String(c._id), 'desk', ctx.services.clock());
    ctx.body = (await view(ctx, c)) satisfies ResponseBody<'GET /api/v1/desk/cases/:id'>;
  });

  router.post('/rtc-token', contract({ summary: '接警员取得本案视频通话的 RTC 令牌', params: caseIdParams }), async (ctx) => {
    const c = await deskCase(ctx);
    const now = ctx.services.clock();
    await touchPresence(String(c._id), 'desk', now);
    const { AGORA_APP_ID, AGORA_APP_CERTIFICATE, RTC_TOKEN_TTL_SECONDS } = ctx.services.config;
    ctx.body = issueRtcToken({ appId: AGORA_APP_ID, certificate: AGORA_APP_CERTIFICATE, caseId: String(c._id), uid: DISPATCHER_UID, now, ttlSeconds: RTC_TOKEN_TTL_SECONDS }) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/rtc-token'>;
  });

  router.put('/parties/:label', contract({ summary: '接警员代为填写或更正一方当事人的信息', params: z.object({ id: objectIdSchema, label: partyLabelSchema }), body: partyInfoUpdateSchema, errors: [409] }), async (ctx) => {
    const c = await deskCase(ctx);
    const updated = await updatePartyInfo(ctx.services, String(c._id), String(ctx.params.label), body(ctx, partyInfoUpdateSchema), deskActor(ctx));
    ctx.body = (await view(ctx, updated)) satisfies ResponseBody<'PUT /api/v1/desk/cases/:id/parties/:label'>;
  });

  router.put('/facts', contract({ summary: '接警员记录事故事实（时间、地点、行驶方向、碰撞部位、经过）', params: caseIdParams, body: factsSchema, errors: [409] }), async (ctx) => {
    const c = await deskCase(ctx);
    const updated = await updateFacts(ctx.services, String(c._id), body(ctx, factsSchema), deskActor(ctx));
    ctx.body = (await view(ctx, updated)) satisfies ResponseBody<'PUT /api/v1/desk/cases/:id/facts'>;
  });

  router.post('/shot-requests', contract({ summary: '接警员请一方当事人拍摄指定的现场照片或视频', params: caseIdParams, body: shotRequestSchema, successStatus: 201, errors: [409] }), async (ctx) => {
    const c = await deskCase(ctx);
    const input = body(ctx, shotRequestSchema);
    ctx.status = 201;
    ctx.body = (await requestShot(ctx.services, String(c._id), { ...input, kind: input.kind as ShotKind }, deskActor(ctx))) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/shot-requests'>;
  });

  router.post('/checks', contract({ summary: '接警员核查一方的驾驶证、行驶证和保险', params: caseIdParams, body: checksSchema, errors: [409, 503] }), async (ctx) => {
    const c = await deskCase(ctx);
    const { party } = body(ctx, checksSchema);
    ctx.body = (await runChecks(ctx.services, String(c._id), party, deskActor(ctx))) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/checks'>;
  });

  router.post('/messages', contract({ summary: '接警员在通话中给当事人发文字消息', params: caseIdParams, body: chatSchema, successStatus: 201, errors: [409] }), async (ctx) => {
    const c = await deskCase(ctx);
    ctx.status = 201;
    ctx.body = (await postMessage(ctx.services, String(c._id), 'dispatcher', body(ctx, chatSchema).text, deskActor(ctx))) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/messages'>;
  });

  router.post('/redirect', contract({ summary: '接警员判定不适用视频快处，告知当事人改用其他处理方式', params: caseIdParams, body: redirectSchema, errors: [409] }), async (ctx) => {
    const c = await deskCase(ctx);
    const updated = await redirectCase(ctx.services, String(c._id), body(ctx, redirectSchema), deskActor(ctx));
    ctx.body = (await view(ctx, updated)) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/redirect'>;
  });

  router.post('/release', contract({ summary: '接警员在信息齐全、核查通过后放行车辆', params: caseIdParams, errors: [409] }), async (ctx) => {
    const c = await deskCase(ctx);
    const updated = await releaseCase(ctx.services, String(c._id), deskActor(ctx));
    ctx.body = (await view(ctx, updated)) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/release'>;
  });

  router.post('/hand-back', contract({ summary: '接警员把案件交回排队，由其他接警员接听', params: caseIdParams, errors: [409] }), async (ctx) => {
    const c = await deskCase(ctx);
    const updated = await handBack(ctx.services, String(c._id), deskActor(ctx), '接警员交回队列');
    ctx.body = (await view(ctx, updated)) satisfies ResponseBody<'POST /api/v1/desk/cases/:id/hand-back'>;
  });

  // Server-sent events: the case on connect and after every change; heartbeats keep the dispatcher
  // "present" on this call (a silent console hands the case back, see sweeper.ts).
  router.get('/stream', contract({ summary: '接警员订阅案件的实时变化（SSE：连接时和每次变化后推送整个案件，附心跳）', params: caseIdParams, responseMediaType: 'text/event-stream' }), async (ctx) => {
    const caseId = String((await deskCase(ctx))._id);
    openStaffStream(ctx, {
      topic: caseTopic(caseId),
      event: 'case',
      snapshot: async () => view(ctx, await loadCase(caseId)),
      markPresent: () => touchPresence(caseId, 'desk', ctx.services.clock()),
      refreshFailed: '案件刷新失败，稍后自动重试',
    });
  });

  return router;
}
