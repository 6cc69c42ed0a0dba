import { casesOnCall, loadCase, transition, presenceOf, isOnCall, queuedBefore } from '../cases';
import { AppError } from '../platform/errors';
import type { CallServices } from './call-services';
import { handBack } from './call.service';

/**
 * Calls nobody is minding. Run every few seconds by every instance: each move is a lifecycle
 * transition, so when two instances sweep the same case one of them wins and the other's 409 is ignored.
 * - everyone silent (phones and console) for CALL_IDLE_SECONDS → `abandoned`, resumable for a while;
 * - the console silent for DESK_SILENCE_SECONDS → back to the head of the queue (`dispatcher_dropped`);
 * - a queued case none of whose phones has asked about it for CALL_IDLE_SECONDS → `abandoned` too: the
 *   drivers have gone (app closed, settled it themselves), and a dispatcher should not call an empty
 *   scene. They can still 继续处理 within the resume window.
 */
export async function sweepCalls(services: CallServices): Promise<{ abandoned: string[]; handedBack: string[] }> {
  const now = services.clock().getTime();
  const { CALL_IDLE_SECONDS, DESK_SILENCE_SECONDS } = services.config;
  const onCall = await casesOnCall();
  const result = { abandoned: [] as string[], handedBack: [] as string[] };
  for (const open of onCall) {
    const caseId = String(open._id);
    try {
      const c = await loadCase(caseId);
      if (!isOnCall(c.state)) continue;
      const seen = await presenceOf(caseId, ['desk', ...c.parties.map((p) => p.label)]);
      // The answer itself counts as a sign of life, so a call is never judged before it could start.
      const since = (who: string) => now - Math.max(seen[who]?.getTime() ?? 0, c.answeredAt?.getTime() ?? 0);
      const everyoneSilent = ['desk', ...c.parties.map((p) => p.label)].every((who) => since(who) > CALL_IDLE_SECONDS * 1000);
      if (everyoneSilent) {
        await transition(caseId, 'time_out', { kind: 'system', id: null }, { reason: '通话无响应', set: { abandonedAt: new Date(now) }, services });
        result.abandoned.push(caseId);
      } else if (since('desk') > DESK_SILENCE_SECONDS * 1000) {
        await handBack(services, caseId, { kind: 'system', id: null }, '接警台连接中断');
        result.handedBack.push(caseId);
      }
    } catch (err) {
      if (err instanceof AppError && err.status === 409) continue;
      services.logger.error({ err, caseId }, 'call sweep failed for a case');
    }
  }
  await sweepUnwatchedQueue(services, now, result);
  return result;
}

async function sweepUnwatchedQueue(services: CallServices, now: number, result: { abandoned: string[] }) {
  const idleMs = services.config.CALL_IDLE_SECONDS * 1000;
  const queued = await queuedBefore(new Date(now - idleMs));
  for (const open of queued) {
    const caseId = String(open._id);
    try {
      const c = await loadCase(caseId);
      if (c.state !== 'queued') continue;
      const labels = c.parties.map((p) => p.label);
      const seen = await presenceOf(caseId, labels);
      const lastSign = Math.max((c.queuedAt ?? c.reportedAt).getTime(), ...labels.map((l) => seen[l]?.getTime() ?? 0));
      if (now - lastSign <= idleMs) continue;
      await transition(caseId, 'time_out', { kind: 'system', id: null }, { reason: '排队中无人等待', set: { abandonedAt: new Date(now) }, services });
      result.abandoned.push(caseId);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) continue;
      services.logger.error({ err, caseId }, 'queue sweep failed for a case');
    }
  }
}
