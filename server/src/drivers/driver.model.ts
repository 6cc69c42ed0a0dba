import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/** A driver is a WeChat user of the mini-program, known by the openid WeChat gives for our appid. */
const driverSchema = new Schema(
  {
    openid: { type: String, required: true, unique: true },
    unionid: { type: String, default: null },
    verification: {
      type: String,
      enum: ['unverified', 'pending_review', 'verified', 'rejected'],
      required: true,
      default: 'unverified',
    },
    verificationMethod: { type: String, enum: ['face', 'sms', 'third_party', 'manual_review', null], default: null },
    verifiedAt: { type: Date, default: null },
    lastLoginAt: { type: Date, required: true },
  },
  { timestamps: true, collection: 'drivers' },
);

export type DriverRecord = InferSchemaType<typeof driverSchema>;
export type DriverDocument = HydratedDocument<DriverRecord>;
export const Driver = model('Driver', driverSchema);
