import type { StaffRole } from '../../../typings/api/auth';

export const ROLE_LABELS: Record<StaffRole, string> = {
  dispatcher: '接警员',
  officer: '民警',
  reviewer: '复核民警',
  ops: '运维',
};

/** "45 秒", "3 分 05 秒", "1 小时 02 分": short enough to read across a desk. */
export function formatWaiting(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 60) return `${s} 秒`;
  if (s < 3600) return `${Math.floor(s / 60)} 分 ${pad(s % 60)} 秒`;
  return `${Math.floor(s / 3600)} 小时 ${pad(Math.floor((s % 3600) / 60))} 分`;
}

/**
 * How urgent a wait looks. The thresholds are a first guess for the pilot (a driver waits at the
 * roadside); tune them with the brigade once there is real queue data.
 */
export type WaitLevel = 'normal' | 'warning' | 'danger';
export const WAIT_WARNING_SECONDS = 3 * 60;
export const WAIT_DANGER_SECONDS = 10 * 60;

export function waitLevel(seconds: number): WaitLevel {
  if (seconds >= WAIT_DANGER_SECONDS) return 'danger';
  if (seconds >= WAIT_WARNING_SECONDS) return 'warning';
  return 'normal';
}

/** Wall-clock time in China Standard Time, whatever the desk machine's time zone is set to. */
const clock = new Intl.DateTimeFormat('zh-CN', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
  timeZone: 'Asia/Shanghai',
});

export function formatClock(at: string | number | Date): string {
  return clock.format(new Date(at));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "04:37": the 5-minute handling clock, minutes and seconds (hours only if it ever gets that far). */
export function formatStopwatch(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const mm = pad(Math.floor((s % 3600) / 60));
  const ss = pad(s % 60);
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The handling target is 5 minutes from answer to release: amber in the last minute, red past it. */
export const HANDLING_TARGET_SECONDS = 5 * 60;
export const HANDLING_WARNING_SECONDS = 4 * 60;

export function handlingLevel(seconds: number): WaitLevel {
  if (seconds >= HANDLING_TARGET_SECONDS) return 'danger';
  if (seconds >= HANDLING_WARNING_SECONDS) return 'warning';
  return 'normal';
}

/** "2026-11-25 10:03": a date and time in China Standard Time. */
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
  timeZone: 'Asia/Shanghai',
});

export function formatDateTime(at: string | number | Date): string {
  const parts = Object.fromEntries(dateTime.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** "2026-11-25 10:03:27": to the second, in China Standard Time (the audit log: what came first matters). */
const dateTimeSeconds = new Intl.DateTimeFormat('zh-CN', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
  timeZone: 'Asia/Shanghai',
});

export function formatDateTimeSeconds(at: string | number | Date): string {
  const parts = Object.fromEntries(dateTimeSeconds.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** "12月2日星期三" for a Beijing calendar day given as YYYY-MM-DD (noon Beijing time: no zone can move it a day). */
const dayName = new Intl.DateTimeFormat('zh-CN', { month: 'long', day: 'numeric', weekday: 'long', timeZone: 'Asia/Shanghai' });

export function formatDay(isoDate: string): string {
  return dayName.format(new Date(`${isoDate}T12:00:00+08:00`));
}

/**
 * A wall-clock time the desk typed or picked ("2026-11-25 10:03", always meant as Beijing time) as an
 * instant, whatever zone the desk machine is in; null when it is not such a time.
 */
export function beijingWallClockToIso(wallClock: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::(\d{2}))?$/.exec(wallClock.trim());
  if (!m) return null;
  const at = new Date(`${m[1]}T${m[2]}:${m[3] ?? '00'}+08:00`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** "82%" for a share 0…1; "—" when there is nothing to divide yet. */
export function formatShare(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`;
}
