import Router from '@koa/router';
import type { Context } from 'koa';
import type { ResponseBody } from '../../../typings/api/endpoints';
import { type Principal, requireRole } from '../auth';
import { deskCase } from '../cases';
import { verifyUrl as certificateVerifyUrl } from '../certificates';
import { audit } from '../platform/audit/audit';
import { body } from '../platform/validate';
import { staffDisplayName } from '../staff';
import { decideSchema, scenarioLibrarySchema, scenarioTagsSchema } from './decision.schemas';
import { caseFile, decide, pendingDecisions, tagParty, tagsOf } from './decision.service';
import { currentScenarioLibrary, saveScenarioLibrary } from './scenario-library';
import { issueAndDeliver } from './delivery';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
const staffOf = (ctx: Context) => ctx.state.principal as StaffPrincipal;

/** The public page that verifies a certificate (its QR code opens the same). */
const verifyUrl = (ctx: Context) => (number: string) => certificateVerifyUrl(ctx.services.config, number);

/** The officer's decision desk (待认定), the scenario tags (also from the dispatcher's desk), and the library. */
export function decisionRoutes(): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.get('/decisions/pending', requireRole('officer', 'ops'), async (ctx) => {
    const staff = staffOf(ctx);
    ctx.body = { items: await pendingDecisions(staff.role === 'ops' ? null : staff.brigadeCode) } satisfies ResponseBody<'GET /api/v1/decisions/pending'>;
  });

  router.get('/decisions/cases/:id', requireRole('officer', 'reviewer', 'ops'), async (ctx) => {
    const c = await deskCase(ctx);
    ctx.body = (await caseFile(ctx.services, c, verifyUrl(ctx))) satisfies ResponseBody<'GET /api/v1/decisions/cases/:id'>;
  });

  router.get('/decisions/cases/:id/tags', requireRole('dispatcher', 'officer', 'reviewer', 'ops'), async (ctx) => {
    ctx.body = (await tagsOf(await deskCase(ctx))) satisfies ResponseBody<'GET /api/v1/decisions/cases/:id/tags'>;
  });

  router.put('/decisions/cases/:id/tags', requireRole('dispatcher', 'officer'), async (ctx) => {
    const input = body(ctx, scenarioTagsSchema);
    const c = await deskCase(ctx);
    const staff = staffOf(ctx);
    ctx.body = (await tagParty(ctx.services, String(c._id), { kind: staff.role === 'officer' ? 'officer' : 'dispatcher', id: staff.id }, input)) satisfies ResponseBody<'PUT /api/v1/decisions/cases/:id/tags'>;
  });

  router.post('/decisions/cases/:id/decision', requireRole('officer'), async (ctx) => {
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

  router.get('/scenarios', requireRole('dispatcher', 'officer', 'reviewer', 'ops'), async (ctx) => {
    ctx.body = (await currentScenarioLibrary()) satisfies ResponseBody<'GET /api/v1/scenarios'>;
  });

  router.put('/admin/scenarios', requireRole('ops'), async (ctx) => {
    const input = body(ctx, scenarioLibrarySchema);
    const staff = staffOf(ctx);
    const saved = await saveScenarioLibrary(input.scenarios, input.baseRev, staff.username);
    await audit({ actor: { kind: 'staff', id: staff.id, username: staff.username }, action: 'scenario_library.save', target: { kind: 'scenario_library', id: String(saved.rev) }, details: { count: saved.scenarios.length } });
    ctx.body = saved satisfies ResponseBody<'PUT /api/v1/admin/scenarios'>;
  });

  return router;
}
