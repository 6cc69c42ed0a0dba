import { checkIdCipherKeys, type IdCipherKeys } from '../config';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * ID numbers at rest: AES-256-GCM under a key chosen by id (so keys can be rotated: new data uses the
 * active key, old data still names the key it was sealed with), plus an HMAC-SHA256 of the number
 * under a separate key, for lookups and uniqueness without decrypting anything.
 *
 * Sealed form: `v1.<keyId>.<iv b64url>.<tag b64url>.<ciphertext b64url>`.
 */
export interface IdCipher {
  seal(plain: string): string;
  open(sealed: string): string;
  lookupHash(plain: string): string;
  /** True when `sealed` was made with an older key and should be sealed again. */
  needsRotation(sealed: string): boolean;
}

export function createIdCipher({ keys, activeKeyId, hmacKey }: IdCipherKeys): IdCipher {
  const active = checkIdCipherKeys({ keys, activeKeyId, hmacKey });

  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', active, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', activeKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, keyId, iv, tag, ciphertext] = sealed.split('.');
      const key = keyId ? keys[keyId] : undefined;
      if (version !== 'v1' || !key || !iv || !tag || ciphertext === undefined) throw new Error('unreadable sealed ID number');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    },
    lookupHash: (plain) => createHmac('sha256', hmacKey).update(plain).digest('hex'),
    needsRotation: (sealed) => sealed.split('.')[1] !== activeKeyId,
  };
}
