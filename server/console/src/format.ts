import type { StaffRole } from '../../../typings/api/auth';

export const ROLE_LABELS: Record<StaffRole, string> = {
  dispatcher: '接警员',
  officer: '民警',
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
