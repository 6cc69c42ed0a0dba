import { DateTime } from 'luxon';
import { Schema, model } from 'mongoose';
import { dutyHours, StaffDutyHour } from '../staff';
import { insertNew, UNORDERED } from './bulk';
import { ZONE } from './calendar';

/**
 * Staff on duty per brigade and Beijing hour, one document per brigade and finished day. The duty log
 * (staff/) answers a time range by reading all of it on the embedded engine (ranges are not pushed
 * down: the city page spent ~2 s there per request with a year of log); a finished day's hours never
 * change, so they are summed once, by the reconcile, and read by month like the case packs. Hours not
 * summed yet (today, or since the last run) are read live, one indexed equality per clock hour.
 */
const dutyDaySchema = new Schema(
  {
    /** `<brigade>:<YYYY-MM-DD>`. */
    _id: { type: String, required: true },
    brigadeCode: { type: String, required: true },
    day: { type: String, required: true },
    month: { type: String, required: true },
    /** Staff on duty in each Beijing hour 0–23, comma-separated: one field to decode, not 24 (see case_stat_days). */
    hours: { type: String, required: true },
  },
  { versionKey: false, collection: 'statistics_duty_days' },
);
dutyDaySchema.index({ month: 1, brigadeCode: 1 });
export const DutyDay = model('StatisticsDutyDay', dutyDaySchema);

/** Staff on duty in one brigade in one Beijing clock hour. */
export interface DutyCount {
  brigadeCode: string;
  day: string;
  hour: number;
  staffCount: number;
}

const dayOf = (at: Date) => DateTime.fromJSDate(at, { zone: ZONE });

/**
 * Sums the duty log into day documents for every finished day after `after` (all when null), up to
 * yesterday. Returns the last day summed (or `after` when there was none to sum).
 */
export async function summarizeDuty(after: string | null, now: Date): Promise<string | null> {
  const today = dayOf(now).startOf('day');
  const from = after ? DateTime.fromISO(after, { zone: ZONE }).plus({ days: 1 }) : DateTime.fromMillis(0, { zone: ZONE });
  if (from >= today) return after;
  const byDay = new Map<string, { _id: string; brigadeCode: string; day: string; month: string; hours: number[] }>();
  for (const h of await dutyHours({ from: from.toJSDate(), to: today.toJSDate() })) {
    const at = dayOf(h.hourStart);
    const day = at.toISODate()!;
    const id = `${h.brigadeCode}:${day}`;
    const doc = byDay.get(id) ?? { _id: id, brigadeCode: h.brigadeCode, day, month: day.slice(0, 7), hours: new Array<number>(24).fill(0) };
    doc.hours[at.hour]! += h.staffCount;
    byDay.set(id, doc);
  }
  const docs = [...byDay.values()].map((d) => ({ ...d, hours: d.hours.join(',') }));
  // New days only (a finished day is summed once); a second instance summing the same days collides harmlessly.
  await insertNew(docs, (chunk) => DutyDay.insertMany(chunk, UNORDERED));
  return today.minus({ days: 1 }).toISODate()!;
}

/** Drops every summary (a full rebuild sums the log again). */
export const forgetDuty = () => DutyDay.deleteMany({});

/**
 * Staff on duty per brigade and hour over the range's days: the summed days by month, and the hours
 * after `summedThrough` (up to now) from the log, one equality each.
 */
export async function dutyOf(range: { days: string[]; brigade: string | null }, summedThrough: string | null, now: Date): Promise<DutyCount[]> {
  const counts: DutyCount[] = [];
  const summed = range.days.filter((d) => summedThrough !== null && d <= summedThrough);
  for (const month of [...new Set(summed.map((d) => d.slice(0, 7)))]) {
    for (const doc of await DutyDay.find({ month, ...(range.brigade ? { brigadeCode: range.brigade } : {}) }).lean()) {
      if (!summed.includes(doc.day)) continue;
      doc.hours.split(',').map(Number).forEach((staffCount, hour) => staffCount > 0 && counts.push({ brigadeCode: doc.brigadeCode, day: doc.day, hour, staffCount }));
    }
  }
  const live = range.days.filter((d) => summedThrough === null || d > summedThrough);
  const hours = live
    .flatMap((day) => Array.from({ length: 24 }, (_, hour) => ({ day, hour, hourStart: DateTime.fromISO(day, { zone: ZONE }).plus({ hours: hour }).toJSDate() })))
    .filter((h) => h.hourStart <= now);
  for (let i = 0; i < hours.length; i += 8) {
    const batch = hours.slice(i, i + 8);
    const found = await Promise.all(batch.map(({ hourStart }) => StaffDutyHour.find({ hourStart, ...(range.brigade ? { brigadeCode: range.brigade } : {}) }, { brigadeCode: 1, _id: 0 }).lean()));
    found.forEach((staff, j) => {
      const byBrigade = new Map<string, number>();
      for (const s of staff) byBrigade.set(s.brigadeCode, (byBrigade.get(s.brigadeCode) ?? 0) + 1);
      for (const [brigadeCode, staffCount] of byBrigade) counts.push({ brigadeCode, day: batch[j]!.day, hour: batch[j]!.hour, staffCount });
    });
  }
  return counts;
}
