import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { deflateSync } from 'node:zlib';
import { Types } from 'mongoose';
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

/** JPEG markers around random scan data: what sniffing looks at (SOI … EOI). */
export function fakeJpeg(size: number): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), randomBytes(size - 13), Buffer.from([0xff, 0xd9])]);
}

/** An MP4's first box: `ftyp` at offset 4. */
export function fakeMp4(size: number): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1'), randomBytes(size - 12)]);
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
    complete: (uploadId: string) => driver.post(`/api/v1/uploads/${uploadId}/complete`),
    /** Sends `index` of `file` as the server cut it. */
    send: (session: { uploadId: string; chunkSize: number }, file: Buffer, index: number) =>
      api.chunk(session.uploadId, index, file.subarray(index * session.chunkSize, (index + 1) * session.chunkSize)),
    /** Create, every chunk, complete: the response of complete. */
    async upload(caseId: string, file: Buffer, body: Record<string, unknown>) {
      const created = await api.create(caseId, { uploadKey: randomUUID(), size: file.length, ...body });
      if (created.status !== 201) throw new Error(`create answered ${created.status}: ${JSON.stringify(created.body)}`);
      for (let i = 0; i < created.body.totalChunks; i++) {
        const sent = await api.send(created.body, file, i);
        if (sent.status !== 200) throw new Error(`chunk ${i} answered ${sent.status}: ${JSON.stringify(sent.body)}`);
      }
      return { created: created.body, completed: await api.complete(created.body.uploadId) };
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
