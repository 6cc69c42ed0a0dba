import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { BlobStore, StoredBlob } from './blob-store';

export interface S3StoreOptions {
  /** The S3-compatible endpoint, e.g. `https://minio.internal:9000` or an OSS/COS S3 endpoint. */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key`: what MinIO, Ceph RGW and most private stores expect. */
  forcePathStyle: boolean;
  /** Every key is stored under this prefix (e.g. `quickhandling/`), so one bucket can serve several deployments. */
  prefix?: string;
  /** Connection and socket-idle timeout of each request (not a limit on a whole transfer). */
  timeoutMs?: number;
}

/** A call to the object store failed for a reason other than "no such key": bad credentials, no bucket, the store down. */
export class S3StoreError extends Error {
  constructor(
    readonly operation: string,
    readonly key: string,
    /** S3's error code (`InvalidAccessKeyId`, `NoSuchBucket`, …), the HTTP status name of a bodiless answer, or the network error code. */
    readonly code: string,
    readonly status: number | undefined,
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'S3StoreError';
  }
}

/** The S3 store's "no such blob": the same shape as the local store's (`readFile`'s ENOENT), so callers need not know the backend. */
function notFound(key: string, cause: unknown): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such blob: ${key}`, { cause }), { code: 'ENOENT', errno: -2, syscall: 'open', path: key });
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Objects in one bucket of an S3-compatible store, through the AWS SDK (SigV4). Keys are checked and
 * normalised as the local-disk store does, so a key names the same blob on either backend.
 *
 * The credentials need GetObject, PutObject, DeleteObject and ListBucket on the bucket: without
 * ListBucket, S3 answers a missing key with 403 instead of 404 and it would read as a failure, not as
 * "no such blob".
 */
export function createS3Store(options: S3StoreOptions): BlobStore {
  const { bucket, endpoint } = options;
  const prefix = normalisePrefix(options.prefix);
  const client = new S3Client({
    endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Only the checksums asked for below (SHA-256): the SDK's newer defaults (CRC32 on every upload,
    // aws-chunked bodies) are not understood by every S3-compatible store.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.timeoutMs ? { requestHandler: { connectionTimeout: options.timeoutMs, socketTimeout: options.timeoutMs } } : {}),
  });

  const objectKey = (key: string) => prefix + normaliseKey(key);

  const failure = (operation: string, key: string, err: unknown): S3StoreError => {
    const e = err as SdkError;
    const status = e.$metadata?.httpStatusCode;
    const code = e.code ?? e.name ?? 'Error';
    const hint = status === 403 ? ' (check S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY and the bucket policy)' : '';
    return new S3StoreError(
      operation,
      key,
      code,
      status,
      `S3 ${operation} of "${key}" in bucket "${bucket}" at ${endpoint} failed: ${code}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(err)}${hint}`,
      { cause: err },
    );
  };

  return {
    async put(key, data): Promise<StoredBlob> {
      const Key = objectKey(key);
      const digest = createHash('sha256').update(data).digest();
      const sha256 = digest.toString('hex');
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key,
            Body: data,
            ContentLength: data.length,
            // The store checks the bytes against this and keeps it with the object (x-amz-checksum-sha256);
            // the hex copy in the metadata survives on stores that ignore flexible checksums.
            ChecksumSHA256: digest.toString('base64'),
            Metadata: { sha256 },
          }),
        );
      } catch (err) {
        throw failure('PutObject', key, err);
      }
      return { key, size: data.length, sha256 };
    },

    async get(key) {
      const Key = objectKey(key);
      try {
        // The bytes as stored, as the local store reads them: callers that must (evidence verification,
        // upload assembly) compare them with the SHA-256 they recorded and report an altered file as such.
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
        if (!response.Body) return Buffer.alloc(0);
        const bytes = await response.Body.transformToByteArray();
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch (err) {
        if ((err as SdkError).name === 'NoSuchKey') throw notFound(key, err);
        throw failure('GetObject', key, err);
      }
    },

    async delete(key) {
      const Key = objectKey(key);
      try {
        // S3 answers 204 whether or not the key existed: deleting twice is not an error, as on disk.
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
      } catch (err) {
        throw failure('DeleteObject', key, err);
      }
    },

    async exists(key) {
      const Key = objectKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
        return true;
      } catch (err) {
        const e = err as SdkError;
        // A HEAD answer has no body: 404 is all S3 says (NotFound), for a missing key or a missing bucket alike.
        if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return false;
        throw failure('HeadObject', key, err);
      }
    },
  };
}

/**
 * The local store's rule, applied to object keys: the key is resolved as a path under the store's root
 * (`a//b` and `a/./b` are `a/b`), and one that resolves outside it (`../x`) or to the root itself is
 * refused with the same message.
 */
function normaliseKey(key: string): string {
  const root = '/store';
  const path = posix.resolve(posix.join(root, key));
  if (!path.startsWith(`${root}/`)) throw new Error(`blob key escapes the store: ${key}`);
  return path.slice(root.length + 1);
}

function normalisePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed ? `${trimmed}/` : '';
}
