import { DateTime } from 'luxon';
import type { RuleVerdict } from '../../../typings/api/eligibility';
import { SERVICE_TIME_ZONE } from '../platform/time';

/**
 * Rule: the service answers every day 07:30–19:30 Beijing time (opening minute included, closing minute
 * not: at 19:30 it has closed), from the trial-run start, with exceptions ops set per day, and not while
 * it is suspended (fog, storm, low light: remote handling is unsafe, an officer is sent instead).
 */
export interface ServiceCalendar {
  /** "HH:mm", Beijing time. */
  opensAt: string;
  closesAt: string;
  /** YYYY-MM-DD: first day of the trial run (earlier days are closed). */
  trialStartsOn: string;
  /** YYYY-MM-DD: official launch (informational; the service is open from the trial start). */
  launchOn: string;
  exceptions: CalendarException[];
}

export interface CalendarException {
  /** YYYY-MM-DD */
  date: string;
  closed: boolean;
  opensAt?: string;
  closesAt?: string;
  reason: string;
}

export interface Suspension {
  /** null: the whole city. */
  brigadeCode: string | null;
  reason: string;
  since: Date;
  /** null: until lifted by hand. */
  until: Date | null;
}

export const DEFAULT_CALENDAR: ServiceCalendar = {
  opensAt: '07:30',
  closesAt: '19:30',
  trialStartsOn: '2026-05-28',
  launchOn: '2026-06-01',
  exceptions: [],
};

const ALTERNATIVES: RuleVerdict['alternatives'] = ['call_122', 'photo_quick_handling', 'self_settlement'];

export function checkHours(now: Date, calendar: ServiceCalendar, suspensions: Suspension[], brigadeCode: string | null): RuleVerdict {
  const suspension = suspensions.find(
    (s) => (s.brigadeCode === null || s.brigadeCode === brigadeCode) && s.since <= now && (s.until === null || now < s.until),
  );
  if (suspension) {
    return {
      ok: false,
      code: 'SUSPENDED',
      reason: `因${suspension.reason}，视频快处暂停服务，请拨打 122，交警将到现场处理`,
      alternatives: ['call_122', 'officer_on_scene'],
      nextOpenAt: suspension.until ? suspension.until.toISOString() : null,
    };
  }
  const local = DateTime.fromJSDate(now, { zone: SERVICE_TIME_ZONE });
  const today = openingOn(local.toISODate()!, calendar);
  if (today && local >= today.opens && local < today.closes) return { ok: true, code: 'OPEN', reason: '服务时间内', alternatives: [] };

  const next = nextOpening(local, calendar);
  const when = next ? describe(next, local) : '';
  const notYet = local.toISODate()! < calendar.trialStartsOn;
  return {
    ok: false,
    code: notYet ? 'NOT_YET_OPEN' : 'OUTSIDE_HOURS',
    reason: notYet
      ? `视频快处将于 ${calendar.trialStartsOn} 起试运行，现在请拨打 122 或使用拍照快处、自行协商`
      : `视频快处服务时间为每天 ${calendar.opensAt}–${calendar.closesAt}，现在不在服务时间${when ? `，${when}恢复服务` : ''}。可拨打 122、使用拍照快处或自行协商`,
    alternatives: ALTERNATIVES,
    nextOpenAt: next ? next.toUTC().toISO() : null,
  };
}

/** The opening hours of one Beijing date, or null when the service is closed that day. */
function openingOn(date: string, calendar: ServiceCalendar): { opens: DateTime; closes: DateTime } | null {
  if (date < calendar.trialStartsOn) return null;
  const exception = calendar.exceptions.find((e) => e.date === date);
  if (exception?.closed) return null;
  const at = (hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone: SERVICE_TIME_ZONE });
  return { opens: at(exception?.opensAt ?? calendar.opensAt), closes: at(exception?.closesAt ?? calendar.closesAt) };
}

/** The next opening after `from`, looking up to 60 days ahead (a longer closure says so by returning null). */
function nextOpening(from: DateTime, calendar: ServiceCalendar): DateTime | null {
  for (let day = 0; day <= 60; day++) {
    const date = from.plus({ days: day }).toISODate()!;
    const hours = openingOn(date < calendar.trialStartsOn ? calendar.trialStartsOn : date, calendar);
    if (hours && hours.opens > from) return hours.opens;
  }
  return null;
}

function describe(next: DateTime, now: DateTime): string {
  const days = Math.round(next.startOf('day').diff(now.startOf('day'), 'days').days);
  const time = next.toFormat('HH:mm');
  if (days === 0) return `今天 ${time} `;
  if (days === 1) return `明天 ${time} `;
  return `${next.toFormat('M月d日')} ${time} `;
}
