import type { Context } from 'koa';
import type { Principal } from '../auth';
import { loadCase, type CaseSnapshot } from './case-revisions';
import { Case } from './case.model';
import { objectIdSchema } from './case.schemas';
import { notFound } from '../platform/errors';
import { parseWith } from '../platform/validate';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

/**
 * The case a signed-in driver is a party to, and their label ('A', 'B', 'C'). Anyone else's case
 * does not exist for them (404, not 403: no probing for case ids).
 */
export async function partyCase(ctx: Context, rawId: unknown = ctx.params.id): Promise<{ snapshot: CaseSnapshot; party: string }> {
  const id = parseWith(objectIdSchema, rawId);
  const driverId = ctx.state.principal.id;
  if (!(await Case.exists({ _id: id, 'parties.driverId': driverId }))) throw notFound('案件不存在');
  const snapshot = await loadCase(id);
  const party = snapshot.parties.find((p) => String(p.driverId) === driverId);
  if (!party) throw notFound('案件不存在');
  return { snapshot, party: party.label };
}

/** A case of the signed-in dispatcher's or officer's brigade (ops and the city's reviewers: any brigade). */
export async function deskCase(ctx: Context, rawId: unknown = ctx.params.id): Promise<CaseSnapshot> {
  const id = parseWith(objectIdSchema, rawId);
  const principal = ctx.state.principal as StaffPrincipal;
  // loadCase answers 404 itself for a case that does not exist; any other failure (the database down) is not a 404.
  const snapshot = await loadCase(id);
  const cityWide = principal.role === 'ops' || (principal.role === 'reviewer' && !principal.brigadeCode);
  if (!cityWide && snapshot.brigadeCode !== principal.brigadeCode) throw notFound('案件不存在');
  return snapshot;
}
