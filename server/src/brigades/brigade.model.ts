import { Schema, model, type InferSchemaType } from 'mongoose';

/** A traffic-police brigade (大队): the districts whose cases land in its queue. */
const brigadeSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    /** County-level adcodes (e.g. 440703) this brigade answers for. */
    districtAdcodes: { type: [String], required: true, default: [] },
    dutyPhone: { type: String, default: null },
  },
  { timestamps: true, collection: 'brigades' },
);

export type BrigadeRecord = InferSchemaType<typeof brigadeSchema>;
export const Brigade = model('Brigade', brigadeSchema);
