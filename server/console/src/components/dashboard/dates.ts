import { DateTime } from 'luxon';

/** The statistics are counted in Beijing days, whatever zone the browser is set to. */
export const ZONE = 'Asia/Shanghai';

/** Today's date in Beijing, "2026-11-30". */
export function beijingToday(): string {
  return DateTime.now().setZone(ZONE).toISODate()!;
}

/** The `days` Beijing days ending today (today included): the default is the last 30. */
export function lastDays(days: number): [string, string] {
  const today = DateTime.now().setZone(ZONE).startOf('day');
  return [today.minus({ days: days - 1 }).toISODate()!, today.toISODate()!];
}

/** Presets offered beside the picker. */
export function presets(): Record<string, [string, string]> {
  const today = DateTime.now().setZone(ZONE).startOf('day');
  return {
    '近 7 天': lastDays(7),
    '近 30 天': lastDays(30),
    '本月': [today.startOf('month').toISODate()!, today.toISODate()!],
    '上月': [today.minus({ months: 1 }).startOf('month').toISODate()!, today.minus({ months: 1 }).endOf('month').toISODate()!],
    '近一年': lastDays(365),
  };
}

/** "11月30日" from "2026-11-30" (a Beijing date string, read as such: no zone conversion). */
export function shortDate(isoDate: string): string {
  const d = DateTime.fromISO(isoDate, { zone: ZONE });
  return `${d.month}月${d.day}日`;
}

/** "2026-11-30 09:12" of an instant, in Beijing time. */
export function beijingDateTime(at: string | Date): string {
  const d = typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at);
  return d.setZone(ZONE).toFormat('yyyy-MM-dd HH:mm');
}
