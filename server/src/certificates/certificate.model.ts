import { Schema, model, type InferSchemaType } from 'mongoose';

export const CERTIFICATE_STATUSES = ['valid', 'superseded', 'withdrawn'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/**
 * One issued certificate, keyed by its number. `canonical` is the exact text that was signed (it holds
 * the masked personal data printed on the page, and is never sent to a public verifier); `pdfKey` names
 * the file in the blob store and `pdfSha256` its bytes, so a presented file can be matched exactly.
 */
const certificateSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    unitName: { type: String, required: true },
    unitCode: { type: String, required: true },
    status: { type: String, enum: CERTIFICATE_STATUSES, required: true, default: 'valid' },
    statusChangedAt: { type: Date, default: null },
    supersededBy: { type: String, default: null },
    supersedes: { type: String, default: null },
    canonical: { type: String, required: true },
    contentSha256: { type: String, required: true },
    signature: { type: String, required: true },
    keyId: { type: String, required: true },
    pdfKey: { type: String, required: true },
    pdfSha256: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'certificates' },
);
certificateSchema.index({ caseId: 1, issuedAt: -1 });

export type CertificateRecord = InferSchemaType<typeof certificateSchema> & { _id: string };
export const Certificate = model('Certificate', certificateSchema);
