import { Schema, model, Types } from 'mongoose';

/**
 * Driver refresh tokens, stored only as a SHA-256 hash. Each is single-use: using it marks it used and
 * issues the next one in the same family. A used token presented again means it was copied, so the
 * whole family is revoked and the driver logs in again.
 */
const refreshTokenSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    driverId: { type: Types.ObjectId, required: true, index: true },
    familyId: { type: String, required: true, index: true },
    /**
     * The token this one replaced (`root:<familyId>` for the first). Unique, so two concurrent refreshes
     * with the same token cannot both mint a successor: the loser is treated as a replay.
     */
    parentHash: { type: String, required: true, unique: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'refresh_tokens' },
);

export const RefreshToken = model('RefreshToken', refreshTokenSchema);
