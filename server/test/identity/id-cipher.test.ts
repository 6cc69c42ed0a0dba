import { createIdCipher } from '../../src/identity/id-cipher';

const key = (n: number) => Buffer.alloc(32, n);

describe('ID cipher', () => {
  const v1 = createIdCipher({ keys: { a: key(1) }, activeKeyId: 'a', hmacKey: key(9) });

  it('seals with AES-256-GCM: never the plain number, a fresh IV each time, and opens again', () => {
    const sealed = v1.seal('440703199003072418');
    expect(sealed).toMatch(/^v1\.a\./);
    expect(sealed).not.toContain('440703199003072418');
    expect(v1.seal('440703199003072418')).not.toBe(sealed);
    expect(v1.open(sealed)).toBe('440703199003072418');
  });

  it('detects tampering', () => {
    const parts = v1.seal('440703199003072418').split('.');
    const flipped = Buffer.from(parts[4]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    parts[4] = flipped.toString('base64url');
    expect(() => v1.open(parts.join('.'))).toThrow();
  });

  it('rotates: new data uses the new key, old data still opens and is flagged for resealing', () => {
    const old = v1.seal('440703199003072418');
    const v2 = createIdCipher({ keys: { a: key(1), b: key(2) }, activeKeyId: 'b', hmacKey: key(9) });
    expect(v2.open(old)).toBe('440703199003072418');
    expect(v2.needsRotation(old)).toBe(true);
    expect(v2.seal('x')).toMatch(/^v1\.b\./);
    expect(v2.needsRotation(v2.seal('x'))).toBe(false);
    // Lookups do not change with the encryption key.
    expect(v2.lookupHash('440703199003072418')).toBe(v1.lookupHash('440703199003072418'));
  });

  it('gives a keyed lookup hash: stable, and useless without the key', () => {
    const other = createIdCipher({ keys: { a: key(1) }, activeKeyId: 'a', hmacKey: key(8) });
    expect(v1.lookupHash('440703199003072418')).toMatch(/^[0-9a-f]{64}$/);
    expect(other.lookupHash('440703199003072418')).not.toBe(v1.lookupHash('440703199003072418'));
  });
});
