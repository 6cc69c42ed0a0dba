import { Schema, Types, model, type InferSchemaType } from 'mongoose';

/** Who a driver says they are: the name, the ID number (sealed + keyed hash) and the phone they gave. */
const driverIdentitySchema = new Schema(
  {
    driverId: { type: Types.ObjectId, required: true, unique: true },
    name: { type: String, required: true },
    idNumberSealed: { type: String, required: true },
    idHash: { type: String, required: true, index: true },
    phone: { type: String, required: true },
    entry: { type: String, enum: ['new_user', 'existing_user'], default: 'new_user' },
    idValidity: { type: new Schema({ start: String, end: { type: String, default: null } }, { _id: false }), default: null },
    agreement: {
      version: { type: String, required: true },
      acceptedAt: { type: Date, required: true },
    },
  },
  { timestamps: true, collection: 'driver_identities' },
);

export type DriverIdentityRecord = InferSchemaType<typeof driverIdentitySchema>;
export const DriverIdentity = model('DriverIdentity', driverIdentitySchema);

/**
 * One verified person per ID number. Verifying inserts here; the unique index makes a second openid's
 * claim on the same number fail atomically (on FerretDB too, where a check-then-update would race).
 */
const verifiedPersonSchema = new Schema(
  {
    idHash: { type: String, required: true, unique: true },
    driverId: { type: Types.ObjectId, required: true },
    method: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'verified_persons' },
);
export const VerifiedPerson = model('VerifiedPerson', verifiedPersonSchema);
