import { Schema, Types, model, type InferSchemaType } from 'mongoose';

/**
 * A resumable upload: one file a party's phone is sending in chunks. Its `_id` is derived from
 * (case, driver, uploadKey) (upload.service.ts), so a retry or a concurrent duplicate of the create
 * can only hit the same primary key. Once fixed, `evidenceId` names the evidence item it became.
 */
const uploadSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: Types.ObjectId, required: true },
    driverId: { type: Types.ObjectId, required: true },
    /** The party label of the uploader on this case ('A', 'B', 'C'). */
    party: { type: String, required: true },
    uploadKey: { type: String, required: true },
    kind: { type: String, required: true },
    shotRequestId: { type: String, default: null },
    mimeType: { type: String, required: true },
    size: { type: Number, required: true },
    chunkSize: { type: Number, required: true },
    totalChunks: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    evidenceId: { type: String, default: null },
    completedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'uploads' },
);
export type UploadRecord = InferSchemaType<typeof uploadSchema> & { _id: string };
export const Upload = model('Upload', uploadSchema);

/**
 * One received chunk, `_id` = `<uploadId>:<index, zero-padded>`: receiving it twice is one insert that
 * wins and one that is refused. The bytes are in the blob store under `blobKey`
 * (`uploads/<uploadId>/<index>-<random>`: each send writes its own file, so two racing sends never
 * write one file; the loser deletes its own). Deleted once the upload is fixed, so the collection only
 * ever holds uploads still in flight (on FerretDB every read of it is a scan; see docs/ARCHITECTURE.md,
 * "Evidence").
 */
const uploadChunkSchema = new Schema(
  {
    _id: { type: String, required: true },
    uploadId: { type: String, required: true },
    index: { type: Number, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    blobKey: { type: String, required: true },
    receivedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'upload_chunks' },
);
// An upload's chunks by one equality (FerretDB pushes it down to the index; a `$in` of ids it does not).
uploadChunkSchema.index({ uploadId: 1 });
export const UploadChunk = model('UploadChunk', uploadChunkSchema);

/**
 * A fixed evidence item: immutable once inserted. `_id` = `<caseId>:<seq, zero-padded>`, so claiming
 * number n of a case is an insert exactly one writer wins; `chainHash` covers the previous item's
 * chainHash, so changing or removing any item breaks every later one (evidence-chain.ts).
 * `sourceId` (the upload, or `frame-…` for a still frame) is unique: the same upload can never be
 * fixed twice, however many completes race.
 */
const evidenceSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    kind: { type: String, required: true },
    party: { type: String, default: null },
    shotRequestId: { type: String, default: null },
    mimeType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    prevChainHash: { type: String, default: '' },
    chainHash: { type: String, required: true },
    /** The server's clock when it was fixed (services.clock()). */
    fixedAt: { type: Date, required: true },
    blobKey: { type: String, required: true },
    sourceId: { type: String, required: true },
    by: { kind: { type: String, required: true }, id: { type: String, default: null } },
  },
  { versionKey: false, collection: 'evidence' },
);
evidenceSchema.index({ sourceId: 1 }, { unique: true });

export type EvidenceRecord = InferSchemaType<typeof evidenceSchema> & { _id: string };
export const Evidence = model('Evidence', evidenceSchema);
