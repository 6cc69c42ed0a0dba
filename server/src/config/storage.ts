import { z } from 'zod';
import { DEV_SECRET_PREFIX } from './dev-defaults';
import { bool, url } from './values';

/** Evidence uploads and the blob store (server/src/platform/storage): ID photos and evidence files. */
export const storageSettings = {
  /** Local-disk blob store (ID photos, evidence); production uses object storage behind the same interface. */
  STORAGE_DIR: z.string().optional(),

  // Evidence (server/src/evidence): resumable chunked uploads, tamper-evident fixing.
  /** Chunk size of resumable uploads: small enough that a chunk gets through a weak signal, large enough to keep requests few. */
  UPLOAD_CHUNK_BYTES: z.coerce.number().int().min(1024).max(8 * 1024 * 1024).default(256 * 1024),
  /** Largest evidence photo (JPEG/PNG) a party may upload. */
  EVIDENCE_IMAGE_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** Largest evidence video (MP4) a party may upload. */
  EVIDENCE_VIDEO_MAX_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  /** Largest still frame the dispatcher's page may post from a party's video. */
  EVIDENCE_FRAME_MAX_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),

  /** `local`: files under STORAGE_DIR. `s3`: an S3-compatible object store (MinIO, Ceph RGW, OSS/COS S3 endpoints). */
  STORAGE_BACKEND: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: url.optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)')
    .optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).default(`${DEV_SECRET_PREFIX}s3-access-key`),
  S3_SECRET_ACCESS_KEY: z.string().min(1).default(`${DEV_SECRET_PREFIX}s3-secret-key`),
  /** Path-style URLs (`endpoint/bucket/key`), as S3-compatible stores expect; false for virtual-hosted AWS buckets. */
  S3_FORCE_PATH_STYLE: bool.default(true),
};

/** The object store needs its endpoint and bucket when it is the backend in use. */
export function missingS3Settings(config: { STORAGE_BACKEND: 'local' | 's3'; S3_ENDPOINT?: string; S3_BUCKET?: string }): Array<'S3_ENDPOINT' | 'S3_BUCKET'> {
  if (config.STORAGE_BACKEND !== 's3') return [];
  return (['S3_ENDPOINT', 'S3_BUCKET'] as const).filter((key) => !config[key]);
}
