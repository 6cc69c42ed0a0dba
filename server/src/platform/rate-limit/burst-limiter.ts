/**
 * Per-key sliding one-minute windows, for brakes on high-rate writes (chat, case edits) where a
 * database round trip per check would cost more than the write it guards. With REDIS_URL the windows
 * are shared by every instance (redis-limiters.ts); without, this process's memory keeps them (one
 * instance: the default).
 */
export interface BurstLimiter {
  /**
   * Takes one slot under every [key, limit-per-minute] given, or none: 0 when allowed, else the
   * seconds until the fullest window has room again.
   */
  take(...limits: [key: string, perMinute: number][]): Promise<number>;
}

export const WINDOW_MS = 60_000;
/** Keys are dropped once idle; the map is swept every this many takes. */
const SWEEP_EVERY = 1_000;

export function createBurstLimiter(now: () => number = Date.now): BurstLimiter {
  const windows = new Map<string, number[]>();
  let takes = 0;
  const recent = (key: string, at: number) => {
    const kept = (windows.get(key) ?? []).filter((t) => t > at - WINDOW_MS);
    windows.set(key, kept);
    return kept;
  };
  return {
    async take(...limits) {
      const at = now();
      if (++takes % SWEEP_EVERY === 0) {
        for (const [key, times] of windows) if (times.every((t) => t <= at - WINDOW_MS)) windows.delete(key);
      }
      let waitMs = 0;
      for (const [key, limit] of limits) {
        const times = recent(key, at);
        if (times.length >= limit) waitMs = Math.max(waitMs, times[times.length - limit]! + WINDOW_MS - at);
      }
      if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
      for (const [key] of limits) windows.get(key)!.push(at);
      return 0;
    },
  };
}
