import type { Logger } from '../logger';
import { instanceId } from './instance-id';
import { type LeasedJob, type TickResult, releaseLeases, renewLease, slotOf, tickLeased } from './lease';

export interface PeriodicJobs {
  /** This instance's name in the leases and the run log. */
  readonly holder: string;
  /** No more ticks; a run under way is awaited up to `timeoutMs`; the leases this instance holds are released. */
  stop(timeoutMs: number): Promise<void>;
}

export interface PeriodicOptions {
  logger: Logger;
  /** The server clock (services.clock): ticks fall on its multiples of each job's interval. */
  clock?: () => Date;
  holder?: string;
}

/**
 * Runs each job once per tick across every instance that runs this: each instance wakes at the start of
 * every tick (a little after, so instances whose clocks differ slightly agree on which tick it is) and
 * `tickLeased` lets exactly one of them run it. A failing job is logged and runs again next tick.
 */
export function startPeriodicJobs(jobs: LeasedJob[], options: PeriodicOptions): PeriodicJobs {
  const holder = options.holder ?? instanceId();
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger;
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const report = (job: LeasedJob, tick: TickResult) => {
    const slot = tick.slot.toISOString();
    if (!tick.ran) return logger.trace({ job: job.name, slot, holder, reason: tick.reason, by: tick.holder }, 'job tick left to another instance');
    if (tick.takenFrom) logger.info({ job: job.name, holder, from: tick.takenFrom }, 'job lease taken over');
    if (tick.outcome === 'failed') logger.error({ err: tick.error, job: job.name, slot, holder }, 'job failed');
    logger.debug({ job: job.name, slot, holder, durationMs: tick.durationMs, outcome: tick.outcome, result: tick.result }, 'job ran');
  };

  const tick = (job: LeasedJob) => {
    if (running.has(job.name)) {
      // The last run is still going: keep the lease so no other instance starts a second one.
      void renewLease(job, holder, clock).catch((err: unknown) => logger.warn({ err, job: job.name }, 'job lease renewal failed'));
      return;
    }
    const run = tickLeased(job, holder, clock)
      .then((result) => report(job, result))
      .catch((err: unknown) => logger.warn({ err, job: job.name, holder }, 'job tick failed (database?): next tick tries again'))
      .finally(() => running.delete(job.name));
    running.set(job.name, run);
  };

  const arm = (job: LeasedJob) => {
    if (stopped) return;
    const now = clock().getTime();
    const settle = Math.min(job.everyMs / 20, 1_000);
    const next = slotOf(job, new Date(now)).getTime() + job.everyMs + settle;
    const timer = setTimeout(() => {
      arm(job);
      tick(job);
    }, next - now);
    timer.unref();
    timers.set(job.name, timer);
  };

  for (const job of jobs) arm(job);
  logger.debug({ holder, jobs: jobs.map((j) => ({ job: j.name, everyMs: j.everyMs })) }, 'periodic jobs scheduled');

  return {
    holder,
    async stop(timeoutMs) {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      const pending = [...running.values()];
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.all(pending).then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (!finished) logger.warn({ jobs: [...running.keys()], holder }, 'periodic jobs still running at shutdown');
      const idle = jobs.map((j) => j.name).filter((name) => !running.has(name));
      await releaseLeases(idle, holder, clock).catch((err: unknown) => logger.warn({ err, holder }, 'job leases not released'));
    },
  };
}
