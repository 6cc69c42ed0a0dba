import { Schema, Types, model } from 'mongoose';

/** A verification code sent by SMS to a reserved phone; only its hash is kept. */
const smsChallengeSchema = new Schema(
  {
    driverId: { type: Types.ObjectId, required: true, index: true },
    phone: { type: String, required: true },
    /** Whose reserved phone this is: the registry's, or one a third-party provider vouched for. */
    source: { type: String, enum: ['registry', 'third_party'], required: true },
    codeHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'sms_challenges' },
);
export const SmsChallenge = model('SmsChallenge', smsChallengeSchema);

/** Spending a code inserts here: the unique challengeId makes a code single-use under any concurrency. */
const smsChallengeUseSchema = new Schema(
  {
    challengeId: { type: Types.ObjectId, required: true, unique: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'sms_challenge_uses' },
);
export const SmsChallengeUse = model('SmsChallengeUse', smsChallengeUseSchema);
