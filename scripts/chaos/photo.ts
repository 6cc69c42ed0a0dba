import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

let base: Buffer | null = null;

/**
 * A real JPEG of about `size` bytes, different bytes every call: a small decodable image (the server
 * decodes evidence before fixing it) with comment (COM) segments of random bytes after its SOI marker,
 * which decoders skip by their length.
 */
export async function photoOfSize(size: number): Promise<Buffer> {
  base ??= await sharp({ create: { width: 16, height: 16, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 90 }).toBuffer();
  const segments: Buffer[] = [];
  for (let extra = size - base.length; extra > 4; ) {
    const take = Math.min(extra, 65_535 + 2);
    const header = Buffer.from([0xff, 0xfe, 0, 0]);
    header.writeUInt16BE(take - 2, 2);
    segments.push(header, randomBytes(take - 4));
    extra -= take;
  }
  return Buffer.concat([base.subarray(0, 2), ...segments, base.subarray(2)]);
}
