import { Schema, Types, model } from 'mongoose';

/**
 * The chat of a call, one document per message, written once and never changed. Kept off the case
 * document so a chatty party neither grows every case event (each used to copy the whole chat) nor
 * contends with the dispatcher's edits of the case.
 */
const chatMessageSchema = new Schema(
  {
    /** `<caseId>:<ms, padded>:<counter>:<random>` (chat.ts): unique, and in arrival order within a case. */
    _id: { type: String, required: true },
    caseId: { type: Types.ObjectId, required: true },
    /** 'A' / 'B' / 'C' or 'dispatcher'. */
    from: { type: String, required: true },
    text: { type: String, required: true },
    at: { type: Date, required: true },
    by: { kind: { type: String, required: true }, id: { type: String, default: null } },
  },
  { versionKey: false, collection: 'case_messages' },
);
chatMessageSchema.index({ caseId: 1, _id: 1 });

export const ChatMessageDoc = model('ChatMessage', chatMessageSchema);
