import { z } from 'zod';
import { duration } from './values';

/** Periodic jobs, metrics and retention: what runs on its own and what ops reads. */
export const opsSettings = {
  /** Periodic jobs (server/src/jobs.ts), run once per tick across all instances: the call and decision sweeps. */
  JOB_SWEEP_INTERVAL_MS: duration.default(15_000),
  /** The open_cases reconcile. */
  JOB_RECONCILE_INTERVAL_MS: duration.default(60_000),
  /**
   * Bearer token the Prometheus scraper sends to GET /metrics (ops sessions get in without it). Unset:
   * nothing can scrape, nothing is exposed — so not required, even in production. At least 32 characters.
   */
  METRICS_TOKEN: z.string().min(32).optional(),
  /** Audit entries are kept this many days (3 years by default); 0 keeps them for ever. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).default(3 * 365),
};
