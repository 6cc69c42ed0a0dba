import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { type Principal, requireRole } from '../auth';
import { deskCase, objectIdSchema } from '../cases';
import { verifyUrl as certificateVerifyUrl } from '../certificates';
import { audit } from '../platform/audit/audit';
import { contract } from '../platform/contract';
import { body } from '../platform/validate';
import { staffDisplayName } from '../staff';
import { decideSchema, scenarioLibrarySchema, scenarioTagsSchema } from './decision.schemas';
import { caseFile, decide, pendingDecisions, tagParty, tagsOf } from './decision.service';
import { currentScenarioLibrary, saveScenarioLibrary } from './scenario-library';
import { issueAndDeliver } from './delivery';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
const caseIdParams = z.object({ id: objectIdSchema });
const staffOf = (ctx: Context) => ctx.state.principal as StaffPrincipal;

/** The public page that verifies a certificate (its QR code opens the same). */
const verifyUrl = (ctx: Context) => (number: string) => certificateVerifyUrl(ctx.services.config, number);

/** The officer's decision desk (待认定), the scenario tags (also from the dispatcher's desk), and the library. */
export function decisionRoutes(): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.get('/decisions/pending', contract({ summary: '民警：本大队待认定的案件列表（ops 看全市）' }), requireRole('officer', 'ops'), async (ctx) => {
    const staff = staffOf(ctx);
    ctx.body = { items: await pendingDecisions(staff.role === 'ops' ? null : staff.brigadeCode) } satisfies ResponseBody<'GET /api/v1/decisions/pending'>;
  });

  router.get('/decisions/cases/:id', contract({ summary: '民警、复核员、ops：一起案件的认定卷宗（当事方、证据、认定与认定书）', params: caseIdParams }), requireRole('officer', 'reviewer', 'ops'), async (ctx) => {
    const c = await deskCase(ctx);
    ctx.body = (await caseFile(ctx.services, c, verifyUrl(ctx))) satisfies ResponseBody<'GET /api/v1/decisions/cases/:id'>;
  });

  router.get('/decisions/cases/:id/tags', contract({ summary: '坐席、民警、复核员、ops：案件各当事方已标注的事故情形', params: caseIdParams }), requireRole('dispatcher', 'officer', 'reviewer', 'ops'), async (ctx) => {
    ctx.body = (await tagsOf(await deskCase(ctx))) satisfies ResponseBody<'GET /api/v1/decisions/cases/:id/tags'>;
  });

  router.put('/decisions/cases/:id/tags', contract({ summary: '坐席、民警：为一方当事人标注事故情形', params: caseIdParams, body: scenarioTagsSchema, errors: [409] }), requireRole('dispatcher', 'officer'), async (ctx) => {
    const input = body(ctx, scenarioTagsSchema);
    const c = await deskCase(ctx);
    const staff = staffOf(ctx);
    ctx.body = (await tagParty(ctx.services, String(c._id), { kind: staff.role === 'officer' ? 'officer' : 'dispatcher', id: staff.id }, input)) satisfies ResponseBody<'PUT /api/v1/decisions/cases/:id/tags'>;
  });

  router.post('/decisions/cases/:id/decision', contract({ summary: '民警：作出责任认定并签发、送达认定书', params: caseIdParams, body: decideSchema, successStatus: 201, errors: [409] }), requireRole('officer'), async (ctx) => {
    const input = body(ctx, decideSchema);
    const c = await deskCase(ctx);
    const staff = staffOf(ctx);
    const decided = await decide(ctx.services, String(c._id), { id: staff.id, name: (await staffDisplayName(staff.id)) ?? staff.username }, input);
    // The decision stands once made; when the certificate cannot be issued now, the sweeper issues it.
    const delivered = await issueAndDeliver(ctx.services, String(decided._id)).catch((err: unknown) => {
      ctx.services.logger.error({ err, caseId: String(decided._id) }, 'certificate not issued yet; the decision sweeper retries');
      return decided;
    });
    ctx.status = 201;
    ctx.body = (await caseFile(ctx.services, delivered, verifyUrl(ctx))) satisfies ResponseBody<'POST /api/v1/decisions/cases/:id/decision'>;
  });

  router.get('/scenarios', contract({ summary: '坐席、民警、复核员、ops：当前的事故情形库' }), requireRole('dispatcher', 'officer', 'reviewer', 'ops'), async (ctx) => {
    ctx.body = (await currentScenarioLibrary()) satisfies ResponseBody<'GET /api/v1/scenarios'>;
  });

  router.put('/admin/scenarios', contract({ summary: 'ops：保存事故情形库的新版本（基于版本号，防止覆盖他人修改）', body: scenarioLibrarySchema, errors: [409] }), requireRole('ops'), async (ctx) => {
    const input = body(ctx, scenarioLibrarySchema);
    const staff = staffOf(ctx);
    const saved = await saveScenarioLibrary(input.scenarios, input.baseRev, staff.username);
    await audit({ actor: { kind: 'staff', id: staff.id, username: staff.username }, action: 'scenario_library.save', target: { kind: 'scenario_library', id: String(saved.rev) }, details: { count: saved.scenarios.length } });
    ctx.body = saved satisfies ResponseBody<'PUT /api/v1/admin/scenarios'>;
  });

  return router;
}
