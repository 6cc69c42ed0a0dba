import type { Config } from './schema';

export interface IdCipherKeys {
  /** key id → 32-byte key */
  keys: Record<string, Buffer>;
  activeKeyId: string;
  hmacKey: Buffer;
}

/** The ID-number keys as configured, checked (identity/id-cipher.ts uses them). */
export function idCipherKeys(config: Pick<Config, 'ID_ENCRYPTION_KEYS' | 'ID_ENCRYPTION_ACTIVE_KEY_ID' | 'ID_LOOKUP_HMAC_KEY'>): IdCipherKeys {
  const keys = { keys: parseKeyList(config.ID_ENCRYPTION_KEYS), activeKeyId: config.ID_ENCRYPTION_ACTIVE_KEY_ID, hmacKey: Buffer.from(config.ID_LOOKUP_HMAC_KEY, 'base64') };
  checkIdCipherKeys(keys);
  return keys;
}

/** Throws in words when a key is missing or the wrong size; returns the active key. */
export function checkIdCipherKeys({ keys, activeKeyId, hmacKey }: IdCipherKeys): Buffer {
  const active = keys[activeKeyId];
  if (!active) throw new Error(`the active ID key "${activeKeyId}" is not among the configured keys`);
  for (const [id, key] of Object.entries(keys)) if (key.length !== 32) throw new Error(`ID key "${id}" must be 32 bytes`);
  if (hmacKey.length < 32) throw new Error('the ID lookup HMAC key must be at least 32 bytes');
  return active;
}

/** The configured keys' problem in words, or null when they are usable. */
export function idKeyProblem(config: Pick<Config, 'ID_ENCRYPTION_KEYS' | 'ID_ENCRYPTION_ACTIVE_KEY_ID' | 'ID_LOOKUP_HMAC_KEY'>): string | null {
  try {
    idCipherKeys(config);
    return null;
  } catch (err) {
    return `ID_ENCRYPTION_KEYS / ID_LOOKUP_HMAC_KEY: ${(err as Error).message}`;
  }
}

/** `k1:<base64 32 bytes>,k2:<base64>` → { k1: Buffer, k2: Buffer } */
function parseKeyList(list: string): Record<string, Buffer> {
  const keys: Record<string, Buffer> = {};
  for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [id, b64] = entry.split(':');
    if (!id || !b64) throw new Error(`bad key entry "${entry.slice(0, 8)}…": expected <id>:<base64>`);
    keys[id] = Buffer.from(b64, 'base64');
  }
  return keys;
}
