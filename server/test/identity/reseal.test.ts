import { Types } from 'mongoose';
import { createIdCipher } from '../../src/identity/id-cipher';
import { DriverIdentity } from '../../src/identity/identity.model';
import { resealIdentities } from '../../src/identity/reseal-identities';
import { startTestServer, type TestServer } from '../harness';

describe('ID key rotation', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('re-seals records made with an old key; they open with the new key set, and the lookup hash stays', async () => {
    const hmacKey = Buffer.alloc(32, 5);
    const old = createIdCipher({ keys: { k1: Buffer.alloc(32, 1) }, activeKeyId: 'k1', hmacKey });
    const rotated = createIdCipher({ keys: { k1: Buffer.alloc(32, 1), k2: Buffer.alloc(32, 2) }, activeKeyId: 'k2', hmacKey });
    const ids = ['440703199001011239', '440784197811201234'];
    for (const id of ids) {
      await DriverIdentity.create({ driverId: new Types.ObjectId(), name: '测试', idNumberSealed: old.seal(id), idHash: old.lookupHash(id), phone: '13800000000', agreement: { version: 'v', acceptedAt: new Date() } });
    }
    expect(await resealIdentities(rotated)).toBe(2);
    expect(await resealIdentities(rotated)).toBe(0);
    const stored = await DriverIdentity.find().lean();
    expect(stored.every((s) => s.idNumberSealed.startsWith('v1.k2.'))).toBe(true);
    const onlyNewKey = createIdCipher({ keys: { k2: Buffer.alloc(32, 2) }, activeKeyId: 'k2', hmacKey });
    expect(stored.map((s) => onlyNewKey.open(s.idNumberSealed)).sort()).toEqual([...ids].sort());
    expect(stored.every((s) => s.idHash === onlyNewKey.lookupHash(onlyNewKey.open(s.idNumberSealed)))).toBe(true);
  });
});
