import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { Schema, Types, model } from 'mongoose';
import { isDuplicateKey } from '../database';
import { maskIdNumbersDeep } from '../mask';

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
    actor: { kind: { type: String, required: true }, id: { type: String, required: true }, username: { type: String, default: null } },
    action: { type: String, required: true },
    target: { kind: { type: String, required: true }, id: { type: String, required: true } },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  // A new collection for the chained log: entries of the earlier, unchained `audit_log` stay where they are.
  { versionKey: false, collection: 'audit_chain' },
);
auditEntrySchema.index({ 'target.kind': 1, 'target.id': 1, at: 1 });

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
  actor: { kind: string; id: string; username?: string | null };
  action: string;
  target: { kind: string; id: string };
  details: unknown;
}

/** SHA-256 of the entry's canonical JSON (RFC 8785), everything but the hash itself. */
export function auditHash(e: ChainedFields): string {
  const canonical = canonicalize({
    seq: e._id,
    prevHash: e.prevHash,
    at: e.at.toISOString(),
    actor: { kind: e.actor.kind, id: e.actor.id, username: e.actor.username ?? null },
    action: e.action,
    target: { kind: e.target.kind, id: e.target.id },
    details: e.details ?? {},
  });
  return createHash('sha256').update(canonical ?? '').digest('hex');
}

const MAX_ATTEMPTS = 20;

export async function audit(entry: { actor: { kind: string; id: string; username?: string | null }; action: string; target: { kind: string; id: string | Types.ObjectId }; details?: Record<string, unknown> }) {
  // Plain JSON, ID numbers masked: what is hashed is exactly what is stored and read back.
  const details = JSON.parse(JSON.stringify(maskIdNumbersDeep(entry.details ?? {}))) as unknown;
  for (let attempt = 1; ; attempt++) {
    const last = await AuditEntry.findOne({}, { _id: 1, hash: 1 }).sort({ _id: -1 }).lean();
    const anchor = last ? null : await AuditAnchor.findById('retention').lean();
    const fields: ChainedFields = {
      _id: (last?._id ?? anchor?.seq ?? 0) + 1,
      prevHash: last?.hash ?? anchor?.hash ?? AUDIT_GENESIS,
      at: new Date(),
      actor: { kind: entry.actor.kind, id: entry.actor.id, username: entry.actor.username ?? null },
      action: entry.action,
      target: { kind: entry.target.kind, id: String(entry.target.id) },
      details,
    };
    try {
      return await AuditEntry.create({ ...fields, hash: auditHash(fields) });
    } catch (err) {
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
