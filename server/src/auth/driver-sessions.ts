import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DriverSession } from '../../../typings/api/auth';
import type { Config } from '../config';
import type { DriverDocument } from '../drivers/driver.model';
import { getDriver, toDriverProfile } from '../drivers/driver.service';
import { AppError } from '../platform/errors';
import { RefreshToken } from './refresh-token.model';
import type { TokenService } from './tokens';
import { isDuplicateKey } from '../platform/database';

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
  const access = tokens.signDriverAccess(driver.id as string);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    refreshToken,
    refreshTokenExpiresAt: refreshTokenExpiresAt.toISOString(),
    driver: toDriverProfile(driver),
  };
}

/** Spends a refresh token and issues the next pair; a replayed token revokes its whole family. */
export async function rotateDriverSession(rawRefreshToken: string, tokens: TokenService, config: Config): Promise<DriverSession> {
  const tokenHash = hashToken(rawRefreshToken);
  const known = await RefreshToken.findOne({ tokenHash }).lean();
  if (!known || known.revokedAt || known.expiresAt <= new Date()) throw invalid();
  if (known.usedAt) {
    await revokeFamily(known.familyId);
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
      await revokeFamily(known.familyId);
      throw invalid();
    }
    throw err;
  }
  await RefreshToken.updateOne({ tokenHash }, { $set: { usedAt: new Date() } });
  return session;
}

export async function revokeDriverSession(rawRefreshToken: string): Promise<void> {
  const known = await RefreshToken.findOne({ tokenHash: hashToken(rawRefreshToken) }).lean();
  if (known) await revokeFamily(known.familyId);
}

async function revokeFamily(familyId: string): Promise<void> {
  await RefreshToken.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date() } });
}
