/**
 * Reads that many requests ask for at once and that may be a moment old: a brigade's queue, a
 * brigade, whether a session was revoked. Per process. A read is shared by everyone who asks for the
 * same key while it is under way and until `keepMs` after it began (measured on this process's monotonic
 * clock, and on the service clock the answer depends on, so a test that moves time reads afresh).
 *
 * `forget(key)` is how a change is heard (a write in this process, or a pub/sub hint from another):
 * later askers read afresh, and a read already under way is not kept once it lands, since it may have
 * begun before the change. A failed read is not kept either.
 */
export interface SharedReads<V> {
  /** `load` may return a thenable (a mongoose query): it is run once and its answer shared. */
  read(key: string, load: () => PromiseLike<V>, at?: Date): Promise<V>;
  /** Drop one key, or every key. */
  forget(key?: string): void;
  /** Keys currently kept (for tests and metrics). */
  size(): number;
}

interface Entry<V> {
  value: Promise<V>;
  settled: boolean;
  /** When the read began, on the monotonic clock and on the service clock. */
  startedMs: number;
  atMs: number;
}

export function sharedReads<V>(options: { keepMs: number; joinMs?: number; maxKeys?: number; monotonicMs?: () => number }): SharedReads<V> {
  const monotonicMs = options.monotonicMs ?? (() => performance.now());
  const maxKeys = options.maxKeys ?? 10_000;
  const entries = new Map<string, Entry<V>>();

  // A read still under way is joined only while it is young: one that hangs (an engine restarting
  // under it) must not take every asker of the next `keepMs` down with it.
  const joinMs = Math.min(options.keepMs, options.joinMs ?? 2_000);
  const fresh = (entry: Entry<V>, atMs: number) =>
    monotonicMs() - entry.startedMs <= (entry.settled ? options.keepMs : joinMs) && Math.abs(atMs - entry.atMs) <= options.keepMs;

  return {
    read(key, load, at = new Date()) {
      const atMs = at.getTime();
      const kept = entries.get(key);
      if (kept && fresh(kept, atMs)) return kept.value;
      if (entries.size >= maxKeys) entries.clear(); // bounded: the keys are brigades or live sessions
      let value: Promise<V>;
      try {
        value = Promise.resolve(load());
      } catch (err) {
        value = Promise.reject(err as Error);
      }
      const entry: Entry<V> = { value, settled: false, startedMs: monotonicMs(), atMs };
      entries.set(key, entry);
      entry.value.then(
        () => void (entry.settled = true),
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return entry.value;
    },
    forget(key) {
      if (key === undefined) entries.clear();
      else entries.delete(key);
    },
    size: () => entries.size,
  };
}
