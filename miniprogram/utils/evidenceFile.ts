/**
 * The evidence photo's file on the phone: kept out of WeChat's temp folder, read back chunk by chunk,
 * hashed for the server's check on complete, dropped once uploaded (uploadQueue.ts drives all this).
 */
import { sha256 } from 'js-sha256';
import type { UploadCompleteRequest } from '../../typings/api/call';
import { isBinary } from './http';

/** The photo's file could not be read. */
export class FileLostError extends Error {
  constructor(detail: string) {
    super(detail);
    Object.setPrototypeOf(this, FileLostError.prototype);
    this.name = 'FileLostError';
  }
}

function userDataPath(): string {
  try {
    return wx.env?.USER_DATA_PATH ?? '';
  } catch {
    return '';
  }
}

/**
 * Copies a temp file (deleted by WeChat whenever it likes, e.g. after the app is killed) into the
 * mini-program's own folder. Keeps the temp path if that fails: good for as long as the app runs.
 */
export function keepFile(tempFilePath: string, key: string): Promise<string> {
  const dir = userDataPath();
  if (!dir) return Promise.resolve(tempFilePath);
  const ext = (/\.([A-Za-z0-9]+)$/.exec(tempFilePath)?.[1] ?? 'jpg').toLowerCase();
  return new Promise((resolve) => {
    wx.getFileSystemManager().saveFile({
      tempFilePath,
      filePath: `${dir}/evidence-${key}.${ext}`,
      success: (res) => resolve(res.savedFilePath),
      fail: () => resolve(tempFilePath),
    });
  });
}

export function dropFile(filePath: string): void {
  const dir = userDataPath();
  if (!dir || !filePath.startsWith(dir)) return; // temp files are WeChat's to clean
  wx.getFileSystemManager().unlink({ filePath, fail: () => undefined });
}

export function readChunk(filePath: string, position: number, length: number): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    wx.getFileSystemManager().readFile({
      filePath,
      position,
      length,
      success: (res) => (isBinary(res.data) ? resolve(res.data) : reject(new FileLostError('readFile gave text'))),
      fail: (err) => reject(new FileLostError(err.errMsg)),
    });
  });
}

/**
 * What complete says the file is: the SHA-256 of the whole file and of each chunk as the server cuts
 * it, read again from the file (chunks the server held from before were not read this time).
 * WeChat's own file digests are MD5 and SHA-1 only, hence a pure-JS SHA-256 (js-sha256).
 */
export async function fileClaim(item: { filePath: string; size: number; chunkSize: number }): Promise<UploadCompleteRequest> {
  const whole = sha256.create();
  const chunks: string[] = [];
  for (let position = 0; position < item.size; position += item.chunkSize) {
    const data = await readChunk(item.filePath, position, Math.min(item.chunkSize, item.size - position));
    whole.update(data);
    chunks.push(sha256.hex(data));
  }
  return { sha256: whole.hex(), chunks };
}
