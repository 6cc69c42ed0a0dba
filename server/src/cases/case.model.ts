import { Schema, Types, model, type InferSchemaType } from 'mongoose';

export const CASE_STATES = [
  'draft', 'queued', 'in_call', 'collecting', 'released', 'determined', 'delivered',
  'review_requested', 'reviewed', 'closed', 'redirected', 'cancelled', 'abandoned',
] as const;

/**
 * The current state of a case: a projection of its event log (case-event.model.ts). `rev` counts the
 * events applied; only the writer that claimed event `rev + 1` may move it (case-revisions.ts).
 */
const caseSchema = new Schema(
  {
    state: { type: String, enum: CASE_STATES, required: true, default: 'draft' },
    rev: { type: Number, required: true, default: 0 },
    stateChangedAt: { type: Date, required: true, default: () => new Date() },
    brigadeCode: { type: String, default: null },
    districtAdcode: { type: String, default: null },
    districtName: { type: String, default: '' },
    address: { type: String, default: '' },
    location: { lat: Number, lng: Number },
    vehicleCount: { type: Number, default: 0 },
    initiatorId: { type: Types.ObjectId, required: true },
  },
  { timestamps: true, collection: 'cases' },
);
// The live queue: a brigade's waiting cases, oldest first.
caseSchema.index({ brigadeCode: 1, state: 1, createdAt: 1 });

export type CaseRecord = InferSchemaType<typeof caseSchema>;
export const Case = model('Case', caseSchema);
