/**
 * Where files (ID photos, evidence) live: outside the database documents, behind this interface.
 * Local disk by default; an S3-compatible object store in production implements the same four calls.
 */
export interface StoredBlob {
  key: string;
  size: number;
  sha256: string;
}

export interface BlobStore {
  put(key: string, data: Buffer): Promise<StoredBlob>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}
