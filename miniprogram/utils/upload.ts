/**
 * ID-card photo upload over wx.uploadFile (multipart), which api() cannot do. Same rules as api():
 * Bearer token, one Idempotency-Key per logical upload, one session renewal on 401, the server's
 * `{ code, message }` turned into an ApiRequestError. No automatic retry: the page offers 重试.
 */
import type { IdPhotoSide, IdPhotoUploadResponse } from '../../typings';
import { apiBaseUrl } from '../config';
import { ApiRequestError, MESSAGES, errorFromResponse } from './errors';
import { newIdempotencyKey } from './id';
import { ensureLogin, renewSession } from './session';

export const ID_PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const UPLOAD_TIMEOUT_MS = 60000;
const PATH = '/api/v1/verification/id-photos';

/** null when the picked file may be sent, else what to tell the driver. */
export function idPhotoError(file: { tempFilePath: string; size: number }): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(file.tempFilePath)?.[1]?.toLowerCase();
  // Temp paths normally end in the type; without one, the server's check decides.
  if (ext && !['jpg', 'jpeg', 'png'].includes(ext)) return '请选择 JPG 或 PNG 格式的照片';
  if (file.size > ID_PHOTO_MAX_BYTES) return '照片超过 5 MB，请重新拍摄或选择较小的照片';
  return null;
}

function parse(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

function attempt(
  side: IdPhotoSide,
  filePath: string,
  accessToken: string,
  idempotencyKey: string,
  onProgress: (percent: number) => void,
): Promise<IdPhotoUploadResponse> {
  return new Promise((resolve, reject) => {
    const task = wx.uploadFile({
      // `side` both as the query (typings) and as a form field (server route): either is read.
      url: `${apiBaseUrl()}${PATH}?side=${side}`,
      filePath,
      name: 'file',
      formData: { side },
      header: { Authorization: `Bearer ${accessToken}`, 'Idempotency-Key': idempotencyKey },
      timeout: UPLOAD_TIMEOUT_MS,
      success: (res) => {
        const body = parse(res.data);
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(body as IdPhotoUploadResponse);
        else reject(errorFromResponse(res.statusCode, body));
      },
      fail: () => reject(new ApiRequestError('NETWORK_FAILED', 0, MESSAGES.network)),
    });
    task?.onProgressUpdate?.((res) => onProgress(res.progress));
  });
}

export async function uploadIdPhoto(side: IdPhotoSide, filePath: string, onProgress: (percent: number) => void): Promise<IdPhotoUploadResponse> {
  const idempotencyKey = newIdempotencyKey();
  const session = await ensureLogin();
  try {
    return await attempt(side, filePath, session.accessToken, idempotencyKey, onProgress);
  } catch (err) {
    const expired = err instanceof ApiRequestError && err.status === 401 && (err.code === 'TOKEN_EXPIRED' || err.code === 'TOKEN_REVOKED' || err.code === 'UNAUTHENTICATED');
    if (!expired) throw err;
    const renewed = await renewSession(session.accessToken);
    return attempt(side, filePath, renewed.accessToken, idempotencyKey, onProgress);
  }
}
