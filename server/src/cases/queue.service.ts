import type { QueueItem, QueueResponse, WaitEstimate } from '../../../typings/api/cases';
import { findBrigade } from '../brigades';
import type { CaseServices } from './case-services';
import { countOnDuty } from '../staff';
import { OpenCase } from './open-case.model';
import { recentHandlingSeconds } from './handling-times';
import { nearbyPairs, rankQueue, waitedSeconds } from './queue-order';
import { ON_CALL_STATES } from './lifecycle';
import { estimateWait } from './wait-estimate';
import { placeLabel } from './place-label';

/** Handling times older than this say little about today's desk. */
const HANDLING_LOOKBACK_DAYS = 14;

async function queuedCases(brigadeCode: string | null) {
  return OpenCase.find(brigadeCode ? { state: 'queued', brigadeCode } : { state: 'queued' }).sort({ reportedAt: 1 }).limit(500).lean();
}

/** A brigade's live queue as the console shows it (every brigade's for ops). */
export async function brigadeQueue(services: CaseServices, brigadeCode: string | null): Promise<QueueResponse> {
  const now = services.clock();
  const { NEARBY_CASES_M, REQUEUE_PRIORITY_SECONDS, ON_DUTY_WINDOW_SECONDS } = services.config;
  const [brigade, cases, onDuty] = await Promise.all([
    brigadeCode ? findBrigade(brigadeCode) : null,
    queuedCases(brigadeCode),
    brigadeCode ? countOnDuty(brigadeCode, now, ON_DUTY_WINDOW_SECONDS) : Promise.resolve(0),
  ]);
  const ranked = rankQueue(cases, now, REQUEUE_PRIORITY_SECONDS);
  const nearby = nearbyPairs(ranked, NEARBY_CASES_M);
  const items: QueueItem[] = ranked.map((c, i) => ({
    caseId: String(c._id),
    state: c.state,
    createdAt: c.reportedAt.toISOString(),
    waitingSeconds: waitedSeconds(c, now),
    districtName: c.districtName ?? '',
    address: placeLabel(c),
    vehicleCount: c.vehicleCount ?? 0,
    plates: c.plates,
    position: i + 1,
    nearby: (nearby.get(c) ?? []).map(({ c: other, metres }) => ({ caseId: String(other._id), distanceM: Math.round(metres) })),
    requeued: Boolean(c.requeued),
  }));
  return { brigade: brigade ? { code: brigade.code, name: brigade.name } : null, items, serverTime: now.toISOString(), dispatchersOnDuty: onDuty };
}

/** Where one queued case stands and how long it will honestly take. */
export async function waitEstimateFor(services: CaseServices, caseId: string, brigadeCode: string): Promise<WaitEstimate | null> {
  const now = services.clock();
  const { REQUEUE_PRIORITY_SECONDS, ON_DUTY_WINDOW_SECONDS, DEFAULT_HANDLING_SECONDS, WAIT_ALTERNATIVES_SECONDS } = services.config;
  const since = new Date(now.getTime() - HANDLING_LOOKBACK_DAYS * 86400_000);
  const [cases, onDuty, inCall, recent] = await Promise.all([
    queuedCases(brigadeCode),
    countOnDuty(brigadeCode, now, ON_DUTY_WINDOW_SECONDS),
    OpenCase.countDocuments({ brigadeCode, state: { $in: [...ON_CALL_STATES] } }),
    recentHandlingSeconds(brigadeCode, since),
  ]);
  const index = rankQueue(cases, now, REQUEUE_PRIORITY_SECONDS).findIndex((c) => String(c._id) === caseId);
  if (index < 0) return null;
  return estimateWait({
    position: index + 1,
    dispatchersOnDuty: onDuty,
    callsInProgress: inCall,
    recentHandlingSeconds: recent,
    defaultHandlingSeconds: DEFAULT_HANDLING_SECONDS,
    alternativesAfterSeconds: WAIT_ALTERNATIVES_SECONDS,
  });
}
