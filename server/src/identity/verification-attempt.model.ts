import { Schema, Types, model } from 'mongoose';

/** Every step of every verification path, append-only: who, when, which path, what came of it, why. */
const verificationAttemptSchema = new Schema(
  {
    driverId: { type: Types.ObjectId, required: true, index: true },
    at: { type: Date, required: true },
    path: { type: String, enum: ['profile', 'face', 'sms', 'third_party', 'validity', 'manual_review'], required: true },
    result: { type: String, enum: ['started', 'passed', 'failed', 'refused'], required: true },
    code: { type: String, default: null },
    reason: { type: String, default: null },
  },
  { versionKey: false, collection: 'verification_attempts' },
);

export const VerificationAttempt = model('VerificationAttempt', verificationAttemptSchema);

export type AttemptPath = 'profile' | 'face' | 'sms' | 'third_party' | 'validity' | 'manual_review';
export type AttemptResult = 'started' | 'passed' | 'failed' | 'refused';

export function recordAttempt(entry: { driverId: Types.ObjectId | string; path: AttemptPath; result: AttemptResult; code?: string | null; reason?: string | null }) {
  return VerificationAttempt.create({ ...entry, at: new Date() });
}
