import { Schema, Types, model } from 'mongoose';
import { CASE_STATES } from './lifecycle';

/**
 * The cases of the last few days, a handful of fields each: what the desk's "today" tiles count
 * (reported, answered, released, the 5-minute share), rewritten on every state change of a case and
 * pruned after DESK_DAY_KEEP_DAYS. The live queue recomputes on every change for every console, so it
 * reads this small set instead of the whole history of cases (FerretDB scans any filter but _id).
 */
const deskDayCaseSchema = new Schema(
  {
    _id: { type: Types.ObjectId, required: true },
    /** The case's rev this copy was made from: an older copy never overwrites a newer one. */
    rev: { type: Number, required: true },
    state: { type: String, enum: CASE_STATES, required: true },
    brigadeCode: { type: String, default: null },
    reportedAt: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
    releasedAt: { type: Date, default: null },
    handlingSeconds: { type: Number, default: null },
    /** Wall-clock time of the copy, for pruning (not the business clock the counts judge by). */
    syncedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'desk_day_cases' },
);
deskDayCaseSchema.index({ brigadeCode: 1, reportedAt: 1 });
deskDayCaseSchema.index({ syncedAt: 1 });

export const DeskDayCase = model('DeskDayCase', deskDayCaseSchema);
