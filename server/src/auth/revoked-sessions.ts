import { Schema, model } from 'mongoose';
import { AppError } from '../platform/errors';
import { isDuplicateKey } from '../platform/database';

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

const RevokedSession = model('RevokedSession', revokedSessionSchema);

/** Refuses every access token of session `sid` until `until` (when the longest of them expires). */
export async function revokeSession(sid: string, until: Date): Promise<void> {
  try {
    await RevokedSession.create({ _id: sid, until });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Already revoked: only ever push the end later (a token minted during a racing refresh).
    await RevokedSession.updateOne({ _id: sid, until: { $lt: until } }, { $set: { until } });
  }
  await RevokedSession.deleteMany({ until: { $lte: new Date() } });
}

export async function isSessionRevoked(sid: string): Promise<boolean> {
  return (await RevokedSession.exists({ _id: sid })) !== null;
}

export const sessionRevoked = () => new AppError(401, 'TOKEN_REVOKED', '已退出登录，请重新登录');
