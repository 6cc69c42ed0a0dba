import { Gauge, type Registry } from 'prom-client';
import { JobLease } from '../platform/lease/job-lease.model';

interface JobGauges {
  finishedAt: Gauge<'job'>;
  failed: Gauge<'job'>;
  duration: Gauge<'job'>;
}

const gaugesOf = new WeakMap<Registry, JobGauges>();

function gauges(registry: Registry): JobGauges {
  let found = gaugesOf.get(registry);
  if (!found) {
    const registers = [registry];
    found = {
      finishedAt: new Gauge({ name: 'qh_job_last_run_timestamp_seconds', help: 'When the last run of the periodic job ended, on whichever instance ran it (Unix seconds)', labelNames: ['job'], registers }),
      failed: new Gauge({ name: 'qh_job_last_run_failed', help: 'Whether the last finished run of the periodic job failed (1) or not (0)', labelNames: ['job'], registers }),
      duration: new Gauge({ name: 'qh_job_last_run_duration_seconds', help: 'How long the last finished run of the periodic job took', labelNames: ['job'], registers }),
    };
    gaugesOf.set(registry, found);
  }
  return found;
}

/**
 * The periodic jobs' last runs, from their leases (one small document per job, whichever instance ran
 * it): the same on every instance, so a job that stopped running anywhere shows as an old timestamp.
 * A run still under way leaves the previous values out until it ends.
 */
export async function refreshJobGauges(registry: Registry): Promise<void> {
  const leases = await JobLease.find({}, { lastRun: 1 }).lean();
  const { finishedAt, failed, duration } = gauges(registry);
  for (const g of [finishedAt, failed, duration]) g.reset();
  for (const lease of leases) {
    const run = lease.lastRun;
    if (!run?.finishedAt) continue;
    const job = String(lease._id);
    finishedAt.set({ job }, run.finishedAt.getTime() / 1000);
    failed.set({ job }, run.outcome === 'failed' ? 1 : 0);
    if (typeof run.durationMs === 'number') duration.set({ job }, run.durationMs / 1000);
  }
}
