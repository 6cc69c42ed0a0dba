import { Schema, model, type InferSchemaType } from 'mongoose';

/** `<job>:<slot start, ISO>`: a tick of a job has exactly one possible primary key. */
export const jobRunId = (job: string, slot: Date) => `${job}:${slot.toISOString()}`;

export const RUN_OUTCOMES = ['running', 'ok', 'failed'] as const;

/**
 * One document per tick of a periodic job that some instance ran: the claim that settles which
 * instance runs it (inserted once; the unique `_id` refuses every other claimer with E11000 on
 * MongoDB and FerretDB alike), then the run's log for ops — by whom, how long, how it ended.
 * Only the claimer writes to its document afterwards. Kept a day (the `job-runs-purge` job): FerretDB
 * implements no TTL index.
 */
const jobRunSchema = new Schema(
  {
    _id: { type: String, required: true },
    job: { type: String, required: true },
    slot: { type: Date, required: true },
    holder: { type: String, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    durationMs: { type: Number, default: null },
    outcome: { type: String, enum: RUN_OUTCOMES, required: true },
    /** The failure's message (never the stack: ops read it; the log has the rest). */
    error: { type: String, default: null },
  },
  { versionKey: false, collection: 'job_runs' },
);

export type JobRunDoc = InferSchemaType<typeof jobRunSchema>;
export const JobRun = model('JobRun', jobRunSchema);
