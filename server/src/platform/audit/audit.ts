import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { Schema, Types, model } from 'mongoose';
import { isDuplicateKey } from '../database';
import { maskIdNumber, maskSensitiveNumbers } from '../mask';
import { currentRequest } from '../request-context';

/** The hash an empty chain starts from. */
export const AUDIT_GENESIS = '0'.repeat(64);

/**
 * What staff did, append-only and hash-chained: entry n (its `_id`) carries the hash of entry n − 1, and
 * its own hash covers everything in it, so an altered entry fails its hash, and a deleted one breaks the
 * numbering or the link (`verifyAuditChain`). The number is the primary key: of two writers appending at
 * once, one wins it and the other takes the next.
 */
const auditEntrySchema = new Schema(
  {
    _id: { type: Number, required: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { kind: { type: String, required: true }, id: { type: String, required: true }, username: { type: String, default: null }, role: { type: String } },
    action: { type: String, required: true },
    target: { kind: { type: String, required: true }, id: { type: String, required: true } },
    details: { type: Schema.Types.Mixed, default: {} },
    /** The request that did it (X-Request-Id), null outside a request (a sweeper). */
    requestId: { type: String },
    // Top-level copies of what the ops' search filters on (see the indexes below), hashed like the rest.
    actorId: { type: String },
    /** The case the entry concerns: its target when that is a case, else `details.caseId` when it names one. */
    caseId: { type: String },
    /** The action's first segment (`service` of `service.suspend`): the search's prefix filter by equality. */
    actionGroup: { type: String },
  },
  // A new collection for the chained log: entries of the earlier, unchained `audit_log` stay where they are.
  { versionKey: false, collection: 'audit_chain' },
);
auditEntrySchema.index({ 'target.kind': 1, 'target.id': 1, at: 1 });
/*
 * The ops' search (audit-log/) filters on top-level scalar copies — actorId, caseId, action, actionGroup —
 * rather than on `actor.id` / `target.id`, for what the engine can use (../shared/contracts/ferretdb.md;
 * measured by server/test/audit/audit-indexes.test.ts):
 * - FerretDB on PostgreSQL pushes only top-level scalar equalities down to SQL (a dotted path is dropped
 *   from what it pushes), and the GIN mirror of each index below answers them: a bitmap index scan. The
 *   keyset bound (`_id < before`), the time range and the newest-first sort FerretDB then applies itself,
 *   to the rows the equality found. A search with no equality (time only, or none) reads the collection;
 *   it stays small: staff actions only (case state changes stay in the case's own log), and retention.
 * - FerretDB on SQLite pushes down nothing but `_id`: there every search scans.
 * - MongoDB serves the equality, the keyset bound and the sort from each compound index in full.
 */
auditEntrySchema.index({ actorId: 1, _id: -1 });
auditEntrySchema.index({ caseId: 1, _id: -1 });
auditEntrySchema.index({ action: 1, _id: -1 });
auditEntrySchema.index({ actionGroup: 1, _id: -1 });
auditEntrySchema.index({ at: -1 });

export const AuditEntry = model('AuditEntry', auditEntrySchema);

/**
 * Where the chain starts after older entries were purged (retention): the number and hash of the last
 * entry removed, so the entries kept still verify from there.
 */
const auditAnchorSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, required: true }, hash: { type: String, required: true } }, { versionKey: false, collection: 'audit_anchors' });
export const AuditAnchor = model('AuditAnchor', auditAnchorSchema);

interface ChainedFields {
  _id: number;
  prevHash: string;
  at: Date;
  actor: { kind: string; id: string; username?: string | null; role?: string | null };
  action: string;
  target: { kind: string; id: string };
  details: unknown;
  // Absent on entries written before they existed; present (maybe null) on every later one.
  requestId?: string | null;
  actorId?: string;
  caseId?: string | null;
  actionGroup?: string;
}

/** The fields that are there: an entry written before a field existed hashes exactly as it did then. */
const present = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

/**
 * SHA-256 of the entry's canonical JSON (RFC 8785), everything but the hash itself. A later field is
 * hashed whenever stored, so removing one from a newer entry fails its hash like any other change.
 */
export function auditHash(e: ChainedFields): string {
  const canonical = canonicalize({
    seq: e._id,
    prevHash: e.prevHash,
    at: e.at.toISOString(),
    actor: { kind: e.actor.kind, id: e.actor.id, username: e.actor.username ?? null, ...present({ role: e.actor.role }) },
    action: e.action,
    target: { kind: e.target.kind, id: e.target.id },
    details: e.details ?? {},
    ...present({ requestId: e.requestId, actorId: e.actorId, caseId: e.caseId, actionGroup: e.actionGroup }),
  });
  return createHash('sha256').update(canonical ?? '').digest('hex');
}

/**
 * ID numbers in anything an entry holds, as the audit page and its export show it: 18-digit ones, and
 * also first-generation 15-digit ones and numbers typed in groups or full-width (maskSensitiveNumbers).
 * Entries are masked on write; the page masks again what older entries stored.
 */
export function maskForAudit(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSensitiveNumbers(maskIdNumber(value));
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskForAudit(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskForAudit(v, depth + 1)]));
}

const STAFF_ROLES: readonly string[] = ['dispatcher', 'officer', 'reviewer', 'ops'];
const OBJECT_ID = /^[0-9a-f]{24}$/;

/** The role the actor acted in: the request's principal when it is the actor, else the kind when it names a role. */
function roleOf(actor: { kind: string; id: string }): string | null {
  const principal = currentRequest()?.principal;
  if (principal && String(principal.id) === actor.id && typeof principal.role === 'string') return principal.role;
  return STAFF_ROLES.includes(actor.kind) ? actor.kind : null;
}

/** Decided: an entry concerns a case when its target is the case, or its details name it as `caseId`. */
function caseOf(target: { kind: string; id: string }, details: unknown): string | null {
  if (target.kind === 'case') return target.id;
  const named = (details as { caseId?: unknown } | null)?.caseId;
  return typeof named === 'string' && OBJECT_ID.test(named) ? named : null;
}

const MAX_ATTEMPTS = 20;

/**
 * The chain's head as this process last wrote or read it. Finding the head is a sorted query that
 * FerretDB answers by scanning the whole chain, every append; with the head remembered, an append is one
 * insert. Another instance (or a concurrent append here) may have moved the head on: the insert then
 * collides on the number, and only then is the head read again.
 */
let knownHead: { seq: number; hash: string } | null = null;

async function readHead(): Promise<{ seq: number; hash: string }> {
  const last = await AuditEntry.findOne({}, { _id: 1, hash: 1 }).sort({ _id: -1 }).lean();
  if (last) return { seq: last._id, hash: last.hash };
  const anchor = await AuditAnchor.findById('retention').lean();
  return { seq: anchor?.seq ?? 0, hash: anchor?.hash ?? AUDIT_GENESIS };
}

/** Tests that rewrite the chain behind the app's back (tampering, wiping) make it read the head again. */
export function forgetAuditHead(): void {
  knownHead = null;
}

export async function audit(entry: { actor: { kind: string; id: string; username?: string | null }; action: string; target: { kind: string; id: string | Types.ObjectId }; details?: Record<string, unknown> }) {
  // Plain JSON, ID numbers masked: what is hashed is exactly what is stored and read back.
  const details = JSON.parse(JSON.stringify(maskForAudit(entry.details ?? {}))) as unknown;
  const actor = { kind: entry.actor.kind, id: entry.actor.id, username: entry.actor.username ?? null };
  const target = { kind: entry.target.kind, id: String(entry.target.id) };
  const searchable = {
    requestId: currentRequest()?.requestId ?? null,
    actorId: actor.id,
    caseId: caseOf(target, details),
    actionGroup: entry.action.split('.')[0]!,
  };
  const role = roleOf(actor);
  for (let attempt = 1; ; attempt++) {
    const head = knownHead ?? (await readHead());
    const fields: ChainedFields = {
      _id: head.seq + 1,
      prevHash: head.hash,
      at: new Date(),
      actor: { ...actor, role },
      action: entry.action,
      target,
      details,
      ...searchable,
    };
    try {
      const hash = auditHash(fields);
      const created = await AuditEntry.create({ ...fields, hash });
      knownHead = { seq: fields._id, hash };
      return created;
    } catch (err) {
      knownHead = null;
      if (!isDuplicateKey(err) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first entry that does not hold, and why. */
  problem: { seq: number; reason: 'altered' | 'missing' | 'relinked' } | null;
}

/** Walks the chain from its start (or the retention anchor) and says where it first breaks. */
export async function verifyAuditChain(): Promise<AuditVerification> {
  const anchor = await AuditAnchor.findById('retention').lean();
  let expectedSeq = (anchor?.seq ?? 0) + 1;
  let prevHash = anchor?.hash ?? AUDIT_GENESIS;
  let checked = 0;
  for await (const e of AuditEntry.find().sort({ _id: 1 }).lean().cursor()) {
    const entry = e as unknown as ChainedFields & { hash: string };
    if (entry._id !== expectedSeq) return { ok: false, checked, problem: { seq: expectedSeq, reason: 'missing' } };
    if (entry.prevHash !== prevHash) return { ok: false, checked, problem: { seq: entry._id, reason: 'relinked' } };
    if (auditHash(entry) !== entry.hash) return { ok: false, checked, problem: { seq: entry._id, reason: 'altered' } };
    checked++;
    expectedSeq++;
    prevHash = entry.hash;
  }
  return { ok: true, checked, problem: null };
}

/**
 * Retention: drops entries older than `before`, after recording the last one dropped as the anchor the
 * rest verifies from. The anchor only moves forward.
 */
export async function purgeAuditBefore(before: Date): Promise<number> {
  const last = await AuditEntry.findOne({ at: { $lt: before } }, { _id: 1, hash: 1 }).sort({ _id: -1 }).lean();
  if (!last) return 0;
  const current = await AuditAnchor.findById('retention').lean();
  if (current && current.seq >= last._id) return 0;
  await AuditAnchor.updateOne({ _id: 'retention' }, { $set: { seq: last._id, hash: last.hash } }, { upsert: true });
  const removed = await AuditEntry.deleteMany({ _id: { $lte: last._id } });
  return removed.deletedCount ?? 0;
}
