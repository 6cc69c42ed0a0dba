import sharp from 'sharp';
import { AppError } from '../errors';
import { sniffImageType } from './image-type';
import { mp4StructureProblem } from './mp4-boxes';

/**
 * What an uploaded photo or video really is, by reading all of it: images are decoded to the last
 * pixel (sharp, i.e. libvips with libjpeg/libpng), MP4s have their box structure walked to the last
 * byte. A file that only starts like an image — a JPEG header followed by a web page, the attack in
 * issue 9 — or was cut off on the way, is refused before it becomes evidence. The original bytes are
 * what is kept (their hash is the evidence); nothing is re-encoded.
 */
export type MediaType = 'image/jpeg' | 'image/png' | 'video/mp4';

export const MEDIA_TYPE_NAMES: Record<MediaType, string> = { 'image/jpeg': 'JPG 图片', 'image/png': 'PNG 图片', 'video/mp4': 'MP4 视频' };

/**
 * Past the 48–50 MP modes of phone cameras (whose JPEGs already near EVIDENCE_IMAGE_MAX_BYTES), far
 * below libvips's own limit (268 M): a few hundred bytes of JPEG can declare 100 M+ pixels, and
 * working through them costs seconds of CPU each — measured 5.5 s for 132 M — which is the attack.
 */
export const MAX_IMAGE_PIXELS = 64_000_000;

// Nothing is decoded twice: libvips's operation cache would only hold decoded pixels in memory.
sharp.cache(false);

/** What a file's first bytes say it is, for the types accepted as photos and videos. */
export function sniffMediaType(data: Buffer): MediaType | null {
  const image = sniffImageType(data);
  if (image) return image;
  // ISO base media (MP4): a box of type `ftyp` first, its type at offset 4.
  if (data.length >= 8 && data.subarray(4, 8).toString('latin1') === 'ftyp') return 'video/mp4';
  return null;
}

export type MediaVerdict =
  | { ok: true; type: MediaType }
  | { ok: false; type: MediaType; problem: 'corrupt' | 'too_many_pixels'; detail: string }
  | { ok: false; type: null; problem: 'unknown'; detail: string };

const SHARP_FORMAT: Record<'image/jpeg' | 'image/png', string> = { 'image/jpeg': 'jpeg', 'image/png': 'png' };

async function checkImage(data: Buffer, type: 'image/jpeg' | 'image/png'): Promise<MediaVerdict> {
  try {
    // failOn 'error': a broken or cut-off file fails; the harmless warnings real cameras cause do not.
    const image = sharp(data, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS });
    const { format } = await image.metadata();
    if (format !== SHARP_FORMAT[type]) return { ok: false, type, problem: 'corrupt', detail: `解码为 ${format ?? '未知'} 格式` };
    // Statistics over every pixel: the whole file is decoded, without keeping the pixels.
    await image.stats();
    return { ok: true, type };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    if (/pixel limit/i.test(detail)) return { ok: false, type, problem: 'too_many_pixels', detail };
    return { ok: false, type, problem: 'corrupt', detail };
  }
}

/** Reads the whole file: what it is, and whether all of it is a valid file of that type. */
export async function checkMedia(data: Buffer): Promise<MediaVerdict> {
  const type = sniffMediaType(data);
  if (!type) return { ok: false, type: null, problem: 'unknown', detail: 'unrecognised first bytes' };
  if (type === 'video/mp4') {
    const problem = mp4StructureProblem(data);
    return problem ? { ok: false, type, problem: 'corrupt', detail: problem } : { ok: true, type };
  }
  return checkImage(data, type);
}

/**
 * The file's type, once it is one of `allowed` (and `declared`, when the sender named one) and reads
 * whole; otherwise the 400 a driver or dispatcher reads: FILE_TYPE_MISMATCH for another type than
 * declared or allowed, FILE_CORRUPT for a file that does not decode to the end.
 */
export async function requireMedia(data: Buffer, allowed: readonly MediaType[], declared?: MediaType): Promise<MediaType> {
  const verdict = await checkMedia(data);
  const expected = declared ? MEDIA_TYPE_NAMES[declared] : allowed.map((t) => MEDIA_TYPE_NAMES[t]).join('或');
  if (!verdict.type || !allowed.includes(verdict.type) || (declared && verdict.type !== declared)) {
    const actual = verdict.type ? `是${MEDIA_TYPE_NAMES[verdict.type]}` : '不是可识别的图片或视频';
    throw new AppError(400, 'FILE_TYPE_MISMATCH', `文件内容${actual}，与声明的${expected}不符`);
  }
  if (!verdict.ok) {
    const name = MEDIA_TYPE_NAMES[verdict.type];
    if (verdict.problem === 'too_many_pixels') {
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `图片像素过多（超过 ${MAX_IMAGE_PIXELS / 10_000} 万像素），请用手机相机正常拍摄`);
    }
    const where = verdict.type === 'video/mp4' ? `：${verdict.detail}` : '';
    throw new AppError(400, 'FILE_CORRUPT', `文件已损坏或不完整，不是一个完整的${name}${where}。请重新拍摄后上传`);
  }
  return verdict.type;
}
