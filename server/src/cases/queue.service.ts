import type { ActiveCase, OnDutyStaff, QueueItem, QueueResponse, WaitEstimate } from '../../../typings/api/cases';
import { findBrigade } from '../brigades';
import type { CaseServices } from './case-services';
import { countOnDuty, onDutyStaff } from '../staff';
import { OpenCase } from './open-case.model';
import { recentHandlingSeconds } from './handling-times';
import { nearbyPairs, rankQueue, waitedSeconds } from './queue-order';
import { ON_CALL_STATES } from './lifecycle';
import { estimateWait } from './wait-estimate';
import { placeLabel } from './place-label';
import { caseNumber } from './case-number';
import { deskToday } from './desk-day';

/** Handling times older than this say little about today's desk. */
const HANDLING_LOOKBACK_DAYS = 14;

async function queuedCases(brigadeCode: string | null) {
  return OpenCase.find(brigadeCode ? { state: 'queued', brigadeCode } : { state: 'queued' }).sort({ reportedAt: 1 }).limit(500).lean();
}

async function casesOnCall(brigadeCode: string | null) {
  return OpenCase.find({ ...(brigadeCode ? { brigadeCode } : {}), state: { $in: [...ON_CALL_STATES] } }).sort({ answeredAt: 1 }).limit(500).lean();
}

type OpenCaseRow = Awaited<ReturnType<typeof queuedCases>>[number];

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
 * order, the ones on a call, who is on duty and the day's figures. Recomputed on every change for
 * every open console, so each part is one read of a small set (open cases, presence, today's copies).
 */
export async function brigadeQueue(services: CaseServices, brigadeCode: string | null): Promise<QueueResponse> {
  const now = services.clock();
  const { NEARBY_CASES_M, REQUEUE_PRIORITY_SECONDS, ON_DUTY_WINDOW_SECONDS } = services.config;
  const [brigade, cases, onCall, people, day] = await Promise.all([
    brigadeCode ? findBrigade(brigadeCode) : null,
    queuedCases(brigadeCode),
    casesOnCall(brigadeCode),
    onDutyStaff(brigadeCode, now, ON_DUTY_WINDOW_SECONDS),
    deskToday(brigadeCode, now),
  ]);
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

/** What a brigade's wait estimates are made from: the same for every case of its queue. */
async function waitInputs(services: CaseServices, brigadeCode: string) {
  const now = services.clock();
  const { ON_DUTY_WINDOW_SECONDS } = services.config;
  const since = new Date(now.getTime() - HANDLING_LOOKBACK_DAYS * 86400_000);
  const [cases, onDuty, inCall, recent] = await Promise.all([
    queuedCases(brigadeCode),
    countOnDuty(brigadeCode, now, ON_DUTY_WINDOW_SECONDS),
    OpenCase.countDocuments({ brigadeCode, state: { $in: [...ON_CALL_STATES] } }),
    recentHandlingSeconds(brigadeCode, since),
  ]);
  return { now, cases, onDuty, inCall, recent };
}

/**
 * Per process: a brigade's wait inputs being read now. Every waiting phone polls every few seconds,
 * each poll read the whole queue and three counts (measured the costliest part of the polls under
 * `npm run load`); polls of one brigade that arrive while a read is under way share it. Nothing is kept
 * after it: a poll that arrives later reads afresh.
 */
const readingWaitInputs = new Map<string, ReturnType<typeof waitInputs>>();

function sharedWaitInputs(services: CaseServices, brigadeCode: string): ReturnType<typeof waitInputs> {
  let reading = readingWaitInputs.get(brigadeCode);
  if (!reading) {
    reading = waitInputs(services, brigadeCode).finally(() => readingWaitInputs.delete(brigadeCode));
    readingWaitInputs.set(brigadeCode, reading);
  }
  return reading;
}

/** Where one queued case stands and how long it will honestly take. */
export async function waitEstimateFor(services: CaseServices, caseId: string, brigadeCode: string): Promise<WaitEstimate | null> {
  const { REQUEUE_PRIORITY_SECONDS, DEFAULT_HANDLING_SECONDS, WAIT_ALTERNATIVES_SECONDS } = services.config;
  const rank = (inputs: Awaited<ReturnType<typeof waitInputs>>) => rankQueue(inputs.cases, inputs.now, REQUEUE_PRIORITY_SECONDS).findIndex((c) => String(c._id) === caseId);
  let inputs = await sharedWaitInputs(services, brigadeCode);
  let index = rank(inputs);
  // A shared read that began before this case was queued does not have it: read for it alone.
  if (index < 0) index = rank((inputs = await waitInputs(services, brigadeCode)));
  if (index < 0) return null;
  const { onDuty, inCall, recent } = inputs;
  return estimateWait({
    position: index + 1,
    dispatchersOnDuty: onDuty,
    callsInProgress: inCall,
    recentHandlingSeconds: recent,
    defaultHandlingSeconds: DEFAULT_HANDLING_SECONDS,
    alternativesAfterSeconds: WAIT_ALTERNATIVES_SECONDS,
  });
}
