import { DateTime } from 'luxon';
import { SERVICE_TIME_ZONE } from '../platform/time';

/** A week of hours: index (weekday − 1) × 24 + hour, Monday 00:00 Asia/Shanghai first. */
export const HOURS_PER_WEEK = 168;

/** The hour of the week a moment falls in, by the Beijing wall clock (the desk's clock, whatever the server's zone). */
export function hourOfWeek(at: Date): number {
  const local = DateTime.fromJSDate(at, { zone: SERVICE_TIME_ZONE });
  return (local.weekday - 1) * 24 + local.hour;
}

export const weekdayOf = (index: number) => Math.floor(index / 24) + 1;
export const hourOf = (index: number) => index % 24;

/**
 * The last `weeks` whole weeks before the Beijing day `until` falls in: [00:00 that day − 7·weeks days,
 * 00:00 that day). Beijing keeps no summer time, so every hour of the week occurs exactly `weeks` times
 * in it and a count divided by `weeks` is calls per hour.
 */
export function observedWindow(until: Date, weeks: number): { from: Date; to: Date } {
  const to = DateTime.fromJSDate(until, { zone: SERVICE_TIME_ZONE }).startOf('day');
  return { from: to.minus({ days: 7 * weeks }).toJSDate(), to: to.toJSDate() };
}
