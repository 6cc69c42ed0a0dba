import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { deflateSync } from 'node:zlib';
import { Types } from 'mongoose';
import sharp from 'sharp';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import type { TestServer } from '../harness';
import { insertCase, type TestDriver } from '../cases/fixtures';

export const WRITE = { headers: { 'x-console-request': '1' } };
export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG (RGB, random pixels, so it does not compress): about 3 × width × height bytes. */
export function randomPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), randomBytes(width * 3)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(rows, { level: 0 })), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A real JPEG of random pixels (sharp encodes it), decodable to the end like a camera's. */
export function jpegImage(width = 16, height = 16): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 90 }).toBuffer();
}

/**
 * A real JPEG of exactly `size` bytes: a small decodable image with comment (COM) segments of random
 * bytes after its SOI marker, which decoders skip by their length. Different bytes every call.
 */
export async function jpegOfSize(size: number): Promise<Buffer> {
  const image = await jpegImage();
  let extra = size - image.length;
  if (extra !== 0 && extra < 4) throw new Error(`jpegOfSize: ${size} bytes is less than 4 bytes over a ${image.length}-byte image`);
  const segments: Buffer[] = [];
  while (extra > 0) {
    let take = Math.min(extra, 4 + 65533);
    if (extra - take > 0 && extra - take < 4) take -= 4;
    const header = Buffer.from([0xff, 0xfe, 0, 0]);
    header.writeUInt16BE(take - 2, 2);
    segments.push(header, randomBytes(take - 4));
    extra -= take;
  }
  return Buffer.concat([image.subarray(0, 2), ...segments, image.subarray(2)]);
}

/** The attack: a JPEG's first bytes, then a web page. */
export const HTML_AS_JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
  Buffer.from('<html><script>alert(1)</script></html>'),
]);

/** An ISO-BMFF box: 32-bit size, 4-letter type, payload. */
export function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/**
 * An MP4 of exactly `size` bytes by its box structure: `ftyp`, `moov` (`mvhd`, one `trak` with its
 * `tkhd`), and an `mdat` of random bytes filling the rest. Not playable; structurally whole.
 */
export function mp4OfSize(size: number): Buffer {
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isommp41', 'latin1'));
  const moov = box('moov', box('mvhd', Buffer.alloc(100)), box('trak', box('tkhd', Buffer.alloc(84))));
  const rest = size - ftyp.length - moov.length - 8;
  if (rest < 0) throw new Error(`mp4OfSize: at least ${size - rest} bytes`);
  return Buffer.concat([ftyp, moov, box('mdat', randomBytes(rest))]);
}

export function party(driverId: string, label: string, plate: string) {
  const now = new Date();
  return { driverId: new Types.ObjectId(driverId), label, plate, joinedAt: now, factsConfirmedAt: now, via: label === 'A' ? 'report' : 'code' };
}

/** A two-party case on the call (what answering would leave), with shot requests asked of A and B. */
export async function caseInCall(a: TestDriver, b: TestDriver, overrides: Record<string, unknown> = {}) {
  const now = new Date();
  const shot = (id: string, kind: string, who: string) => ({ id, kind, party: who, instruction: '请拍摄', note: null, requestedAt: now, requestedBy: 'desk', evidenceId: null });
  const created = await insertCase({
    state: 'in_call',
    answeredAt: now,
    parties: [party(a.id, 'A', '粤J10001'), party(b.id, 'B', '粤J20002')],
    shotRequests: [shot(`shot-a-${randomUUID()}`, 'impact_point', 'A'), shot(`shot-b-${randomUUID()}`, 'plate', 'B')],
    ...overrides,
  });
  return { caseId: String(created._id), shotA: created.shotRequests[0]!.id, shotB: created.shotRequests[1]!.id };
}

export async function deskUser(t: TestServer, username: string, brigadeCode = 'JM-PJ') {
  const password = 'desk-password-0001';
  await createStaff({ username, displayName: `接警员${username}`, role: 'dispatcher', brigadeCode, password }, t.config.PASSWORD_HASH_COST);
  const http = new HttpClient(t.url);
  await http.post('/api/v1/staff/login', { username, password });
  return http;
}

export interface Json {
  status: number;
  body: any;
}

/** Raw-body requests (chunks, frames) with fetch. */
export async function sendRaw(t: TestServer, method: string, path: string, data: Buffer, headers: Record<string, string>): Promise<Json> {
  const res = await fetch(t.url + path, { method, headers, body: new Uint8Array(data) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export function uploader(t: TestServer, driver: TestDriver) {
  const auth = { authorization: `Bearer ${driver.token}` };
  const api = {
    create: (caseId: string, body: Record<string, unknown>) => driver.post(`/api/v1/cases/${caseId}/uploads`, body),
    session: (uploadId: string) => driver.get(`/api/v1/uploads/${uploadId}`),
    chunk: (uploadId: string, index: number, data: Buffer) =>
      sendRaw(t, 'PUT', `/api/v1/uploads/${uploadId}/chunks/${index}`, data, { ...auth, 'content-type': 'application/octet-stream' }),
    /** `claim`: what the phone says the file is ({ sha256, chunks }); an older app sends nothing. */
    complete: (uploadId: string, claim?: Record<string, unknown>) => driver.post(`/api/v1/uploads/${uploadId}/complete`, claim),
    /** Sends `index` of `file` as the server cut it. */
    send: (session: { uploadId: string; chunkSize: number }, file: Buffer, index: number) =>
      api.chunk(session.uploadId, index, file.subarray(index * session.chunkSize, (index + 1) * session.chunkSize)),
    /** Create, every chunk, complete with the file's SHA-256: the response of complete. */
    async upload(caseId: string, file: Buffer, body: Record<string, unknown>) {
      const created = await api.create(caseId, { uploadKey: randomUUID(), size: file.length, ...body });
      if (created.status !== 201) throw new Error(`create answered ${created.status}: ${JSON.stringify(created.body)}`);
      for (let i = 0; i < created.body.totalChunks; i++) {
        const sent = await api.send(created.body, file, i);
        if (sent.status !== 200) throw new Error(`chunk ${i} answered ${sent.status}: ${JSON.stringify(sent.body)}`);
      }
      return { created: created.body, completed: await api.complete(created.body.uploadId, { sha256: sha256(file) }) };
    },
    /**
     * A connection lost in the middle of chunk `index`: half the bytes go out, then the socket is
     * destroyed (as when a phone drops off the network).
     */
    dropMidChunk: (uploadId: string, index: number, chunk: Buffer) =>
      new Promise<void>((resolve) => {
        const req = httpRequest(`${t.url}/api/v1/uploads/${uploadId}/chunks/${index}`, {
          method: 'PUT',
          headers: { ...auth, 'content-type': 'application/octet-stream', 'content-length': String(chunk.length) },
        });
        req.on('error', () => resolve());
        req.on('response', () => resolve());
        req.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => {
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 50);
        });
      }),
  };
  return api;
}
