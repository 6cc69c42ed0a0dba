import { Schema, model } from 'mongoose';

/**
 * One document per staff login attempt that was let through to a password check, until a success
 * clears its key. `_id` is `<key>|<period>|<slot>`: an attempt claims one of the LOGIN_MAX_FAILURES
 * slots of the key's current period by inserting it, so concurrent attempts can never claim more slots
 * than there are (the primary key settles the race on every engine; FerretDB v1 applies `$inc` and
 * guarded updates as unlocked read-modify-writes). See login-lock.ts.
 */
const loginAttemptSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** `user:<username>` or `device:<device id>`. */
    key: { type: String, required: true, index: true },
    /** When the period began (ms since the epoch; 0 for a key's first), derived from the periods before it. */
    period: { type: Number, required: true },
    slot: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'login_attempts' },
);
loginAttemptSchema.index({ at: 1 });

export const LoginAttempt = model('LoginAttempt', loginAttemptSchema);
