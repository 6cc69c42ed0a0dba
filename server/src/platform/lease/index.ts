/**
 * lease — periodic jobs run once per tick across every server instance: a tick is claimed by an insert
 * into `job_runs` (unique per job and tick, so exactly one instance wins on MongoDB and FerretDB alike),
 * and a lease in `job_leases` keeps one instance doing a job while it lives.
 */
export { type LeasedJob, type TickResult, jobLeases, purgeJobRunsBefore, slotOf, tickLeased } from './lease';
export { type PeriodicJobs, startPeriodicJobs } from './periodic';
export { instanceId } from './instance-id';
