/**
 * Named points inside write sequences where a crash would leave the database half-written (between
 * a case and its projection, say). Tests stop a sequence there — by a hook that throws, or with
 * QH_CRASH_AT=<point> by killing the process outright — to prove the data converges afterwards.
 * Inert unless a test arms it; refused in production.
 */
type FaultHook = (point: string) => void;

let hook: FaultHook | null = null;

export function setFaultHook(next: FaultHook | null): void {
  hook = next;
}

export function faultPoint(point: string): void {
  if (process.env.NODE_ENV === 'production') return;
  hook?.(point);
  if (process.env.QH_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
