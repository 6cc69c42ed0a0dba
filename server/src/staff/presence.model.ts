import { Schema, Types, model } from 'mongoose';

/** When a dispatcher's console last showed signs of life (queue fetch or live-queue heartbeat). */
const presenceSchema = new Schema(
  {
    staffId: { type: Types.ObjectId, required: true, unique: true },
    brigadeCode: { type: String, default: null },
    role: { type: String, required: true },
    lastSeenAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'staff_presence' },
);
presenceSchema.index({ brigadeCode: 1, lastSeenAt: -1 });

export const StaffPresence = model('StaffPresence', presenceSchema);
