import { Schema, model } from 'mongoose';
import { isDuplicateKey } from '../platform/database';

/**
 * Signs of life on a call — a party's phone polling or uploading, the dispatcher's console streaming —
 * kept beside the case, never in it: they change every few seconds, and on FerretDB a write to the
 * case document is a read-modify-write that could undo a concurrent event. One document per
 * (case, who), `_id` = `<caseId>:<who>` (who: 'desk' or a party label).
 */
const callPresenceSchema = new Schema(
  {
    _id: { type: String, required: true },
    lastSeenAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'call_presence' },
);
const CallPresence = model('CallPresence', callPresenceSchema);

export const presenceId = (caseId: string, who: string) => `${caseId}:${who}`;

/** A sign of life this close to the last one this process wrote changes nothing the sweeper reads. */
const TOUCH_EVERY_MS = 15_000;
const lastWritten = new Map<string, number>();

/**
 * Records a sign of life, at most every TOUCH_EVERY_MS per seat and process: a phone sending chunks
 * back to back or polling would otherwise make a durable write per request, while the sweeper judges
 * silence in minutes. (Another instance keeps its own memory: at worst both write.)
 */
export async function touchPresence(caseId: string, who: string, now: Date): Promise<void> {
  const id = presenceId(caseId, who);
  const last = lastWritten.get(id);
  if (last !== undefined && Math.abs(now.getTime() - last) < TOUCH_EVERY_MS) return;
  if (lastWritten.size > 10_000) lastWritten.clear(); // bounded: only seats of live calls matter
  lastWritten.set(id, now.getTime());
  try {
    await CallPresence.updateOne({ _id: id }, { $set: { lastSeenAt: now } }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) {
      lastWritten.delete(id); // not written after all: the next sign of life tries again
      throw err;
    }
  }
}

/**
 * A finished case's signs of life are of no further use: dropped, so the collection holds the cases at
 * the scene rather than the whole history. By primary key, one per seat (a `$in` is not pushed down).
 */
export async function dropPresence(caseId: string, partyLabels: string[]): Promise<void> {
  const seats = ['desk', ...partyLabels];
  for (const who of seats) lastWritten.delete(presenceId(caseId, who));
  await Promise.all(seats.map((who) => CallPresence.deleteOne({ _id: presenceId(caseId, who) })));
}

/** Last seen per `who` for one case ('desk', 'A', 'B', 'C'), read by primary key. */
export async function presenceOf(caseId: string, who: string[]): Promise<Record<string, Date>> {
  const docs = await Promise.all(who.map((w) => CallPresence.findById(presenceId(caseId, w)).lean()));
  const seen: Record<string, Date> = {};
  docs.forEach((d, i) => {
    if (d) seen[who[i]!] = d.lastSeenAt;
  });
  return seen;
}
