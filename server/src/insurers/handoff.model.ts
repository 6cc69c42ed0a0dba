import { Schema, Types, model, type InferSchemaType } from 'mongoose';

export const HANDOFF_STATUSES = ['sending', 'accepted', 'failed'] as const;

/**
 * One party's hand-off of the 认定书 to their insurer: at most one per (case, party), so a retry re-sends
 * the same one. `request` is the claim exactly as first sent under `idempotencyKey` (without the PDF's
 * bytes, which stay in the certificate store): a retry must send the same body, or the insurer would
 * rightly refuse the key (docs/contracts/insurer.md, 40901).
 */
const handoffSchema = new Schema(
  {
    caseId: { type: Types.ObjectId, required: true },
    party: { type: String, required: true },
    driverId: { type: Types.ObjectId, required: true },
    insurerCode: { type: String, required: true },
    insurerName: { type: String, required: true },
    status: { type: String, enum: HANDOFF_STATUSES, required: true },
    idempotencyKey: { type: String, required: true },
    certificateNumber: { type: String, required: true },
    request: { type: Schema.Types.Mixed, required: true },
    /** When the party consented to this hand-off (the request carries it). */
    consentAt: { type: Date, required: true },
    claimNo: { type: String, default: null },
    /** When the insurer accepted it. */
    sentAt: { type: Date, default: null },
    /** In Chinese, for the party, when the last attempt failed. */
    error: { type: String, default: null },
    attempts: { type: Number, required: true, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'handoffs' },
);
handoffSchema.index({ caseId: 1, party: 1 }, { unique: true });
handoffSchema.index({ driverId: 1 });

export type HandoffRecord = InferSchemaType<typeof handoffSchema> & { _id: Types.ObjectId };
export const Handoff = model('InsurerHandoff', handoffSchema);
