/**
 * One evidence photo in the upload queue (uploadQueue.ts): its shape, the words the driver sees for
 * it, and where the queue is kept between app runs (wx storage, key `uploadQueue`).
 */
import type { UploadCreateRequest } from '../../typings/api/call';

/** A guided shot during the call, or a photo for a 复核 application (`review_evidence`). */
export type UploadKind = UploadCreateRequest['kind'];

/** The wx storage key the queue lives under. */
export const STORAGE_KEY = 'uploadQueue';

export type UploadStatus =
  | 'waiting' // queued, its turn will come
  | 'uploading'
  | 'offline' // no network: goes when the network returns
  | 'retrying' // a bad network: tried again at retryAt
  | 'failed' // needs the driver (retake, or 重试)
  | 'done';

export interface QueuedUpload {
  /** Chosen once per photo; the server returns the same upload for it. */
  uploadKey: string;
  caseId: string;
  shotRequestId: string | null;
  kind: UploadKind;
  /** What the photo is, for the driver (the dispatcher's instruction). */
  label: string;
  mimeType: 'image/jpeg' | 'image/png';
  filePath: string;
  size: number;
  uploadId: string | null;
  chunkSize: number;
  totalChunks: number;
  /** Chunk indexes the server confirmed. */
  received: number[];
  /** The server may hold more than `received` says (an answer lost on the way): ask it first. */
  resync: boolean;
  status: UploadStatus;
  error: string;
  /** Failures in a row (picks the pause before the next try). */
  failures: number;
  /** 'retrying': not before this (ms since epoch). */
  retryAt: number;
  restarts: number;
  /** Completes the server refused because its bytes were not this file's (UPLOAD_HASH_MISMATCH). */
  mismatches: number;
  /** The photo's file is gone (deleted by the system): only a new photo helps. */
  lost: boolean;
  queuedAt: string;
  evidenceId: string | null;
}

export interface PhotoFile {
  tempFilePath: string;
  size: number;
}

export interface ShotTarget {
  shotRequestId: string | null;
  kind: UploadKind;
  label: string;
}

export const UPLOAD_MESSAGES = {
  lost: '照片文件已丢失，请重新拍摄',
  offline: '手机没有网络，照片已保存在手机上，有网络后自动上传',
  retrying: '网络不稳定，稍后自动重试',
  waiting: '等待上传',
  done: '已上传',
  restart: '上传没有成功，请点「重试」',
  mismatch: '照片上传后校验不一致，请点「重试」；仍不行请重新拍摄',
} as const;

export function loadStored(): QueuedUpload[] {
  try {
    const stored: unknown = wx.getStorageSync(STORAGE_KEY);
    return Array.isArray(stored) ? (stored as QueuedUpload[]).filter((i) => typeof i?.uploadKey === 'string') : [];
  } catch {
    return [];
  }
}

/** Photos of other cases left this long (a case given up on another way) are deleted with their files. */
export const STALE_MS = 7 * 24 * 3600 * 1000;

/** The photos of `caseId` still waiting to be sent (what a reopened call page picks up). */
export function storedUploads(caseId: string): QueuedUpload[] {
  return loadStored().filter((i) => i.caseId === caseId);
}

/** Bytes the server holds, from the chunks it confirmed. */
export function sentBytes(item: Pick<QueuedUpload, 'received' | 'chunkSize' | 'size'>): number {
  if (!item.chunkSize) return 0;
  return item.received.reduce((sum, index) => sum + Math.max(0, Math.min(item.chunkSize, item.size - index * item.chunkSize)), 0);
}

export function mimeTypeOf(path: string): QueuedUpload['mimeType'] {
  return /\.png$/i.test(path) ? 'image/png' : 'image/jpeg';
}
