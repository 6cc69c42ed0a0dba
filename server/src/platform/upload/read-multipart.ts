import busboy from 'busboy';
import type { Context } from 'koa';
import { AppError } from '../errors';

export interface UploadedFile {
  data: Buffer;
  filename: string;
  declaredType: string;
}

const incomplete = () => new AppError(400, 'VALIDATION_FAILED', '上传内容不完整，请重试');

/**
 * Reads a multipart/form-data body (what wx.uploadFile sends) holding one file field and some text
 * fields, in memory up to `maxBytes`. Over the limit → 413; no file → 400; a body that ends early or
 * is malformed → 400. Every stream involved (the request, the parser, each file part) has an error
 * path: busboy emits its "Unexpected end of form" on the file stream too, and an unheard 'error'
 * event would take the whole process down.
 */
export function readMultipart(ctx: Context, fileField: string, maxBytes: number): Promise<{ fields: Record<string, string>; file: UploadedFile }> {
  if (!ctx.is('multipart/form-data')) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件');
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: UploadedFile | null = null;
    let failure: AppError | null = null;
    let settled = false;
    let parser: busboy.Busboy;
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      ctx.req.unpipe(parser);
      // Leave the rest of the body unread and the connection closed: nothing more from this client is useful.
      ctx.set('Connection', 'close');
      ctx.req.resume();
      reject(err);
    };
    try {
      parser = busboy({ headers: ctx.req.headers, limits: { files: 1, fileSize: maxBytes, fields: 10, fieldSize: 1024, parts: 20 } });
    } catch {
      // A missing or malformed boundary.
      throw new AppError(400, 'VALIDATION_FAILED', '上传格式不正确（multipart boundary 缺失）');
    }
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      stream.on('error', () => fail(incomplete()));
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
    parser.on('error', () => fail(incomplete()));
    parser.on('close', () => {
      if (settled) return;
      if (failure) return fail(failure);
      if (!file || file.data.length === 0) return fail(new AppError(400, 'VALIDATION_FAILED', `缺少文件（字段 ${fileField}）`, { issues: [{ path: fileField, message: '缺少文件' }] }));
      settled = true;
      resolve({ fields, file });
    });
    ctx.req.on('error', () => fail(incomplete()));
    // The client went away before sending the whole body: the parser would wait for it forever.
    ctx.req.on('aborted', () => fail(incomplete()));
    ctx.req.pipe(parser);
  });
}
