import { Schema, model } from 'mongoose';

/**
 * One document per counted event (e.g. a failed login). Counting inserts rather than incrementing a
 * counter keeps the count exact under concurrency on every engine: FerretDB v1 applies `$inc` as an
 * unlocked read-modify-write, so parallel guesses could otherwise slip past the limit.
 */
const rateLimitEventSchema = new Schema(
  {
    key: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'rate_limit_events' },
);
rateLimitEventSchema.index({ key: 1, at: 1 });

export const RateLimitEvent = model('RateLimitEvent', rateLimitEventSchema);
