import { Schema, model } from 'mongoose';

/** One counter per brigade and year (`JM-PJ-2026`): a hint of the next number, nothing more. */
const certificateCounterSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { versionKey: false, collection: 'certificate_counters' });
export const CertificateCounter = model('CertificateCounter', certificateCounterSchema);

/**
 * A number, claimed for one decision. The unique _id is what makes a number never repeat: FerretDB
 * applies an `$inc` as read-then-write, so two concurrent increments can return the same value, and
 * only the insert that claims it settles who has it. `decisionKey` makes a retried issue find its own.
 */
const certificateNumberSchema = new Schema(
  { _id: { type: String, required: true }, decisionKey: { type: String, required: true, unique: true }, claimedAt: { type: Date, required: true } },
  { versionKey: false, collection: 'certificate_numbers' },
);
export const CertificateNumberClaim = model('CertificateNumberClaim', certificateNumberSchema);
