import { Schema, Types, model } from 'mongoose';
import { isDuplicateKey } from '../platform/database';

/**
 * Who answered calls in which clock hour: one small document per person per hour they had the console
 * open. The live presence record only knows "now"; statistics (a day's arrivals against dispatchers on
 * duty) and staffing (observed against rostered) need the past. Append-only and idempotent: the unique
 * key makes a repeated or concurrent write of the same hour a no-op.
 */
const dutyHourSchema = new Schema(
  {
    staffId: { type: Types.ObjectId, required: true },
    brigadeCode: { type: String, required: true },
    role: { type: String, required: true },
    /** The top of the hour (UTC instant; Asia/Shanghai is a whole-hour offset, so it is also the top of the Beijing hour). */
    hourStart: { type: Date, required: true },
  },
  { versionKey: false, collection: 'staff_duty_hours' },
);
dutyHourSchema.index({ staffId: 1, hourStart: 1 }, { unique: true });
dutyHourSchema.index({ brigadeCode: 1, hourStart: 1 });
dutyHourSchema.index({ hourStart: 1 });

export const StaffDutyHour = model('StaffDutyHour', dutyHourSchema);

const HOUR_MS = 3600_000;
export const topOfHour = (at: Date): Date => new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);

/** The hour last written per person in this process: a heartbeat every few seconds writes once an hour. */
const written = new Map<string, number>();

export async function recordDutyHour(staff: { id: string; role: string; brigadeCode: string }, now: Date): Promise<void> {
  const hourStart = topOfHour(now);
  if (written.get(staff.id) === hourStart.getTime()) return;
  try {
    await StaffDutyHour.updateOne(
      { staffId: new Types.ObjectId(staff.id), hourStart },
      { $setOnInsert: { brigadeCode: staff.brigadeCode, role: staff.role } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  written.set(staff.id, hourStart.getTime());
}

export interface DutyHour {
  brigadeCode: string;
  hourStart: Date;
  /** Distinct dispatchers and officers with the console open in that hour. */
  staffCount: number;
}

/** Staff on duty per brigade and hour in [from, to), oldest first: one indexed range read, counted here. */
export async function dutyHours(filter: { brigadeCode?: string; from: Date; to: Date }): Promise<DutyHour[]> {
  const query: Record<string, unknown> = { hourStart: { $gte: filter.from, $lt: filter.to } };
  if (filter.brigadeCode) query.brigadeCode = filter.brigadeCode;
  const rows = await StaffDutyHour.find(query, { brigadeCode: 1, hourStart: 1, _id: 0 }).lean();
  const counts = new Map<string, DutyHour>();
  for (const row of rows) {
    const key = `${row.brigadeCode}|${row.hourStart.getTime()}`;
    const entry = counts.get(key) ?? { brigadeCode: row.brigadeCode, hourStart: row.hourStart, staffCount: 0 };
    entry.staffCount += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => a.hourStart.getTime() - b.hourStart.getTime() || a.brigadeCode.localeCompare(b.brigadeCode));
}
