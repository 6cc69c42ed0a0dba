import { conflict, notFound } from '../platform/errors';
import { isDuplicateKey } from '../platform/database';
import { DEFAULT_CALENDAR, type ServiceCalendar, type Suspension } from './hours';
import { ServiceCalendarRevision, ServiceSuspension } from './service-calendar.model';

export interface CalendarWithRev extends ServiceCalendar {
  rev: number;
}

/** The newest calendar revision, or the default (rev 0) before ops have changed anything. */
export async function currentCalendar(): Promise<CalendarWithRev> {
  const latest = await ServiceCalendarRevision.findOne().sort({ rev: -1 }).lean();
  if (!latest) return { ...DEFAULT_CALENDAR, rev: 0 };
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
  };
}

/** Saves a new calendar on top of `basedOnRev`; 409 when someone saved another one meanwhile. */
export async function saveCalendar(calendar: ServiceCalendar, basedOnRev: number, by: string): Promise<CalendarWithRev> {
  const current = await currentCalendar();
  if (current.rev !== basedOnRev) throw conflict('服务日历已被他人修改，请刷新后再改');
  try {
    await ServiceCalendarRevision.create({ ...calendar, rev: basedOnRev + 1, changedBy: by, changedAt: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict('服务日历已被他人修改，请刷新后再改');
    throw err;
  }
  return currentCalendar();
}

export async function activeSuspensions(now = new Date()): Promise<(Suspension & { id: string })[]> {
  const rows = await ServiceSuspension.find({ liftedAt: null, since: { $lte: now } }).sort({ since: 1 }).lean();
  return rows
    .filter((s) => !s.until || s.until > now)
    .map((s) => ({ id: String(s._id), brigadeCode: s.brigadeCode ?? null, reason: s.reason, since: s.since, until: s.until ?? null }));
}

export async function suspend(input: { brigadeCode: string | null; reason: string; until: Date | null }, by: string) {
  const created = await ServiceSuspension.create({ ...input, since: new Date(), createdBy: by });
  return String(created._id);
}

export async function lift(id: string, by: string): Promise<void> {
  const result = await ServiceSuspension.updateOne({ _id: id, liftedAt: null }, { $set: { liftedAt: new Date(), liftedBy: by } });
  if (result.matchedCount === 0) throw notFound('该暂停不存在或已解除');
}
