import { Schema, Types, model } from 'mongoose';

/** What staff did, append-only: who, when, which action on what, and the details that matter. */
const auditEntrySchema = new Schema(
  {
    at: { type: Date, required: true },
    actor: { kind: { type: String, required: true }, id: { type: String, required: true }, username: { type: String, default: null } },
    action: { type: String, required: true },
    target: { kind: { type: String, required: true }, id: { type: String, required: true } },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, collection: 'audit_log' },
);
auditEntrySchema.index({ 'target.kind': 1, 'target.id': 1, at: 1 });

export const AuditEntry = model('AuditEntry', auditEntrySchema);

export function audit(entry: { actor: { kind: string; id: string; username?: string | null }; action: string; target: { kind: string; id: string | Types.ObjectId }; details?: Record<string, unknown> }) {
  return AuditEntry.create({ ...entry, target: { kind: entry.target.kind, id: String(entry.target.id) }, at: new Date() });
}
