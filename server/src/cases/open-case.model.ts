import { Schema, Types, model, type InferSchemaType } from 'mongoose';
import { CASE_STATES } from './case.model';

/**
 * The cases still at the scene (queued, on a call, collecting, or parked for 继续处理): a projection
 * of `cases`, keyed by the case's own _id, rewritten after every change and dropped when the case
 * moves on. Everything hot reads this small set — the live queue, "is this driver busy?", the join
 * code, duplicates nearby — instead of the whole history of cases. (FerretDB v1 filters anything but
 * _id by scanning the collection; on MongoDB the indexes below serve the same queries.)
 */
const openCaseSchema = new Schema(
  {
    _id: { type: Types.ObjectId, required: true },
    /** The case's rev this copy was made from: an older copy never overwrites a newer one. */
    rev: { type: Number, required: true },
    state: { type: String, enum: CASE_STATES, required: true },
    brigadeCode: { type: String, default: null },
    reportedAt: { type: Date, required: true },
    queuedAt: { type: Date, default: null },
    requeued: { type: Boolean, default: false },
    location: { lat: Number, lng: Number },
    districtName: { type: String, default: '' },
    address: { type: String, default: '' },
    vehicleCount: { type: Number, default: 0 },
    plates: { type: [String], default: [] },
    /** Who is on the call (the desk's on-duty list says who is busy with which case). */
    answeredAt: { type: Date, default: null },
    answeredBy: { id: { type: String, default: null }, name: { type: String, default: null } },
    driverIds: { type: [Types.ObjectId], default: [] },
    joinCode: { type: String, required: true },
    joinCodeExpiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'open_cases' },
);
openCaseSchema.index({ brigadeCode: 1, state: 1, reportedAt: 1 });
openCaseSchema.index({ driverIds: 1 });
openCaseSchema.index({ joinCode: 1 });

export type OpenCaseRecord = InferSchemaType<typeof openCaseSchema>;
export const OpenCase = model('OpenCase', openCaseSchema);
