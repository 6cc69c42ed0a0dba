import { AppError } from '../platform/errors';
import { deliveredPastDeadline, determinedBefore, transition } from '../cases';
import { issueAndDeliver, type DeliveryServices } from './delivery';

/** A decision whose certificate is not out after this long was interrupted: the sweeper finishes it. */
const UNDELIVERED_AFTER_MS = 60_000;

/**
 * Finishes what a stopped process left (decided but not delivered) and closes cases whose 复核 window
 * passed without an application. Idempotent, and safe on every instance at once: the table's rows let
 * one close win, and delivery stands once made.
 */
export async function sweepDecisions(services: DeliveryServices): Promise<{ delivered: string[]; closed: string[] }> {
  const now = services.clock();
  const result = { delivered: [] as string[], closed: [] as string[] };
  for (const c of await determinedBefore(new Date(now.getTime() - UNDELIVERED_AFTER_MS))) {
    try {
      if ((await issueAndDeliver(services, String(c._id))).state === 'delivered') result.delivered.push(String(c._id));
    } catch (err) {
      services.logger.error({ err, caseId: String(c._id) }, 'certificate delivery failed; retried at the next sweep');
    }
  }
  for (const c of await deliveredPastDeadline(now)) {
    try {
      await transition(String(c._id), 'close', { kind: 'system', id: null }, { reason: '复核期限届满，未申请复核', services });
      result.closed.push(String(c._id));
    } catch (err) {
      if (err instanceof AppError && err.status === 409) continue;
      services.logger.error({ err, caseId: String(c._id) }, 'closing after the review window failed');
    }
  }
  return result;
}
