import { isDuplicateKey } from '../database';
import { JobLease } from './job-lease.model';
import { JobRun, jobRunId } from './job-run.model';

/** A job that runs every `everyMs` on one instance of several (see periodic.ts for the timers). */
export interface LeasedJob {
  /** The lease's key and the log's name: lower-case words and hyphens. */
  name: string;
  everyMs: number;
  /** How long the holder keeps the job without renewing it (a holder killed with -9): 2 × everyMs by default. */
  leaseMs?: number;
  /** Shifts the ticks from multiples of everyMs since the epoch (a daily job at night in Beijing, not at 08:00). */
  phaseMs?: number;
  /** Safe to run twice (the lease saves work; it is no lock a job's correctness may lean on). Its result is logged. */
  run: () => Promise<unknown>;
}

export type TickResult =
  | { ran: true; slot: Date; outcome: 'ok' | 'failed'; durationMs: number; result?: unknown; error?: unknown; takenFrom: string | null }
  /** held: another live instance has the job; claimed: this tick was already run (by another instance, or by us). */
  | { ran: false; slot: Date; reason: 'held' | 'claimed'; holder?: string };

export const leaseMsOf = (job: LeasedJob) => job.leaseMs ?? 2 * job.everyMs;

/** The start of the tick `at` falls in. */
export function slotOf(job: Pick<LeasedJob, 'everyMs' | 'phaseMs'>, at: Date): Date {
  const phase = job.phaseMs ?? 0;
  return new Date(Math.floor((at.getTime() - phase) / job.everyMs) * job.everyMs + phase);
}

/**
 * One tick of `job` on the instance `holder`: leave it to a live holder, else claim the tick (an insert
 * that exactly one claimer wins — the race is settled by the unique key, not by a guarded update, which
 * FerretDB does not apply atomically), take or renew the lease, run the job, and record how it went.
 * A failing job is a result (`outcome: 'failed'`), not a throw; only the bookkeeping's own database
 * errors throw.
 */
export async function tickLeased(job: LeasedJob, holder: string, clock: () => Date): Promise<TickResult> {
  const now = clock();
  const slot = slotOf(job, now);
  const lease = await JobLease.findById(job.name).lean();
  if (lease && lease.holder !== holder && lease.expiresAt.getTime() > now.getTime()) return { ran: false, slot, reason: 'held', holder: lease.holder };

  const runId = jobRunId(job.name, slot);
  try {
    await JobRun.create({ _id: runId, job: job.name, slot, holder, startedAt: now, outcome: 'running' });
  } catch (err) {
    if (isDuplicateKey(err)) return { ran: false, slot, reason: 'claimed' };
    throw err;
  }

  const takenFrom = lease && lease.holder !== holder ? lease.holder : null;
  const held = {
    holder,
    acquiredAt: lease && !takenFrom ? lease.acquiredAt : now,
    expiresAt: new Date(now.getTime() + leaseMsOf(job)),
    lastRun: { slot, startedAt: now, finishedAt: null, durationMs: null, outcome: 'running', error: null },
  };
  await writeLease(job.name, held, lease === null);

  const started = performance.now();
  let outcome: 'ok' | 'failed' = 'ok';
  let result: unknown;
  let error: unknown;
  try {
    result = await job.run();
  } catch (err) {
    outcome = 'failed';
    error = err;
  }
  const durationMs = Math.round(performance.now() - started);
  const finishedAt = clock();
  const ran = { finishedAt, durationMs, outcome, error: error === undefined ? null : messageOf(error) };
  await JobRun.updateOne({ _id: runId }, { $set: ran });
  // Renewed from the end of the run: a run longer than the lease does not hand the job over mid-run.
  await JobLease.updateOne(
    { _id: job.name, holder },
    { $set: { expiresAt: new Date(finishedAt.getTime() + leaseMsOf(job)), lastRun: { ...held.lastRun, ...ran } } },
  );
  return { ran: true, slot, outcome, durationMs, result, error, takenFrom };
}

/** The first lease of a job is an insert: of two first writers the second updates what the first made. */
async function writeLease(name: string, held: Record<string, unknown>, first: boolean): Promise<void> {
  if (first) {
    try {
      await JobLease.create({ _id: name, ...held });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  await JobLease.updateOne({ _id: name }, { $set: held });
}

/** A tick that found the previous run still going: keep the job, so no other instance starts a second run. */
export async function renewLease(job: LeasedJob, holder: string, clock: () => Date): Promise<void> {
  await JobLease.updateOne({ _id: job.name, holder }, { $set: { expiresAt: new Date(clock().getTime() + leaseMsOf(job)) } });
}

/** On a graceful stop: the leases expire now, so another instance runs the next tick instead of waiting one out. */
export async function releaseLeases(names: string[], holder: string, clock: () => Date): Promise<void> {
  if (names.length === 0) return;
  await JobLease.updateMany({ _id: { $in: names }, holder }, { $set: { expiresAt: clock() } });
}

/** Every job's lease and last run (ops, /metrics). */
export function jobLeases() {
  return JobLease.find({}).lean();
}

/** Drops the run log before `before`; the leases themselves stay. */
export async function purgeJobRunsBefore(before: Date): Promise<number> {
  const { deletedCount } = await JobRun.deleteMany({ startedAt: { $lt: before } });
  return deletedCount;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);
