import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/** A dispatcher, officer or operations account of the web console. */
const staffSchema = new Schema(
  {
    username: { type: String, required: true, unique: true, lowercase: true, trim: true },
    displayName: { type: String, required: true },
    role: { type: String, enum: ['dispatcher', 'officer', 'reviewer', 'ops'], required: true },
    brigadeCode: { type: String, default: null },
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, required: true, default: false },
    /** Bumped to end every session of the account at once (password change, account disabled). */
    sessionVersion: { type: Number, required: true, default: 0 },
    lastLoginAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'staff' },
);

export type StaffRecord = InferSchemaType<typeof staffSchema>;
export type StaffDocument = HydratedDocument<StaffRecord>;
export const Staff = model('Staff', staffSchema);
