import busboy from 'busboy';
import type { Context } from 'koa';
import { AppError } from '../errors';

export interface UploadedFile {
  data: Buffer;
  filename: string;
  declaredType: string;
}

/**
 * Reads a multipart/form-data body (what wx.uploadFile sends) holding one file field and some text
 * fields, in memory up to `maxBytes`. Over the limit → 413; no file → 400.
 */
export function readMultipart(ctx: Context, fileField: string, maxBytes: number): Promise<{ fields: Record<string, string>; file: UploadedFile }> {
  if (!ctx.is('multipart/form-data')) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件');
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: UploadedFile | null = null;
    let failure: AppError | null = null;
    const parser = busboy({ headers: ctx.req.headers, limits: { files: 1, fileSize: maxBytes, fields: 10, fieldSize: 1024 } });
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== fileField) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        failure = new AppError(413, 'PAYLOAD_TOO_LARGE', `文件不能超过 ${Math.round(maxBytes / 1024 / 1024)} MB`);
      });
      stream.on('end', () => {
        file = { data: Buffer.concat(chunks), filename: info.filename ?? '', declaredType: info.mimeType };
      });
    });
    parser.on('error', () => reject(new AppError(400, 'VALIDATION_FAILED', '上传内容不完整，请重试')));
    parser.on('close', () => {
      if (failure) return reject(failure);
      if (!file || file.data.length === 0) return reject(new AppError(400, 'VALIDATION_FAILED', `缺少文件（字段 ${fileField}）`, { issues: [{ path: fileField, message: '缺少文件' }] }));
      resolve({ fields, file });
    });
    ctx.req.pipe(parser);
  });
}
