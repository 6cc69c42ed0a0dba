import { RateLimitEvent } from './rate-limit.model';

export interface RateLimitStatus {
  /** Events in the sliding window. */
  count: number;
  /** 0 while under the limit; otherwise how long until enough events age out to allow one more. */
  retryAfterSeconds: number;
}

/**
 * Counts events per key over a sliding window, in the database, so several server instances share one
 * count (a guesser cannot spread attempts across instances).
 */
export interface RateLimiter {
  /** Counts one event; returns its id, so a caller can take it back (e.g. a login that succeeded). */
  record(key: string): Promise<string>;
  /** Over the limit when more than `limit` events are in the window. */
  status(key: string, limit: number): Promise<RateLimitStatus>;
  discard(ids: string[]): Promise<void>;
  reset(key: string): Promise<void>;
}

/**
 * `name` namespaces the keys: limiters with different windows over the same key (a phone's sends per
 * minute and per hour) must not count, or prune, each other's events.
 */
export function createRateLimiter(name: string, windowSeconds: number, now: () => number = Date.now): RateLimiter {
  const windowMs = windowSeconds * 1000;
  const inner = createWindow(windowMs, now);
  const scoped = (key: string) => `${name}/${key}`;
  return {
    record: (key) => inner.record(scoped(key)),
    status: (key, limit) => inner.status(scoped(key), limit),
    discard: (ids) => inner.discard(ids),
    reset: (key) => inner.reset(scoped(key)),
  };
}

function createWindow(windowMs: number, now: () => number): RateLimiter {
  return {
    async record(key) {
      const at = new Date(now());
      const event = await RateLimitEvent.create({ key, at });
      // Keep each key's history to one window.
      await RateLimitEvent.deleteMany({ key, at: { $lte: new Date(at.getTime() - windowMs) } });
      return String(event._id);
    },
    async status(key, limit) {
      const since = new Date(now() - windowMs);
      const events = await RateLimitEvent.find({ key, at: { $gt: since } }, { at: 1 }).sort({ at: 1 }).lean();
      if (events.length <= limit) return { count: events.length, retryAfterSeconds: 0 };
      // One more is allowed once all but limit-1 of them have aged out.
      const unblocking = events[events.length - limit]!;
      return { count: events.length, retryAfterSeconds: Math.max(1, Math.ceil((unblocking.at.getTime() + windowMs - now()) / 1000)) };
    },
    async discard(ids) {
      await RateLimitEvent.deleteMany({ _id: { $in: ids } });
    },
    async reset(key) {
      await RateLimitEvent.deleteMany({ key });
    },
  };
}
