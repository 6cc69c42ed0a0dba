import { DateTime } from 'luxon';
import { formatWaiting } from '../../format';

/** Rosters and the recommendation are by Beijing hour of the week, whatever the browser's zone. */
export const ZONE = 'Asia/Shanghai';
export const HOURS_PER_WEEK = 168;
/** The most a roster may give an hour (the server refuses more). */
export const MAX_ROSTERED = 50;

/** Row labels, Monday first (index = (weekday − 1) × 24 + hour). */
export const WEEKDAY_NAMES = ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'] as const;
export const WEEKDAY_SHORT = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** "09:00–10:00". */
export const hourRange = (hour: number) => `${pad(hour)}:00–${pad(hour + 1)}:00`;
export const hourLabel = (hour: number) => pad(hour);

/** "星期一 09:00–10:00" of an hour-of-week index. */
export function slotName(index: number): string {
  return `${WEEKDAY_NAMES[Math.floor(index / 24)]} ${hourRange(index % 24)}`;
}

/** "85%" (one decimal under 10 % or above 99 %, where the rounding hides what matters). */
export function percent(share: number): string {
  const p = share * 100;
  return p < 10 || (p > 99 && p < 100) ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

/** A predicted mean wait in words; null means the calls come faster than they can be handled. */
export function waitWords(seconds: number | null): string {
  if (seconds === null) return '排队不断增长（人手不足以接完）';
  return seconds < 1 ? '几乎不用等' : formatWaiting(Math.round(seconds));
}

/** "2026-11-24" of an instant, as a Beijing date. */
export function beijingDate(iso: string): string {
  return DateTime.fromISO(iso).setZone(ZONE).toISODate()!;
}

/** The last Beijing day before an instant (the window's end is 00:00 of the day after its last day). */
export function beijingDayBefore(iso: string): string {
  return DateTime.fromISO(iso).setZone(ZONE).minus({ days: 1 }).toISODate()!;
}

/** A typed roster count: a whole number 0…50, else null (the cell is shown as wrong and save waits). */
export function parseCount(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,2}$/.test(t)) return null;
  const n = Number(t);
  return n <= MAX_ROSTERED ? n : null;
}
