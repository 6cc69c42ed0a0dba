import { join } from 'node:path';
import type { Config } from '../../config';
import { REPO_ROOT } from '../paths';
import type { BlobStore } from './blob-store';
import { createLocalDiskStore } from './local-disk-store';
import { createS3Store } from './s3-store';

/** The blob store STORAGE_BACKEND names: local disk (the default) or an S3-compatible object store. */
export function createBlobStore(config: Config): BlobStore {
  if (config.STORAGE_BACKEND === 's3') {
    // loadConfig refuses STORAGE_BACKEND=s3 without an endpoint and a bucket.
    if (!config.S3_ENDPOINT || !config.S3_BUCKET) throw new Error('STORAGE_BACKEND=s3 needs S3_ENDPOINT and S3_BUCKET');
    return createS3Store({
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      bucket: config.S3_BUCKET,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    });
  }
  return createLocalDiskStore(config.STORAGE_DIR ?? join(REPO_ROOT, '.data/blobs'));
}
