import { Schema, Types, model, type InferSchemaType } from 'mongoose';

/**
 * The driver confirmed the scene is made safe (hazard lights on, warning triangle 50–100 m behind,
 * people off the carriageway) before the call button was enabled. Kept as evidence of that moment,
 * with the server's time, not the phone's.
 */
const safetyCheckSchema = new Schema(
  {
    driverId: { type: Types.ObjectId, required: true },
    confirmedAt: { type: Date, required: true },
    hazardLightsOn: { type: Boolean, required: true },
    warningTrianglePlaced: { type: Boolean, required: true },
    peopleInSafePlace: { type: Boolean, required: true },
  },
  { versionKey: false, collection: 'safety_checks' },
);
safetyCheckSchema.index({ driverId: 1, confirmedAt: -1 });

export type SafetyCheckRecord = InferSchemaType<typeof safetyCheckSchema>;
export const SafetyCheck = model('SafetyCheck', safetyCheckSchema);
