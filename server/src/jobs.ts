import type { AppServices } from './app-services';
import { sweepCalls } from './call';
import { reconcileOpenCases } from './cases';
import { sweepDecisions } from './decisions';
import { purgeStaleUploads } from './evidence';
import { purgeExpiredIdPhotos } from './identity';
import { purgeAuditBefore } from './platform/audit/audit';
import { purgeJobRunsBefore, type LeasedJob } from './platform/lease';
import { RECONCILE_EVERY_MS, reconcileStatistics } from './statistics';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * Every periodic job of the server. Each runs once per tick across all instances (platform/lease), and
 * each is also safe to run twice: the lease saves work, it is no lock. What a run did is returned (the
 * debug log's "job ran" line) and logged here at info when it changed something.
 */
export function periodicJobs(services: AppServices): LeasedJob[] {
  const { config, logger } = services;
  const jobs: LeasedJob[] = [
    {
      // Calls nobody is minding: parked or handed back; transitions settle a race with a person.
      name: 'call-sweep',
      everyMs: config.JOB_SWEEP_INTERVAL_MS,
      run: async () => {
        const { abandoned, handedBack } = await sweepCalls(services);
        if (abandoned.length || handedBack.length) logger.info({ abandoned, handedBack }, 'calls swept');
        return { abandoned: abandoned.length, handedBack: handedBack.length };
      },
    },
    {
      // Decisions left undelivered by a stopped process, and cases whose 复核 window has passed.
      name: 'decision-sweep',
      everyMs: config.JOB_SWEEP_INTERVAL_MS,
      run: async () => {
        const { delivered, closed } = await sweepDecisions(services);
        if (delivered.length || closed.length) logger.info({ delivered, closed }, 'decisions swept');
        return { delivered: delivered.length, closed: closed.length };
      },
    },
    {
      // Drift no read has met yet (a crash between a case and its open_cases row).
      name: 'open-cases-reconcile',
      everyMs: config.JOB_RECONCILE_INTERVAL_MS,
      run: async () => {
        const { checked, repaired } = await reconcileOpenCases();
        if (repaired.length > 0) logger.warn({ repaired }, 'open_cases repaired');
        return { checked, repaired: repaired.length };
      },
    },
    {
      // The statistics rows follow the cases by listeners; this catches what a crash lost. Daily at 03:00
      // Beijing (19:00 UTC): it reads every case, and it sums the day before's duty hours.
      name: 'statistics-reconcile',
      everyMs: RECONCILE_EVERY_MS,
      phaseMs: 19 * HOUR,
      leaseMs: RECONCILE_EVERY_MS + HOUR,
      run: () => reconcileStatistics(logger),
    },
    {
      // ID photos past their retention period.
      name: 'id-photo-purge',
      everyMs: HOUR,
      run: async () => {
        const count = await purgeExpiredIdPhotos({ services });
        if (count > 0) logger.info({ count }, 'expired ID photos deleted');
        return { count };
      },
    },
    {
      // Uploads started and never finished: their chunks go after a day (fixed evidence is never touched).
      name: 'upload-purge',
      everyMs: HOUR,
      phaseMs: 10 * 60_000,
      run: async () => {
        const count = await purgeStaleUploads(services, 24 * 3600);
        if (count > 0) logger.info({ count }, 'stale uploads purged');
        return { count };
      },
    },
    {
      // The periodic jobs' own run log, kept a day.
      name: 'job-runs-purge',
      everyMs: HOUR,
      phaseMs: 30 * 60_000,
      run: async () => ({ count: await purgeJobRunsBefore(new Date(services.clock().getTime() - DAY)) }),
    },
  ];
  if (config.AUDIT_RETENTION_DAYS > 0) {
    jobs.push({
      // Audit entries past their retention: dropped after anchoring the chain, so what is kept still verifies.
      name: 'audit-purge',
      everyMs: HOUR,
      phaseMs: 20 * 60_000,
      run: async () => {
        const count = await purgeAuditBefore(new Date(Date.now() - config.AUDIT_RETENTION_DAYS * DAY));
        if (count > 0) logger.info({ count }, 'audit entries past retention dropped');
        return { count };
      },
    });
  }
  return jobs;
}
