import { Schema, model } from 'mongoose';
import { AppError } from '../platform/errors';
import { isDuplicateKey } from '../platform/database';
import { sharedReads } from '../platform/cache/shared-reads';
import type { PubSub } from '../platform/pubsub/pubsub';

/**
 * Driver sessions that ended (logout, or a replayed refresh token) while access tokens of theirs may
 * still be unexpired. Keyed by the session id (`sid`, the refresh-token family), read by primary key on
 * every driver request; an entry is only needed until the last access token it could cover expires.
 * FerretDB v1 has no TTL indexes, so expired entries are deleted whenever one is added.
 */
const revokedSessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { versionKey: false, collection: 'revoked_sessions' },
);
revokedSessionSchema.index({ until: 1 });

export const RevokedSession = model('RevokedSession', revokedSessionSchema);

/** Other instances hear a revocation on this topic (`{ sid }`), and forget what they knew of it. */
const REVOKED_TOPIC = 'sessions-revoked';
/**
 * How long an instance trusts what it read about a session. A revocation is heard at once by the
 * instance that made it and, through pub/sub, by the others within milliseconds; only while Redis is
 * down can another instance accept a logged-out token, and for at most this long (a resync then
 * clears everything). Saves the read on almost every driver request: a phone polls every 5 s.
 */
export const REVOCATION_KEEP_MS = 30_000;
const known = sharedReads<boolean>({ keepMs: REVOCATION_KEEP_MS });

/** Wired once per process: a hint names one session; anything else (a resync after an outage) clears all. */
export function listenForRevocations(pubsub: PubSub): () => void {
  return pubsub.subscribe(REVOKED_TOPIC, (message) => {
    const sid = (message as { sid?: unknown } | null)?.sid;
    known.forget(typeof sid === 'string' ? sid : undefined);
  });
}

/** Refuses every access token of session `sid` until `until` (when the longest of them expires). */
export async function revokeSession(sid: string, until: Date, pubsub: PubSub): Promise<void> {
  try {
    await RevokedSession.create({ _id: sid, until });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Already revoked: only ever push the end later (a token minted during a racing refresh).
    await RevokedSession.updateOne({ _id: sid, until: { $lt: until } }, { $set: { until } });
  }
  known.forget(sid);
  await pubsub.publish(REVOKED_TOPIC, { sid });
  await RevokedSession.deleteMany({ until: { $lte: new Date() } });
}

/** From the database: for decisions that must not be a moment old (spending a refresh token). */
export async function isSessionRevoked(sid: string): Promise<boolean> {
  return (await RevokedSession.exists({ _id: sid })) !== null;
}

/** For every driver request: shared and kept for REVOCATION_KEEP_MS, forgotten on a revocation hint. */
export function isSessionRevokedRecently(sid: string): Promise<boolean> {
  return known.read(sid, () => isSessionRevoked(sid));
}

export const sessionRevoked = () => new AppError(401, 'TOKEN_REVOKED', '已退出登录，请重新登录');
