import { Schema, model, type InferSchemaType } from 'mongoose';
import { RUN_OUTCOMES } from './job-run.model';

/**
 * Which instance runs a periodic job (`_id` = the job's name) until `expiresAt`, and how its last run
 * went. The holder renews it on every tick; the others leave the job to it until it expires (a holder
 * killed with -9) or is released (a graceful stop). It is advice that keeps one instance doing the work;
 * which instance runs a given tick is settled by the tick's claim in `job_runs` (FerretDB applies a
 * guarded update as read-then-write, so two instances can both "take" an expired lease — their claims
 * of the same tick cannot both succeed).
 */
const jobLeaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    acquiredAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    lastRun: {
      slot: { type: Date },
      startedAt: { type: Date },
      finishedAt: { type: Date, default: null },
      durationMs: { type: Number, default: null },
      outcome: { type: String, enum: RUN_OUTCOMES },
      error: { type: String, default: null },
    },
  },
  { versionKey: false, collection: 'job_leases' },
);

export type JobLeaseDoc = InferSchemaType<typeof jobLeaseSchema>;
export const JobLease = model('JobLease', jobLeaseSchema);
