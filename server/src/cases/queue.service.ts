import type { ActiveCase, OnDutyStaff, QueueItem, QueueResponse, WaitEstimate } from '../../../typings/api/cases';
import type { CaseServices } from './case-services';
import { nearbyPairs, rankQueue, waitedSeconds } from './queue-order';
import { estimateWait } from './wait-estimate';
import { placeLabel } from './place-label';
import { caseNumber } from './case-number';
import { readDesk, sharedDesk, type Desk, type OpenCaseRow } from './desk-reads';

const pointOf = (c: OpenCaseRow) => (typeof c.location?.lat === 'number' && typeof c.location?.lng === 'number' ? { lat: c.location.lat, lng: c.location.lng } : null);

function activeCase(c: OpenCaseRow): ActiveCase {
  return {
    caseId: String(c._id),
    caseNo: caseNumber(c._id),
    state: c.state,
    address: placeLabel(c),
    districtName: c.districtName ?? '',
    location: pointOf(c),
    vehicleCount: c.vehicleCount ?? 0,
    plates: c.plates,
    answeredAt: c.answeredAt ? c.answeredAt.toISOString() : null,
    answeredBy: c.answeredBy?.id ? { id: c.answeredBy.id, name: c.answeredBy.name ?? '' } : null,
  };
}

/**
 * A brigade's live queue as the console shows it (every brigade's for ops): the waiting cases in
 * order, the ones on a call, who is on duty and the day's figures.
 */
export async function brigadeQueue(services: CaseServices, brigadeCode: string | null): Promise<QueueResponse> {
  const now = services.clock();
  const { NEARBY_CASES_M, REQUEUE_PRIORITY_SECONDS } = services.config;
  const { brigade, cases, onCall, people, day } = await sharedDesk(services, brigadeCode, now);
  const ranked = rankQueue(cases, now, REQUEUE_PRIORITY_SECONDS);
  const nearby = nearbyPairs(ranked, NEARBY_CASES_M);
  const items: QueueItem[] = ranked.map((c, i) => ({
    caseId: String(c._id),
    caseNo: caseNumber(c._id),
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
    location: pointOf(c),
  }));
  const active = onCall.map(activeCase);
  const busyWith = new Map(active.filter((a) => a.answeredBy).map((a) => [a.answeredBy!.id, { caseId: a.caseId, caseNo: a.caseNo }]));
  const onDuty: OnDutyStaff[] = people.map((p) => ({ id: p.id, name: p.name, role: p.role, onCall: busyWith.get(p.id) ?? null }));
  return {
    brigade: brigade ? { code: brigade.code, name: brigade.name } : null,
    items,
    serverTime: now.toISOString(),
    dispatchersOnDuty: onDuty.length,
    onDuty,
    active,
    today: { ...day, waiting: cases.length },
  };
}

/** Where one queued case stands and how long it will honestly take. */
export async function waitEstimateFor(services: CaseServices, caseId: string, brigadeCode: string): Promise<WaitEstimate | null> {
  const { REQUEUE_PRIORITY_SECONDS, DEFAULT_HANDLING_SECONDS, WAIT_ALTERNATIVES_SECONDS } = services.config;
  const now = services.clock();
  const rank = (desk: Desk) => rankQueue(desk.cases, now, REQUEUE_PRIORITY_SECONDS).findIndex((c) => String(c._id) === caseId);
  let desk = await sharedDesk(services, brigadeCode, now);
  let index = rank(desk);
  // A shared read that began before this case was queued does not have it: read for it alone.
  if (index < 0) index = rank((desk = await readDesk(services, brigadeCode, now)));
  if (index < 0) return null;
  return estimateWait({
    position: index + 1,
    dispatchersOnDuty: desk.people.length,
    callsInProgress: desk.onCall.length,
    recentHandlingSeconds: desk.recent,
    defaultHandlingSeconds: DEFAULT_HANDLING_SECONDS,
    alternativesAfterSeconds: WAIT_ALTERNATIVES_SECONDS,
  });
}
