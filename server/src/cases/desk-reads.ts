import { findBrigade } from '../brigades';
import { onDutyStaff } from '../staff';
import { sharedReads } from '../platform/cache/shared-reads';
import type { PubSub } from '../platform/pubsub/pubsub';
import type { CaseServices } from './case-services';
import { queueTopic, type CaseChanged } from './case-notifications';
import { OpenCase } from './open-case.model';
import { recentHandlingSeconds } from './handling-times';
import { ON_CALL_STATES } from './lifecycle';
import { deskToday } from './desk-day';

/** Handling times older than this say little about today's desk. */
const HANDLING_LOOKBACK_DAYS = 14;

/** The brigade's open cases (null: the city's), oldest report first: the queue and the calls are both in it. */
async function openCases(brigadeCode: string | null) {
  return OpenCase.find(brigadeCode ? { brigadeCode } : {}).sort({ reportedAt: 1 }).limit(2000).lean();
}

export type OpenCaseRow = Awaited<ReturnType<typeof openCases>>[number];

const answeredAtMs = (c: OpenCaseRow) => c.answeredAt?.getTime() ?? 0;

/** What changes with every case event: the queue, the calls, the day's figures. */
async function readCasesPart(brigadeCode: string | null, now: Date) {
  const [open, day] = await Promise.all([openCases(brigadeCode), deskToday(brigadeCode, now)]);
  const onCallStates: readonly string[] = ON_CALL_STATES;
  return {
    cases: open.filter((c) => c.state === 'queued'),
    onCall: open.filter((c) => onCallStates.includes(c.state)).sort((a, b) => answeredAtMs(a) - answeredAtMs(b)),
    day,
  };
}

/** What changes with the people: who is on duty, the recent handling times (a release adds one). */
async function readPeoplePart(services: CaseServices, brigadeCode: string | null, now: Date) {
  const since = new Date(now.getTime() - HANDLING_LOOKBACK_DAYS * 86400_000);
  const [people, recent] = await Promise.all([
    onDutyStaff(brigadeCode, now, services.config.ON_DUTY_WINDOW_SECONDS),
    brigadeCode ? recentHandlingSeconds(brigadeCode, since) : [],
  ]);
  return { people, recent };
}

/** A brigade's desk as read at one moment: what its queue and its wait estimates are made from. */
export async function readDesk(services: CaseServices, brigadeCode: string | null, now: Date) {
  const [brigade, cases, people] = await Promise.all([
    brigadeCode ? findBrigade(brigadeCode) : null,
    readCasesPart(brigadeCode, now),
    readPeoplePart(services, brigadeCode, now),
  ]);
  return { brigade, ...cases, ...people };
}
export type Desk = Awaited<ReturnType<typeof readDesk>>;

/**
 * Per process: each brigade's desk as read lately, in two parts. Every waiting phone polls every 5 s
 * and every console re-reads on each change, all of one brigade asking for the same small reads
 * (measured the costliest part of `npm run load`): a read is shared for CASES_KEEP_MS / PEOPLE_KEEP_MS. Any change to
 * one of the brigade's cases forgets its cases part at once, here (open_cases is written) and on the
 * other instances (the queue hint they already receive); the people part is forgotten when someone
 * comes on duty here or a release adds a handling time, and lags by PEOPLE_KEEP_MS on another instance.
 */
const CASES_KEEP_MS = 1_000;
/** On-duty marks are written every 10 s and count for 90 s: a few seconds' lag changes no estimate. */
const PEOPLE_KEEP_MS = 5_000;
const casesParts = sharedReads<Awaited<ReturnType<typeof readCasesPart>>>({ keepMs: CASES_KEEP_MS, maxKeys: 1000 });
const peopleParts = sharedReads<Awaited<ReturnType<typeof readPeoplePart>>>({ keepMs: PEOPLE_KEEP_MS, maxKeys: 1000 });
const deskKey = (brigadeCode: string | null) => brigadeCode ?? '*';

export async function sharedDesk(services: CaseServices, brigadeCode: string | null, now: Date): Promise<Desk> {
  const key = deskKey(brigadeCode);
  // The brigade has its own shared read (brigades module), forgotten on an ops edit.
  const [brigade, cases, people] = await Promise.all([
    brigadeCode ? findBrigade(brigadeCode) : null,
    casesParts.read(key, () => readCasesPart(brigadeCode, now), now),
    peopleParts.read(key, () => readPeoplePart(services, brigadeCode, now), now),
  ]);
  return { brigade, ...cases, ...people };
}

/** A change to a brigade's cases: its desk (and the all-brigades desk of ops) is read afresh. */
export function forgetDesk(brigadeCode: string | null | undefined, part: 'cases' | 'people' | 'both' = 'cases'): void {
  for (const parts of part === 'both' ? [casesParts, peopleParts] : [part === 'cases' ? casesParts : peopleParts]) {
    if (brigadeCode === undefined) parts.forget();
    else {
      parts.forget(deskKey(brigadeCode));
      parts.forget(deskKey(null));
    }
  }
}

/** Wired once per process: the queue hints other instances publish (a resync clears every desk). */
export function listenForDeskChanges(pubsub: PubSub): () => void {
  return pubsub.subscribe(queueTopic(null), (message) => {
    const change = (message ?? {}) as Partial<CaseChanged>;
    if (change.queue === false) return; // a change the queue does not show (a photo request, the recording)
    const brigadeCode = typeof change.brigadeCode === 'string' || change.brigadeCode === null ? change.brigadeCode : undefined;
    forgetDesk(brigadeCode, change.event === 'release' || brigadeCode === undefined ? 'both' : 'cases');
  });
}
