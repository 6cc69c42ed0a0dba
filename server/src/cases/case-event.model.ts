import { Schema, Types, model, type InferSchemaType } from 'mongoose';
import { CASE_STATES } from './case.model';

/** `<caseId>:<rev, zero-padded>`: event n of a case has exactly one possible primary key. */
export const caseEventId = (caseId: Types.ObjectId | string, rev: number) => `${String(caseId)}:${String(rev).padStart(6, '0')}`;

/**
 * The append-only history of a case: one document per change, numbered. Its primary key is
 * (case, rev), which is what makes a change safe under concurrency: inserting event n+1 succeeds for
 * exactly one writer, on MongoDB and on FerretDB alike (FerretDB v1 applies updates as read-modify-write
 * without a lock, so a state guard in an update filter alone is not atomic there). Keying by _id also
 * keeps the lookup of the next event a primary-key read on FerretDB, which filters other fields by
 * scanning the collection.
 */
const caseEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: Types.ObjectId, required: true },
    rev: { type: Number, required: true },
    at: { type: Date, required: true },
    event: { type: String, required: true },
    from: { type: String, enum: CASE_STATES, required: true },
    to: { type: String, enum: CASE_STATES, required: true },
    actor: {
      kind: { type: String, required: true },
      id: { type: String, default: null },
    },
    reason: { type: String, default: null },
    /** The request that made the change (X-Request-Id), as the audit log shows it; null from a sweeper. */
    requestId: { type: String, default: null },
    /**
     * What this event changed besides the state — top-level fields (`set`), values inside lists by path
     * (`setPaths`), items appended (`push`) — so a half-applied event can be replayed, and the history
     * holds each change once rather than a copy of the case per event.
     */
    set: { type: Schema.Types.Mixed, default: {} },
    /** `[{ path: 'parties.1.info', value }]`: a list, as field names cannot hold dots. */
    setPaths: { type: Schema.Types.Mixed, default: [] },
    push: { type: Schema.Types.Mixed, default: {} },
    /** The case's own hash chain (case-event-chain.ts): the previous event's hash, and this one's. */
    prevHash: { type: String, default: null },
    hash: { type: String, default: null },
  },
  { versionKey: false, collection: 'case_events' },
);
caseEventSchema.index({ caseId: 1, rev: 1 });

export type CaseEventRecord = InferSchemaType<typeof caseEventSchema>;
export const CaseEvent = model('CaseEvent', caseEventSchema);
