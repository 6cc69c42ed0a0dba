import type { IdCipher } from './id-cipher';
import { DriverIdentity } from './identity.model';

/**
 * Key rotation, second half: after a new key is made active, re-seal every ID number still sealed with
 * an older key, so the old key can be retired. Each update is guarded by the value it replaces, so a
 * record changed meanwhile is simply left for the next run. Returns how many were re-sealed.
 */
export async function resealIdentities(cipher: IdCipher): Promise<number> {
  let resealed = 0;
  for await (const identity of DriverIdentity.find({}, { idNumberSealed: 1 }).lean().cursor()) {
    if (!cipher.needsRotation(identity.idNumberSealed)) continue;
    const sealed = cipher.seal(cipher.open(identity.idNumberSealed));
    const result = await DriverIdentity.updateOne({ _id: identity._id, idNumberSealed: identity.idNumberSealed }, { $set: { idNumberSealed: sealed } });
    resealed += result.modifiedCount;
  }
  return resealed;
}
