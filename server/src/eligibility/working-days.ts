import { DateTime } from 'luxon';
import type { CalendarHoliday } from '../../../typings/api/eligibility';
import { SERVICE_TIME_ZONE } from '../platform/time';

/**
 * Working days and the 复核 deadline. Pure: the calendar is passed in (the service reads it with
 * currentWorkingDayCalendar()), and every date is a Beijing date whatever the server's zone is.
 *
 * The rule (《道路交通事故处理程序规定》§71, "自送达之日起三日内"): the day of delivery is not counted;
 * the window ends at 24:00 Beijing time of the third day after it; when that day is not a working
 * day (a weekend or a public holiday; an official make-up working day 调休上班 is a working day)
 * the end moves to 24:00 of the next working day.
 */
export interface WorkingDayCalendar {
  readonly holidays: readonly CalendarHoliday[];
}

export const REVIEW_WINDOW_DAYS = 3;
/** No real calendar has this many non-working days in a row: past it the data is wrong, not the rule. */
const MAX_DAYS_OFF_IN_A_ROW = 31;

// One lookup table per holiday list, built once: a calendar's list is never changed in place.
const indexes = new WeakMap<readonly CalendarHoliday[], Map<string, CalendarHoliday['kind']>>();
function kindOn(date: string, calendar: WorkingDayCalendar): CalendarHoliday['kind'] | undefined {
  let index = indexes.get(calendar.holidays);
  if (!index) {
    index = new Map(calendar.holidays.map((h) => [h.date, h.kind]));
    indexes.set(calendar.holidays, index);
  }
  return index.get(date);
}

function beijingDay(date: string | Date): DateTime {
  const day =
    typeof date === 'string'
      ? DateTime.fromISO(date, { zone: SERVICE_TIME_ZONE })
      : DateTime.fromJSDate(date, { zone: SERVICE_TIME_ZONE });
  if (!day.isValid || (typeof date === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(date))) {
    throw new RangeError(`not a date: ${String(date)}`);
  }
  return day.startOf('day');
}

/** Is this Beijing date (YYYY-MM-DD, or the Beijing date of an instant) a working day? */
export function isWorkingDay(date: string | Date, calendar: WorkingDayCalendar): boolean {
  const day = beijingDay(date);
  const kind = kindOn(day.toISODate()!, calendar);
  if (kind === 'holiday') return false;
  if (kind === 'makeup_workday') return true;
  return day.weekday <= 5;
}

/** The last day (Beijing date, YYYY-MM-DD) on which a 复核 may be requested after delivery at `deliveredAt`. */
export function reviewDeadlineDay(deliveredAt: Date, calendar: WorkingDayCalendar): string {
  let day = beijingDay(deliveredAt).plus({ days: REVIEW_WINDOW_DAYS });
  for (let skipped = 0; !isWorkingDay(day.toISODate()!, calendar); skipped++) {
    if (skipped >= MAX_DAYS_OFF_IN_A_ROW) throw new RangeError(`no working day within ${MAX_DAYS_OFF_IN_A_ROW} days after ${day.toISODate()}: check the holiday data`);
    day = day.plus({ days: 1 });
  }
  return day.toISODate()!;
}

/** The instant the 复核 window closes: 24:00 Beijing time of the last day, i.e. 00:00 +08:00 of the day after. */
export function reviewDeadline(deliveredAt: Date, calendar: WorkingDayCalendar): Date {
  return beijingDay(reviewDeadlineDay(deliveredAt, calendar)).plus({ days: 1 }).toJSDate();
}
