import { Schema, model } from 'mongoose';

/**
 * A brigade's roster, one document per revision: a save inserts revision n + 1 under a unique
 * (brigade, rev), so of two ops saving on top of the same revision one wins and the other is told,
 * and every earlier roster is kept.
 */
const rosterSchema = new Schema(
  {
    brigadeCode: { type: String, required: true },
    rev: { type: Number, required: true },
    /** 168 counts, Monday 00:00 Asia/Shanghai first (week-hours.ts). */
    dispatchers: { type: [Number], required: true },
    changedBy: { type: String, required: true },
    changedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'rosters' },
);
rosterSchema.index({ brigadeCode: 1, rev: 1 }, { unique: true });

export const RosterRevision = model('RosterRevision', rosterSchema);
