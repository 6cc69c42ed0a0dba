import type { Config } from '../config';
import { isDuplicateKey } from '../platform/database';
import { LoginAttempt } from './login-attempt.model';

/**
 * A lock with exponential back-off, per key (an account, or one trusted browser of it).
 *
 * A key's attempts fall into periods of at most `maxFailures` slots. An attempt claims a free slot
 * before its password is checked (so parallel guesses cannot all get a check) and keeps it if the
 * password was wrong; a right one clears the key. Once every slot of a period is taken the key is
 * locked from the last claim for `baseLockMs`, doubled for each earlier lock within a day, up to
 * `maxLockMs`; the next period begins when the lock ends. A locked attempt claims nothing, so attempts
 * made while locked neither count nor extend it. A period nobody has tried for `quietMs` is over.
 * Every instance derives the same periods from the same documents, and the slots themselves are
 * settled by the primary key, so the count holds across instances and under concurrency.
 */
export interface LockPolicy {
  maxFailures: number;
  baseLockMs: number;
  maxLockMs: number;
  quietMs: number;
}

export function lockPolicy(config: Config): LockPolicy {
  return {
    maxFailures: config.LOGIN_MAX_FAILURES,
    baseLockMs: config.LOGIN_LOCK_BASE_SECONDS * 1000,
    maxLockMs: config.LOGIN_LOCK_MAX_SECONDS * 1000,
    quietMs: config.LOGIN_FAILURE_WINDOW_SECONDS * 1000,
  };
}

/** Locks within this long of each other escalate. */
const ESCALATION_MS = 24 * 3600_000;

export type ClaimResult = { claimed: true } | { claimed: false; lockedUntil: number };

type State = { open: true; period: number; taken: ReadonlySet<number> } | { open: false; until: number };

interface AttemptRow {
  period: number;
  slot: number;
  at: Date;
}

/** The key's state at `now`, from its attempts. Pure: every instance reads the same answer. */
function lockState(rows: AttemptRow[], now: number, policy: LockPolicy): State {
  const periods = new Map<number, { slots: Set<number>; last: number }>();
  for (const row of rows) {
    const period = periods.get(row.period) ?? { slots: new Set<number>(), last: 0 };
    period.slots.add(row.slot);
    period.last = Math.max(period.last, row.at.getTime());
    periods.set(row.period, period);
  }
  let state: State = { open: true, period: 0, taken: new Set() };
  const lockStarts: number[] = [];
  for (const start of [...periods.keys()].sort((a, b) => a - b)) {
    const { slots, last } = periods.get(start)!;
    if (slots.size >= policy.maxFailures) {
      const earlier = lockStarts.filter((s) => s > last - ESCALATION_MS).length;
      const until = last + Math.min(policy.baseLockMs * 2 ** earlier, policy.maxLockMs);
      lockStarts.push(last);
      state = now < until ? { open: false, until } : { open: true, period: until, taken: new Set() };
    } else if (last + policy.quietMs <= now) {
      state = { open: true, period: last + policy.quietMs, taken: new Set() };
    } else {
      state = { open: true, period: start, taken: slots };
    }
  }
  return state;
}

async function readState(key: string, now: number, policy: LockPolicy): Promise<State> {
  const rows = await LoginAttempt.find({ key }, { period: 1, slot: 1, at: 1 }).lean();
  return lockState(rows, now, policy);
}

/**
 * Claims a slot for one attempt, or says until when the key is locked. A claim lost to a concurrent
 * attempt moves on to the next free slot; with none left the period is full, i.e. locked.
 */
export async function claimAttempt(key: string, now: number, policy: LockPolicy): Promise<ClaimResult> {
  for (let round = 0; round < 3; round++) {
    const state = await readState(key, now, policy);
    if (!state.open) return { claimed: false, lockedUntil: state.until };
    for (let slot = 1; slot <= policy.maxFailures; slot++) {
      if (state.taken.has(slot)) continue;
      try {
        await LoginAttempt.create({ _id: `${key}|${state.period}|${slot}`, key, period: state.period, slot, at: new Date(now) });
      } catch (err) {
        if (isDuplicateKey(err)) continue;
        throw err;
      }
      return { claimed: true };
    }
    // Every slot was taken under us: the next read sees the lock (or, rarely, a success that cleared it).
  }
  // Still racing after three rounds: a flood of parallel attempts. Ask for a moment's patience.
  return { claimed: false, lockedUntil: now + 1000 };
}

/** Until when the key is locked now (0 if it is not): a failure may have filled the period. */
export async function lockedUntil(key: string, now: number, policy: LockPolicy): Promise<number> {
  const state = await readState(key, now, policy);
  return state.open ? 0 : state.until;
}

/** A right password: the key starts afresh, back-off included. */
export async function clearAttempts(key: string): Promise<void> {
  await LoginAttempt.deleteMany({ key });
}

/**
 * Old attempts of every key (also of usernames tried once and never again). Kept long enough to judge
 * escalation over a day and the longest period; FerretDB v1 has no TTL indexes, so this runs on failures.
 */
export async function forgetOldAttempts(now: number, policy: LockPolicy): Promise<void> {
  const keepMs = ESCALATION_MS + policy.maxLockMs + policy.maxFailures * policy.quietMs;
  await LoginAttempt.deleteMany({ at: { $lt: new Date(now - keepMs) } });
}
