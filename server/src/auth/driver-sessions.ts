import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DriverSession } from '../../../typings/api/auth';
import type { Config } from '../config';
import { type DriverDocument, getDriver, toDriverProfile } from '../drivers';
import { AppError } from '../platform/errors';
import { RefreshToken } from './refresh-token.model';
import type { TokenService } from './tokens';
import { isDuplicateKey } from '../platform/database';
import type { PubSub } from '../platform/pubsub/pubsub';
import { isSessionRevoked, revokeSession } from './revoked-sessions';

/** What a session change needs: revocations are told to the other instances. */
export interface SessionServices {
  tokens: TokenService;
  config: Config;
  pubsub: PubSub;
}

const hashToken = (raw: string) => createHash('sha256').update(raw).digest('hex');
const invalid = () => new AppError(401, 'REFRESH_TOKEN_INVALID', '登录已失效，请重新登录');

export async function issueDriverSession(
  driver: DriverDocument,
  tokens: TokenService,
  config: Config,
  parent: { familyId: string; tokenHash: string } | null = null,
): Promise<DriverSession> {
  const familyId = parent?.familyId ?? randomUUID();
  const refreshToken = randomBytes(32).toString('base64url');
  const refreshTokenExpiresAt = new Date(Date.now() + config.DRIVER_REFRESH_TTL_SECONDS * 1000);
  await RefreshToken.create({
    tokenHash: hashToken(refreshToken),
    parentHash: parent?.tokenHash ?? `root:${familyId}`,
    driverId: driver._id,
    familyId,
    expiresAt: refreshTokenExpiresAt,
  });
  // The family is the session: its id goes into every access token, so ending the family ends them.
  const access = tokens.signDriverAccess(driver.id as string, familyId);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    refreshToken,
    refreshTokenExpiresAt: refreshTokenExpiresAt.toISOString(),
    driver: toDriverProfile(driver),
  };
}

/** Spends a refresh token and issues the next pair; a replayed token revokes its whole family. */
export async function rotateDriverSession(rawRefreshToken: string, { tokens, config, pubsub }: SessionServices): Promise<DriverSession> {
  const tokenHash = hashToken(rawRefreshToken);
  const known = await RefreshToken.findOne({ tokenHash }).lean();
  if (!known || known.revokedAt || known.expiresAt <= new Date()) throw invalid();
  if (known.usedAt) {
    await revokeFamily(known.familyId, config, pubsub);
    throw invalid();
  }
  const driver = await getDriver(String(known.driverId)).catch(() => {
    throw invalid();
  });
  let session: DriverSession;
  try {
    session = await issueDriverSession(driver, tokens, config, { familyId: known.familyId, tokenHash });
  } catch (err) {
    // Someone else spent this token a moment ago: the same as a replay.
    if (isDuplicateKey(err)) {
      await revokeFamily(known.familyId, config, pubsub);
      throw invalid();
    }
    throw err;
  }
  await RefreshToken.updateOne({ tokenHash }, { $set: { usedAt: new Date() } });
  // A logout or replay that revoked the family while this refresh was under way: what it minted is dead too.
  if (await isSessionRevoked(known.familyId)) {
    await revokeFamily(known.familyId, config, pubsub);
    throw invalid();
  }
  return session;
}

/** Logout: ends the session the refresh token belongs to, and `accessSid`'s (the access token's) if another. */
export async function revokeDriverSession(rawRefreshToken: string, accessSid: string | null, { config, pubsub }: Omit<SessionServices, 'tokens'>): Promise<void> {
  const known = await RefreshToken.findOne({ tokenHash: hashToken(rawRefreshToken) }).lean();
  const families = new Set([known?.familyId, accessSid].filter((id): id is string => Boolean(id)));
  for (const familyId of families) await revokeFamily(familyId, config, pubsub);
}

/** Spends no more refresh tokens of the family, and refuses its access tokens until the last could expire. */
async function revokeFamily(familyId: string, config: Config, pubsub: PubSub): Promise<void> {
  await RefreshToken.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date() } });
  await revokeSession(familyId, new Date(Date.now() + config.DRIVER_ACCESS_TTL_SECONDS * 1000), pubsub);
}
