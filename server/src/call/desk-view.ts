import type { StaffCaseView } from '../../../typings/api/call';
import { findBrigade } from '../brigades';
import { presenceOf, type CaseSnapshot } from '../cases';
import type { PlatformServices } from '../platform/services';
import { messagesOf } from './chat';
import { staffCaseView } from './views';

/** The case as the desk sees it: the call's view with who is present, the brigade, and the chat. */
export async function deskCaseView(services: Pick<PlatformServices, 'clock'>, c: CaseSnapshot): Promise<StaffCaseView> {
  const caseId = String(c._id);
  const [seen, brigade, messages] = await Promise.all([presenceOf(caseId, c.parties.map((p) => p.label)), c.brigadeCode ? findBrigade(c.brigadeCode) : null, messagesOf(caseId)]);
  return staffCaseView(c, services.clock(), seen, brigade, messages);
}
