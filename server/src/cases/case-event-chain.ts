import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Types } from 'mongoose';
import { CaseEvent } from './case-event.model';
import { Case } from './case.model';

/**
 * Each case's event log is its own hash chain: event n stores the hash of event n − 1 (`prevHash`;
 * event 1 links to CASE_EVENT_GENESIS) and its own hash over its canonical JSON. The case document
 * keeps the hash of the last event applied (`eventHash`), so a new event links without reading the
 * previous one: the chain costs no extra write and no extra read on the hottest path. A state change
 * altered, deleted (in the middle or at the end) or relinked is found by verifyCaseEvents. Events
 * written before the chain existed (and generated history) carry no hash and read as "not chained";
 * once a case's chain has begun, an event without a hash is an alteration.
 */
export const CASE_EVENT_GENESIS = 'case-event-genesis';

const HASHED_FIELDS = ['_id', 'caseId', 'rev', 'at', 'event', 'from', 'to', 'actor', 'reason', 'requestId', 'set', 'setPaths', 'push', 'prevHash'] as const;

/**
 * One form for a value as written and as read back: null, undefined and absent keys are the same
 * (the driver may store undefined as null), and so is an empty object (mongoose minimizes it away);
 * dates as ISO strings, ObjectIds as hex, bytes as base64.
 */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const tagged = value as { _bsontype?: string; toHexString?: () => string; buffer?: Uint8Array };
    if (tagged._bsontype === 'ObjectId' || tagged._bsontype === 'ObjectID') return tagged.toHexString!();
    if (tagged._bsontype === 'Binary') return Buffer.from(tagged.buffer!).toString('base64');
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const shown = plain(inner);
      if (shown !== null) out[key] = shown;
    }
    // An empty object is minimized away on save by mongoose: as absent as null.
    return Object.keys(out).length > 0 ? out : null;
  }
  return value;
}

export function caseEventHash(event: Record<string, unknown>): string {
  const fields = Object.fromEntries(HASHED_FIELDS.map((key) => [key, event[key]]));
  return createHash('sha256').update(canonicalize(plain(fields)) ?? '').digest('hex');
}

/** The link for the next event of a case as stored: genesis for the first, the last event's hash after. */
export function nextPrevHash(current: { rev: number; eventHash?: string | null }): string | null {
  return current.rev === 0 ? CASE_EVENT_GENESIS : (current.eventHash ?? null);
}

export interface CaseEventVerification {
  ok: boolean;
  /** Events whose hash and link were checked. */
  checked: number;
  /** Events from before the chain existed (no hash). */
  unchained: number;
  problem: { rev: number; reason: 'altered' | 'missing' | 'relinked' } | null;
}

type StoredEvent = Record<string, unknown> & { rev: number; hash?: string | null; prevHash?: string | null };

export async function verifyCaseEvents(caseId: string | Types.ObjectId): Promise<CaseEventVerification> {
  const [stored, events] = await Promise.all([
    Case.findById(caseId, { rev: 1, eventHash: 1 }).lean(),
    CaseEvent.find({ caseId }).sort({ rev: 1 }).lean() as Promise<StoredEvent[]>,
  ]);
  return checkChain(stored, events);
}

export function checkChain(stored: { rev: number; eventHash?: string | null } | null, events: StoredEvent[]): CaseEventVerification {
  const result: CaseEventVerification = { ok: true, checked: 0, unchained: 0, problem: null };
  const fail = (rev: number, reason: 'altered' | 'missing' | 'relinked') => ({ ...result, ok: false, problem: { rev, reason } });
  let previous: StoredEvent | null = null;
  let chained = false;
  for (const event of events) {
    const expectedRev = (previous?.rev ?? 0) + 1;
    if (event.rev !== expectedRev) return fail(expectedRev, 'missing');
    if (!event.hash) {
      if (chained) return fail(event.rev, 'altered'); // a hash stripped from a chained event
      result.unchained++;
    } else {
      const expectedPrev = event.rev === 1 ? CASE_EVENT_GENESIS : (previous?.hash ?? null);
      if ((event.prevHash ?? null) !== expectedPrev) return fail(event.rev, 'relinked');
      const { hash, ...fields } = event;
      if (caseEventHash(fields) !== hash) return fail(event.rev, 'altered');
      chained = true;
      result.checked++;
    }
    previous = event;
  }
  // The case has applied more events than the log holds: the last ones were deleted. (An event beyond
  // the case's rev is one claimed and not yet applied; the next read finishes it.)
  const lastRev = previous?.rev ?? 0;
  if (stored && stored.rev > lastRev) return fail(lastRev + 1, 'missing');
  const applied = events.find((e) => e.rev === stored?.rev);
  if (stored?.eventHash && applied && applied.hash !== stored.eventHash) return fail(applied.rev, 'altered');
  return result;
}

/** Every case's chain, one case at a time (the verify command); stops counting at the first broken case. */
export async function verifyAllCaseEvents(): Promise<{ cases: number; checked: number; unchained: number; broken: { caseId: string; problem: NonNullable<CaseEventVerification['problem']> } | null }> {
  const totals = { cases: 0, checked: 0, unchained: 0, broken: null as { caseId: string; problem: NonNullable<CaseEventVerification['problem']> } | null };
  for await (const stored of Case.find({}, { _id: 1 }).lean().cursor()) {
    const verdict = await verifyCaseEvents(stored._id);
    totals.cases++;
    totals.checked += verdict.checked;
    totals.unchained += verdict.unchained;
    if (!verdict.ok) {
      totals.broken = { caseId: String(stored._id), problem: verdict.problem! };
      break;
    }
  }
  return totals;
}
