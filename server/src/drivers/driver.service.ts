import type { DriverProfile } from '../../../typings/api/auth';
import { notFound } from '../platform/errors';
import { Driver, type DriverDocument } from './driver.model';
import { isDuplicateKey } from '../platform/database';

/** First login creates the driver; later ones only touch lastLoginAt. One atomic upsert either way. */
export async function upsertDriverByOpenid(openid: string, unionid: string | null): Promise<DriverDocument> {
  const now = new Date();
  const update = { $set: { lastLoginAt: now, ...(unionid ? { unionid } : {}) }, $setOnInsert: { openid, verification: 'unverified' } };
  try {
    return await Driver.findOneAndUpdate({ openid }, update, { upsert: true, returnDocument: 'after' }).orFail();
  } catch (err) {
    // Two first logins of the same user at once: the unique index lets one insert win; the other updates.
    if (!isDuplicateKey(err)) throw err;
    return Driver.findOneAndUpdate({ openid }, { $set: update.$set }, { returnDocument: 'after' }).orFail();
  }
}

export async function getDriver(id: string): Promise<DriverDocument> {
  const driver = await Driver.findById(id);
  if (!driver) throw notFound('用户不存在');
  return driver;
}

export function toDriverProfile(driver: DriverDocument): DriverProfile {
  return { id: driver.id as string, verification: driver.verification, createdAt: (driver.get('createdAt') as Date).toISOString() };
}
