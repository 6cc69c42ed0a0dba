import { conflict, notFound } from '../platform/errors';
import { isDuplicateKey } from '../platform/database';
import type { CalendarHoliday } from '../../../typings/api/eligibility';
import { DEFAULT_CALENDAR, type ServiceCalendar, type Suspension } from './hours';
import { withShippedHolidays } from './holidays';
import { ServiceCalendarRevision, ServiceSuspension } from './service-calendar.model';
import type { WorkingDayCalendar } from './working-days';

export interface CalendarWithRev extends ServiceCalendar {
  rev: number;
  /** Public holidays and make-up working days: the shipped schedule until ops change it. */
  holidays: CalendarHoliday[];
}

/** The newest calendar revision, or the default (rev 0) before ops have changed anything. */
export async function currentCalendar(): Promise<CalendarWithRev> {
  const latest = await ServiceCalendarRevision.findOne().sort({ rev: -1 }).lean();
  if (!latest) return { ...DEFAULT_CALENDAR, rev: 0, holidays: withShippedHolidays(undefined) };
  return {
    rev: latest.rev,
    opensAt: latest.opensAt,
    closesAt: latest.closesAt,
    trialStartsOn: latest.trialStartsOn,
    launchOn: latest.launchOn,
    exceptions: latest.exceptions.map((e) => ({
      date: e.date,
      closed: e.closed,
      reason: e.reason,
      ...(e.opensAt ? { opensAt: e.opensAt } : {}),
      ...(e.closesAt ? { closesAt: e.closesAt } : {}),
    })),
    holidays: withShippedHolidays(latest.holidays?.map((h) => ({ date: h.date, kind: h.kind as CalendarHoliday['kind'], name: h.name }))),
  };
}

/** The working-day calendar in force, for the 复核 deadline (reviewDeadline in working-days.ts). */
export async function currentWorkingDayCalendar(): Promise<WorkingDayCalendar> {
  return { holidays: (await currentCalendar()).holidays };
}

/**
 * Saves a new calendar on top of `basedOnRev`; 409 when someone saved another one meanwhile. Without
 * `holidays` (a client that predates them) the holidays in force are kept, written out in full.
 */
export async function saveCalendar(calendar: ServiceCalendar & { holidays?: CalendarHoliday[] }, basedOnRev: number, by: string): Promise<CalendarWithRev> {
  const current = await currentCalendar();
  if (current.rev !== basedOnRev) throw conflict('服务日历已被他人修改，请刷新后再改');
  const holidays = calendar.holidays ?? current.holidays;
  try {
    await ServiceCalendarRevision.create({ ...calendar, holidays, rev: basedOnRev + 1, changedBy: by, changedAt: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict('服务日历已被他人修改，请刷新后再改');
    throw err;
  }
  return currentCalendar();
}

/** The suspensions in force at `now` (the server's clock): not lifted, begun, not yet past their `until`. */
export async function activeSuspensions(now: Date): Promise<(Suspension & { id: string; createdBy: string })[]> {
  const rows = await ServiceSuspension.find({ liftedAt: null, since: { $lte: now } }).sort({ since: 1 }).lean();
  return rows
    .filter((s) => !s.until || s.until > now)
    .map((s) => ({ id: String(s._id), brigadeCode: s.brigadeCode ?? null, reason: s.reason, since: s.since, until: s.until ?? null, createdBy: s.createdBy }));
}

/**
 * Stops the service from `now` — the server's clock, the same one every check reads, so the very next
 * check sees it (a wall-clock `since` later than that clock would not be in force yet).
 */
export async function suspend(input: { brigadeCode: string | null; reason: string; until: Date | null }, by: string, now: Date) {
  const created = await ServiceSuspension.create({ ...input, since: now, createdBy: by });
  return String(created._id);
}

export async function lift(id: string, by: string): Promise<void> {
  const result = await ServiceSuspension.updateOne({ _id: id, liftedAt: null }, { $set: { liftedAt: new Date(), liftedBy: by } });
  if (result.matchedCount === 0) throw notFound('该暂停不存在或已解除');
}
