import { z } from 'zod';
import { DEV_ID_ENCRYPTION_KEYS, DEV_ID_LOOKUP_HMAC_KEY } from './dev-defaults';
import { duration } from './values';

/** A driver's identity: the ID-number keys (id-keys.ts checks them), face checks, ID photos, the agreement. */
export const identitySettings = {
  /**
   * ID numbers are sealed with AES-256-GCM: `<keyId>:<base64 of 32 bytes>` entries, comma-separated.
   * Rotate by adding a key and making it active; old records keep opening with the key they name.
   */
  ID_ENCRYPTION_KEYS: z.string().default(DEV_ID_ENCRYPTION_KEYS),
  ID_ENCRYPTION_ACTIVE_KEY_ID: z.string().default('dev1'),
  /** HMAC key (base64, ≥ 32 bytes) for looking ID numbers up without decrypting them. */
  ID_LOOKUP_HMAC_KEY: z.string().default(DEV_ID_LOOKUP_HMAC_KEY),
  /** Face checks that may fail before the fallbacks (SMS online registration, manual review) are offered. */
  FACE_MAX_FAILURES: z.coerce.number().int().min(1).default(3),
  /** How old a face result may be when the server collects it (WeChat's verify_id lives 3600 s). */
  FACE_SESSION_TTL_SECONDS: duration.default(30 * 60),
  /** The user agreement the mini-program shows; acceptance records this version. */
  AGREEMENT_VERSION: z.string().min(1).default('2026-05-28'),
  ID_PHOTO_MAX_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  /** ID photos are deleted this many days after the review is decided. */
  ID_PHOTO_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
};
