import { Schema, model } from 'mongoose';

/** Samples kept per brigade: enough for a stable median, few enough to stay one small document. */
export const HANDLING_SAMPLES = 20;

/**
 * A brigade's recent answer-to-release times, newest last, one document per brigade (its code is the
 * _id): the wait estimate reads it with one primary-key lookup instead of scanning released cases.
 */
const handlingTimesSchema = new Schema(
  {
    _id: { type: String, required: true },
    samples: { type: [{ seconds: Number, releasedAt: Date }], default: [] },
  },
  { versionKey: false, collection: 'brigade_handling_times' },
);
const HandlingTimes = model('HandlingTimes', handlingTimesSchema);

/** Called when a case is released (through recordHandlingTime). Statistics only: a lost sample under a race costs nothing. */
export async function storeHandlingTime(brigadeCode: string, seconds: number, releasedAt: Date): Promise<void> {
  const current = await HandlingTimes.findById(brigadeCode).lean();
  const samples = [...(current?.samples ?? []), { seconds, releasedAt }].slice(-HANDLING_SAMPLES);
  await HandlingTimes.updateOne({ _id: brigadeCode }, { $set: { samples } }, { upsert: true }).catch((err: unknown) => {
    if ((err as { code?: number }).code !== 11000) throw err;
  });
}

export async function recentHandlingSeconds(brigadeCode: string, since: Date): Promise<number[]> {
  const current = await HandlingTimes.findById(brigadeCode).lean();
  return (current?.samples ?? []).filter((s) => s.releasedAt && s.releasedAt >= since && (s.seconds ?? 0) > 0).map((s) => s.seconds!);
}
