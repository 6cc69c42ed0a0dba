import { DateTime } from 'luxon';
import type { DeskToday } from '../../../typings/api/cases';
import { isDuplicateKey } from '../platform/database';
import { SERVICE_TIME_ZONE } from '../platform/time';
import type { CaseSnapshot } from './case-change';
import { DeskDayCase } from './desk-day.model';
import { isOnCall } from './lifecycle';

/** Copies older than this are dropped: "today" needs a day, the margin covers a late clock. */
const DESK_DAY_KEEP_DAYS = 3;
/** Pruning is a scan on FerretDB: at most once an hour per process. */
const PRUNE_EVERY_MS = 3600_000;
/** The service level's target: answer → release within 5 minutes. */
export const SERVICE_TARGET_SECONDS = 300;

let lastPruneAt = 0;

/** Brings the case's copy in line after a state change. Idempotent, safe out of order (rev-guarded). */
export async function syncDeskDay(c: CaseSnapshot): Promise<void> {
  if (c.state === 'draft') return;
  const now = Date.now();
  const copy = {
    rev: c.rev,
    state: c.state,
    brigadeCode: c.brigadeCode ?? null,
    reportedAt: c.reportedAt,
    answeredAt: c.answeredAt ?? null,
    releasedAt: c.releasedAt ?? null,
    handlingSeconds: c.handlingSeconds ?? null,
    syncedAt: new Date(now),
  };
  try {
    await DeskDayCase.replaceOne({ _id: c._id, rev: { $lt: c.rev } }, copy, { upsert: true });
  } catch (err) {
    // A newer copy is already there.
    if (!isDuplicateKey(err)) throw err;
  }
  if (now - lastPruneAt >= PRUNE_EVERY_MS) {
    lastPruneAt = now;
    await DeskDayCase.deleteMany({ syncedAt: { $lt: new Date(now - DESK_DAY_KEEP_DAYS * 86400_000) } });
  }
}

/** The Asia/Shanghai calendar day `now` falls in, as [start, end). */
export function shanghaiDay(now: Date): { date: string; start: Date; end: Date } {
  const start = DateTime.fromJSDate(now, { zone: SERVICE_TIME_ZONE }).startOf('day');
  return { date: start.toISODate()!, start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
}

/**
 * Today's figures for a brigade (null: the city), by the statistics page's definitions: the cases
 * reported today and what became of them. `waiting` is the live queue's, which the caller has.
 */
export async function deskToday(brigadeCode: string | null, now: Date): Promise<Omit<DeskToday, 'waiting'>> {
  const day = shanghaiDay(now);
  const rows = await DeskDayCase.find(
    { ...(brigadeCode ? { brigadeCode } : {}), reportedAt: { $gte: day.start, $lt: day.end } },
    { state: 1, answeredAt: 1, releasedAt: 1, handlingSeconds: 1 },
  ).lean();
  const answered = rows.filter((r) => r.answeredAt);
  const ended = answered.filter((r) => !isOnCall(r.state));
  const within = ended.filter((r) => r.releasedAt && typeof r.handlingSeconds === 'number' && r.handlingSeconds <= SERVICE_TARGET_SECONDS);
  return {
    date: day.date,
    reported: rows.length,
    answered: answered.length,
    released: rows.filter((r) => r.releasedAt).length,
    serviceLevel: { targetSeconds: SERVICE_TARGET_SECONDS, eligible: ended.length, releasedWithin: within.length, share: ended.length > 0 ? within.length / ended.length : null },
  };
}
