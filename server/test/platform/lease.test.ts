import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { connectDatabase, disconnectDatabase } from '../../src/platform/database';
import { createLogger } from '../../src/platform/logger';
import { startPeriodicJobs, tickLeased, type LeasedJob } from '../../src/platform/lease';
import { JobLease } from '../../src/platform/lease/job-lease.model';
import { JobRun } from '../../src/platform/lease/job-run.model';
import { waitUntil } from '../wait';

/**
 * The lease on the real engine (FerretDB, or MONGODB_URI's server): of many instances ticking at once,
 * exactly one runs each tick — on FerretDB a guarded findOneAndUpdate lets several "take" an expired
 * lease (read-then-write; 27 of 30 races had two winners when tried), so the tick is claimed by an insert.
 */
const EVERY = 60_000;
const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);

describe('periodic jobs under a lease', () => {
  beforeAll(() => connectDatabase(process.env.TEST_MONGODB_URI!, `lease_${randomBytes(3).toString('hex')}`));
  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await disconnectDatabase();
  });

  /** A job that counts its runs per tick; `at` is the clock every instance reads. */
  function countingJob(name: string, options: Partial<LeasedJob> = {}) {
    const runs: number[] = [];
    let at = T0;
    const job: LeasedJob = { name, everyMs: EVERY, run: async () => void runs.push(at), ...options };
    return { job, runs, clock: () => new Date(at), set: (t: number) => (at = t) };
  }

  it('of 20 instances ticking at once, exactly one runs each tick, also when the lease is free every time', async () => {
    // leaseMs 1: every tick is a race of all 20 for a free job, the hardest case for the claim.
    const { job, runs, clock, set } = countingJob('race', { leaseMs: 1 });
    const holders = Array.from({ length: 20 }, (_, i) => `instance-${i}`);
    const winners: string[] = [];
    let lostClaims = 0;
    for (let tick = 0; tick < 6; tick++) {
      set(T0 + tick * EVERY + 1_000);
      const results = await Promise.all(holders.map((h) => tickLeased(job, h, clock).then((r) => ({ h, r }))));
      const ran = results.filter(({ r }) => r.ran);
      expect(ran).toHaveLength(1);
      // The others lost the claim, or (reading after the winner wrote it) saw its lease, valid 1 ms past the frozen clock.
      const reasons = results.flatMap(({ r }) => (r.ran ? [] : [r.reason]));
      expect(reasons.every((reason) => reason === 'claimed' || reason === 'held')).toBe(true);
      lostClaims += reasons.filter((reason) => reason === 'claimed').length;
      winners.push(ran[0]!.h);
    }
    expect(lostClaims).toBeGreaterThan(0); // the claim itself was raced, not only the lease
    // Each tick's run, counted by the job itself, not by the claims.
    expect(runs).toEqual(Array.from({ length: 6 }, (_, tick) => T0 + tick * EVERY + 1_000));
    const logged = await JobRun.find({ job: 'race' }).sort({ slot: 1 }).lean();
    expect(logged.map((r) => [r.slot.getTime(), r.holder, r.outcome])).toEqual(winners.map((h, tick) => [T0 + tick * EVERY, h, 'ok']));
    expect(logged.every((r) => r.durationMs !== null && r.finishedAt !== null)).toBe(true);
  });

  it('a live holder keeps the job; when it stops renewing, another instance takes it over once the lease expires', async () => {
    const { job, runs, clock, set } = countingJob('sticky');
    set(T0 + 1_000);
    expect(await tickLeased(job, 'a', clock)).toMatchObject({ ran: true, takenFrom: null });
    set(T0 + EVERY + 1_000);
    expect(await tickLeased(job, 'b', clock)).toMatchObject({ ran: false, reason: 'held', holder: 'a' });
    expect(await tickLeased(job, 'a', clock)).toMatchObject({ ran: true });
    // a dies here. Its lease runs 2 × EVERY from the end of its last run.
    const lease = (await JobLease.findById('sticky').lean())!;
    expect(lease).toMatchObject({ holder: 'a', acquiredAt: new Date(T0 + 1_000), expiresAt: new Date(T0 + 3 * EVERY + 1_000) });
    set(T0 + 2 * EVERY + 1_000);
    expect(await tickLeased(job, 'b', clock)).toMatchObject({ ran: false, reason: 'held' });
    set(T0 + 3 * EVERY + 1_000);
    expect(await tickLeased(job, 'b', clock)).toMatchObject({ ran: true, takenFrom: 'a' });
    expect(await JobLease.findById('sticky').lean()).toMatchObject({ holder: 'b', acquiredAt: new Date(T0 + 3 * EVERY + 1_000), lastRun: { outcome: 'ok' } });
    expect(runs).toHaveLength(3);
    // Two ticks of four ran under a: the third was skipped while its lease said it was alive.
    expect((await JobRun.find({ job: 'sticky' }).lean()).map((r) => r.holder).sort()).toEqual(['a', 'a', 'b']);
  });

  it('a failing run is recorded as failed, with its message, and the next tick runs again', async () => {
    let fail = true;
    const { job, clock, set } = countingJob('flaky', {
      run: async () => {
        if (fail) throw new Error('upstream down');
        return { fine: true };
      },
    });
    set(T0 + 1_000);
    const failed = await tickLeased(job, 'a', clock);
    expect(failed).toMatchObject({ ran: true, outcome: 'failed' });
    expect(await JobRun.findById(`flaky:${new Date(T0).toISOString()}`).lean()).toMatchObject({ outcome: 'failed', error: 'upstream down' });
    expect(await JobLease.findById('flaky').lean()).toMatchObject({ holder: 'a', lastRun: { outcome: 'failed', error: 'upstream down' } });
    fail = false;
    set(T0 + EVERY + 1_000);
    expect(await tickLeased(job, 'a', clock)).toMatchObject({ ran: true, outcome: 'ok', result: { fine: true } });
  });

  it('two schedulers on real timers: one run per tick between them; stop waits for the run under way and hands the lease over', async () => {
    const logger = createLogger('silent');
    const runs: { at: number; by: string }[] = [];
    let slowRun: Promise<void> | null = null;
    let finishedAt = 0;
    const jobOf = (by: string): LeasedJob => ({
      name: 'timed',
      everyMs: 250,
      run: async () => {
        runs.push({ at: Date.now(), by });
        if (runs.length === 6) {
          // The sixth run is slow: stop() arrives while it is under way.
          slowRun = new Promise((r) => setTimeout(r, 600));
          await slowRun;
          finishedAt = Date.now();
        }
      },
    });
    const x = startPeriodicJobs([jobOf('x')], { logger, holder: 'x' });
    const y = startPeriodicJobs([jobOf('y')], { logger, holder: 'y' });
    await waitUntil(() => slowRun !== null, 10_000);
    const holderOfSlow = runs[5]!.by;
    const [first, second] = holderOfSlow === 'x' ? [x, y] : [y, x];
    await second.stop(1_000);
    const stopped = Date.now();
    await first.stop(5_000);
    expect(finishedAt).toBeGreaterThan(0); // stop() returned only after the run under way ended
    expect(Date.now()).toBeGreaterThanOrEqual(finishedAt);
    expect(stopped).toBeLessThan(finishedAt);
    const lease = (await JobLease.findById('timed').lean())!;
    expect(lease.holder).toBe(holderOfSlow);
    expect(lease.expiresAt.getTime()).toBeLessThanOrEqual(Date.now()); // released
    // Each tick ran once: as many run records as runs, each of a different tick.
    const logged = await JobRun.find({ job: 'timed' }).sort({ slot: 1 }).lean();
    expect(logged).toHaveLength(runs.length);
    const slots = logged.map((r) => r.slot.getTime());
    expect(new Set(slots).size).toBe(slots.length);
    for (let i = 1; i < slots.length; i++) expect((slots[i]! - slots[i - 1]!) % 250).toBe(0);
    // A tick is skipped only when the event loop was late past the next one (a loaded box): rare.
    expect(slots.length).toBeGreaterThanOrEqual(0.75 * ((slots.at(-1)! - slots[0]!) / 250 + 1));
  });
});
