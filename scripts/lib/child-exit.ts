import type { ChildProcess } from 'node:child_process';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The child's exit as a promise. Call it right after spawning: 'exit' fires once, and a child killed by a
 * signal keeps `exitCode === null` forever, so checking `exitCode` later cannot tell "running" from "killed".
 */
export function exitOf(child: ChildProcess): Promise<ExitInfo> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function describeExit({ code, signal }: ExitInfo): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

/** Resolves with the value, or with `undefined` once `ms` have passed — waits that cannot hang. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * SIGTERM, then SIGKILL once `graceMs` have passed; never waits longer than `graceMs` + 5 s.
 * `exited` must come from `exitOf` taken at spawn time.
 */
export async function stopChild(child: ChildProcess, exited: Promise<ExitInfo>, graceMs: number): Promise<void> {
  if (hasExited(child)) return;
  child.kill('SIGTERM');
  if (await within(exited, graceMs)) return;
  child.kill('SIGKILL');
  await within(exited, 5000);
}
