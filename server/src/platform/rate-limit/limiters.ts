import { createBurstLimiter, type BurstLimiter } from './burst-limiter';
import { createRateLimiter, type RateLimiter } from './rate-limiter';

/**
 * Where a module gets its limiters: by name, so one name is one count however many times it is asked
 * for, and on every instance. The single-instance default keeps rate limits in the database and burst
 * brakes in memory; with REDIS_URL both live in Redis (redis-limiters.ts).
 */
export interface Limiters {
  /** Events per key over a sliding window of `windowSeconds` (`name` namespaces the keys). */
  rate(name: string, windowSeconds: number): RateLimiter;
  /** One-minute brakes (`name` namespaces the keys). */
  burst(name: string): BurstLimiter;
  close(): Promise<void>;
}

/** Caches by name (and window), so a limiter asked for on each request keeps its count. */
export function limiterCache(make: { rate: (name: string, windowSeconds: number) => RateLimiter; burst: (name: string) => BurstLimiter }, close: () => Promise<void>): Limiters {
  const rates = new Map<string, RateLimiter>();
  const bursts = new Map<string, BurstLimiter>();
  return {
    rate(name, windowSeconds) {
      const id = `${name}@${windowSeconds}`;
      let limiter = rates.get(id);
      if (!limiter) rates.set(id, (limiter = make.rate(name, windowSeconds)));
      return limiter;
    },
    burst(name) {
      let limiter = bursts.get(name);
      if (!limiter) bursts.set(name, (limiter = make.burst(name)));
      return limiter;
    },
    close,
  };
}

export function createLocalLimiters(): Limiters {
  return limiterCache({ rate: (name, windowSeconds) => createRateLimiter(name, windowSeconds), burst: () => createBurstLimiter() }, async () => undefined);
}
