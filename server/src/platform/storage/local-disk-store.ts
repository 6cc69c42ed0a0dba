import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { BlobStore, StoredBlob } from './blob-store';

/** Files under one directory; written to a temporary name and renamed, so a reader never sees half a file. */
export function createLocalDiskStore(rootDir: string): BlobStore {
  const root = resolve(rootDir);
  const pathOf = (key: string) => {
    const path = resolve(join(root, key));
    if (!path.startsWith(root + sep)) throw new Error(`blob key escapes the store: ${key}`);
    return path;
  };
  return {
    async put(key, data): Promise<StoredBlob> {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // Unique per write: two concurrent puts of one key must not share (and tear) a temporary file.
      const temporary = `${path}.part-${process.pid}-${randomBytes(6).toString('hex')}`;
      await writeFile(temporary, data, { mode: 0o600 });
      await rename(temporary, path);
      return { key, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    },
    get: (key) => readFile(pathOf(key)),
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async exists(key) {
      return stat(pathOf(key)).then(
        () => true,
        () => false,
      );
    },
  };
}
