import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Evidence, UploadChunk } from '../../src/evidence/evidence.model';
import { fixEvidence } from '../../src/evidence/evidence.service';
import type { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades, verifiedDriver, type TestDriver } from '../cases/fixtures';
import { box, caseInCall, deskUser, HTML_AS_JPEG, jpegImage, jpegOfSize, mp4OfSize, randomPng, sendRaw, sha256, uploader, WRITE } from './evidence-fixtures';

const CHUNK = 16 * 1024;

/** The SHA-256 of each chunk of `file`, as the server cuts it. */
const chunkHashes = (file: Buffer) => Array.from({ length: Math.ceil(file.length / CHUNK) }, (_, i) => sha256(file.subarray(i * CHUNK, (i + 1) * CHUNK)));
/** The same bytes with every byte in [from, to) inverted: same length, other content. */
function spoil(file: Buffer, from: number, to: number): Buffer {
  const copy = Buffer.from(file);
  for (let i = from; i < to; i++) copy[i] = copy[i]! ^ 0xff;
  return copy;
}

describe('upload integrity: the phone’s hash, chunks that change, files that do not decode, how files are served', () => {
  let t: TestServer;
  let storage: string;
  let a: TestDriver;
  let b: TestDriver;
  let desk: HttpClient;

  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'qh-integrity-'));
    t = await startTestServer({ env: { STORAGE_DIR: storage, UPLOAD_CHUNK_BYTES: String(CHUNK) } });
    await seedBrigades();
    a = await verifiedDriver(t);
    b = await verifiedDriver(t);
    desk = await deskUser(t, 'integrity-desk');
  });
  afterAll(async () => {
    await t.close();
    rmSync(storage, { recursive: true, force: true });
  });

  /** Creates an upload of `file` and sends each chunk as `sent` has it (the file itself unless told). */
  async function sendAll(caseId: string, file: Buffer, mimeType: string, sent: Buffer = file, who: TestDriver = a) {
    const up = uploader(t, who);
    const created = await up.create(caseId, { uploadKey: randomUUID(), kind: 'other', mimeType, size: file.length });
    expect(created.status).toBe(201);
    for (let i = 0; i < created.body.totalChunks; i++) expect((await up.send(created.body, sent, i)).status).toBe(200);
    return { up, session: created.body as { uploadId: string; chunkSize: number; totalChunks: number } };
  }

  it('checks the phone’s SHA-256 on complete: a mismatch is a 409 with what the server holds, and the wrong chunk is dropped to be sent again', async () => {
    const { caseId } = await caseInCall(a, b);
    const photo = await jpegOfSize(3 * CHUNK + 100);
    // Chunk 1 arrived with other bytes than the phone has (a bad copy on the way, or a changed file).
    const garbled = spoil(photo, CHUNK + 10, CHUNK + 20);
    const { up, session } = await sendAll(caseId, photo, 'image/jpeg', garbled);

    const refused = await up.complete(session.uploadId, { sha256: sha256(photo), chunks: chunkHashes(photo) });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('UPLOAD_HASH_MISMATCH');
    expect(refused.body.message).toContain(sha256(garbled));
    expect(refused.body.upload).toEqual({
      sha256: sha256(garbled),
      size: photo.length,
      chunks: chunkHashes(garbled).map((hash, index) => ({ index, sha256: hash })),
      dropped: [1],
    });
    expect(await Evidence.countDocuments({ caseId })).toBe(0);
    expect((await up.session(session.uploadId)).body.received).toEqual([0, 2, 3]);

    // The phone sends chunk 1 again, and the file is fixed with the phone's hash.
    expect((await up.send(session, photo, 1)).status).toBe(200);
    const done = await up.complete(session.uploadId, { sha256: sha256(photo), chunks: chunkHashes(photo) });
    expect(done.status).toBe(200);
    expect(done.body.evidence).toMatchObject({ sha256: sha256(photo), size: photo.length });

    // Completing again: the same hash is the same item; another hash is told what was fixed.
    expect((await up.complete(session.uploadId, { sha256: sha256(photo) })).body).toEqual(done.body);
    const other = await up.complete(session.uploadId, { sha256: sha256(garbled) });
    expect([other.status, other.body.code]).toEqual([409, 'UPLOAD_HASH_MISMATCH']);
    expect(other.body.upload).toMatchObject({ sha256: sha256(photo), size: photo.length, dropped: [] });
    expect(await Evidence.countDocuments({ caseId })).toBe(1);
  });

  it('a whole-file hash alone that does not match drops every chunk: the server cannot tell which one is wrong', async () => {
    const { caseId } = await caseInCall(a, b);
    const photo = await jpegOfSize(2 * CHUNK + 500);
    const { up, session } = await sendAll(caseId, photo, 'image/jpeg', spoil(photo, 600, 601));
    const refused = await up.complete(session.uploadId, { sha256: sha256(photo) });
    expect([refused.status, refused.body.code]).toEqual([409, 'UPLOAD_HASH_MISMATCH']);
    expect(refused.body.upload.dropped).toEqual([0, 1, 2]);
    expect((await up.session(session.uploadId)).body.received).toEqual([]);
    expect(await UploadChunk.countDocuments({ uploadId: session.uploadId })).toBe(0);
    expect(readdirSync(join(storage, 'uploads', session.uploadId))).toEqual([]);

    for (let i = 0; i < session.totalChunks; i++) await up.send(session, photo, i);
    expect((await up.complete(session.uploadId, { sha256: sha256(photo) })).body.evidence.sha256).toBe(sha256(photo));
  });

  it('complete without a hash still works (an older app); a malformed hash is a 400', async () => {
    const { caseId } = await caseInCall(a, b);
    const photo = await jpegOfSize(CHUNK + 1);
    const { up, session } = await sendAll(caseId, photo, 'image/jpeg');
    const malformed = await up.complete(session.uploadId, { sha256: 'not-a-hash' });
    expect([malformed.status, malformed.body.code, malformed.body.issues?.[0]?.path]).toEqual([400, 'VALIDATION_FAILED', 'sha256']);
    expect((await up.complete(session.uploadId, { sha256: sha256(photo), chunks: ['0'.repeat(63)] })).status).toBe(400);
    const done = await up.complete(session.uploadId);
    expect(done.status).toBe(200);
    expect(done.body.evidence.sha256).toBe(sha256(photo));
  });

  it('a chunk sent again with the same bytes is fine; with other bytes it is a 409 naming the server’s copy, which stays', async () => {
    const { caseId } = await caseInCall(a, b);
    const photo = await jpegOfSize(2 * CHUNK + 10);
    const up = uploader(t, a);
    const created = (await up.create(caseId, { uploadKey: randomUUID(), kind: 'plate', mimeType: 'image/jpeg', size: photo.length })).body;
    const first = photo.subarray(0, CHUNK);
    expect((await up.chunk(created.uploadId, 0, first)).status).toBe(200);
    expect((await up.chunk(created.uploadId, 0, first)).status).toBe(200);
    const changed = await up.chunk(created.uploadId, 0, spoil(first, 5, 6));
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('CHUNK_CONFLICT');
    expect(changed.body.message).toMatch(/分片 0/);
    expect(changed.body.message).toContain(sha256(first));
    expect(changed.body.chunk).toEqual({ index: 0, sha256: sha256(first) });
    expect((await UploadChunk.findOne({ uploadId: created.uploadId, index: 0 }).lean())!.sha256).toBe(sha256(first));
    for (let i = 1; i < created.totalChunks; i++) await up.send(created, photo, i);
    expect((await up.complete(created.uploadId, { sha256: sha256(photo) })).body.evidence.sha256).toBe(sha256(photo));
  });

  it('two sends of one chunk racing with different bytes: one is kept, the other gets 409, no spare file is left', async () => {
    const { caseId } = await caseInCall(a, b);
    const size = 8 * CHUNK;
    const up = uploader(t, a);
    const created = (await up.create(caseId, { uploadKey: randomUUID(), kind: 'other', mimeType: 'image/jpeg', size })).body;
    for (let index = 0; index < created.totalChunks; index++) {
      const one = randomBytes(CHUNK);
      const two = randomBytes(CHUNK);
      const [r1, r2] = await Promise.all([up.chunk(created.uploadId, index, one), up.chunk(created.uploadId, index, two)]);
      expect([r1.status, r2.status].sort()).toEqual([200, 409]);
      const kept = r1.status === 200 ? one : two;
      const loser = r1.status === 200 ? r2 : r1;
      expect(loser.body).toMatchObject({ code: 'CHUNK_CONFLICT', chunk: { index, sha256: sha256(kept) } });
      expect((await UploadChunk.findOne({ uploadId: created.uploadId, index }).lean())!.sha256).toBe(sha256(kept));
    }
    expect(readdirSync(join(storage, 'uploads', created.uploadId))).toHaveLength(created.totalChunks);
  });

  describe('files are decoded to the end before they are fixed', () => {
    const refusedAs = async (caseId: string, file: Buffer, mimeType: string) => {
      const { up, session } = await sendAll(caseId, file, mimeType);
      const res = await up.complete(session.uploadId, { sha256: sha256(file) });
      // The same bytes would fail again: nothing is kept.
      expect(await UploadChunk.countDocuments({ uploadId: session.uploadId })).toBe(0);
      return { status: res.status, code: res.body.code as string, message: res.body.message as string };
    };

    it('refuses a JPEG header followed by a web page, a cut-off JPEG, a PNG whose data is broken', async () => {
      const { caseId } = await caseInCall(a, b);
      const page = await refusedAs(caseId, HTML_AS_JPEG, 'image/jpeg');
      expect(page).toMatchObject({ status: 400, code: 'FILE_CORRUPT' });
      expect(page.message).toMatch(/损坏|不完整/);
      const photo = await jpegImage(64, 64);
      expect(await refusedAs(caseId, photo.subarray(0, Math.floor(photo.length * 0.6)), 'image/jpeg')).toMatchObject({ status: 400, code: 'FILE_CORRUPT' });
      const png = randomPng(40, 40);
      expect(await refusedAs(caseId, spoil(png, png.length - 40, png.length - 39), 'image/png')).toMatchObject({ status: 400, code: 'FILE_CORRUPT' });
      // A whole image declared as another type is still a type mismatch.
      expect(await refusedAs(caseId, photo, 'image/png')).toMatchObject({ status: 400, code: 'FILE_TYPE_MISMATCH' });
      expect(await Evidence.countDocuments({ caseId })).toBe(0);
      // And the real ones pass.
      expect((await uploader(t, a).upload(caseId, photo, { kind: 'other', mimeType: 'image/jpeg' })).completed.status).toBe(200);
      expect((await uploader(t, a).upload(caseId, png, { kind: 'other', mimeType: 'image/png' })).completed.status).toBe(200);
    });

    it('refuses a photo whose header declares more pixels than any camera takes (a decompression bomb), before decoding it', async () => {
      const { caseId } = await caseInCall(a, b);
      const bomb = await jpegImage();
      // The frame header (SOF0) says 12000 × 11000: 132 million pixels (past MAX_IMAGE_PIXELS, within libvips’s own limit) from a few hundred bytes.
      for (let at = 2; at < bomb.length; at += 2 + bomb.readUInt16BE(at + 2)) {
        if (bomb[at + 1] !== 0xc0) continue;
        bomb.writeUInt16BE(11000, at + 5);
        bomb.writeUInt16BE(12000, at + 7);
        break;
      }
      const refused = await refusedAs(caseId, bomb, 'image/jpeg');
      expect(refused).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      expect(refused.message).toMatch(/像素过多/);
    });

    it('videos: the ISO-BMFF boxes chain exactly to the end of the file, ftyp first, with a moov', async () => {
      const { caseId } = await caseInCall(a, b);
      const video = mp4OfSize(5000);
      const ftyp = video.subarray(0, 24);
      // `ftyp` then anything: what sniffing the first bytes let through.
      expect(await refusedAs(caseId, Buffer.concat([ftyp, Buffer.from('<html><script>alert(1)</script></html>')]), 'video/mp4')).toMatchObject({ status: 400, code: 'FILE_CORRUPT' });
      expect(await refusedAs(caseId, Buffer.concat([video, Buffer.from('trailing bytes')]), 'video/mp4')).toMatchObject({ status: 400, code: 'FILE_CORRUPT' });
      expect(await refusedAs(caseId, video.subarray(0, 4000), 'video/mp4')).toMatchObject({ status: 400, code: 'FILE_CORRUPT' });
      expect(await refusedAs(caseId, Buffer.concat([ftyp, box('mdat', randomBytes(500))]), 'video/mp4')).toMatchObject({ status: 400, code: 'FILE_CORRUPT' });
      const emptyMoov = Buffer.concat([ftyp, box('moov', box('free', Buffer.alloc(10))), box('mdat', randomBytes(100))]);
      expect(await refusedAs(caseId, emptyMoov, 'video/mp4')).toMatchObject({ status: 400, code: 'FILE_CORRUPT' });
      expect(await refusedAs(caseId, Buffer.concat([box('mdat', randomBytes(100)), ftyp]), 'video/mp4')).toMatchObject({ status: 400, code: 'FILE_TYPE_MISMATCH' });
      expect(await Evidence.countDocuments({ caseId })).toBe(0);

      // Whole ones pass, including a last box that runs to the end of the file (size 0) and a 64-bit size.
      expect((await uploader(t, a).upload(caseId, video, { kind: 'other', mimeType: 'video/mp4' })).completed.status).toBe(200);
      const toEnd = Buffer.from(video);
      toEnd.writeUInt32BE(0, 24 + video.readUInt32BE(24)); // the mdat's size
      expect((await uploader(t, a).upload(caseId, toEnd, { kind: 'other', mimeType: 'video/mp4' })).completed.status).toBe(200);
      const mdat = randomBytes(300);
      const large = Buffer.alloc(16);
      large.writeUInt32BE(1, 0);
      large.write('mdat', 4, 'latin1');
      large.writeBigUInt64BE(BigInt(16 + mdat.length), 8);
      const wide = Buffer.concat([video.subarray(0, 24 + video.readUInt32BE(24)), large, mdat]);
      expect((await uploader(t, a).upload(caseId, wide, { kind: 'other', mimeType: 'video/mp4' })).completed.status).toBe(200);
    });

    it('refuses a still frame from the desk that does not decode', async () => {
      const { caseId } = await caseInCall(a, b);
      const postFrame = (data: Buffer, type: string) =>
        sendRaw(t, 'POST', `/api/v1/desk/cases/${caseId}/frames?party=A`, data, { ...WRITE.headers, 'content-type': type, cookie: `${t.config.STAFF_COOKIE_NAME}=${desk.cookie(t.config.STAFF_COOKIE_NAME)}` });
      const page = await postFrame(HTML_AS_JPEG, 'image/jpeg');
      expect([page.status, page.body.code]).toEqual([400, 'FILE_CORRUPT']);
      const photo = await jpegImage(64, 48);
      expect((await postFrame(photo.subarray(0, 300), 'image/jpeg')).body.code).toBe('FILE_CORRUPT');
      expect((await postFrame(photo, 'image/png')).body.code).toBe('FILE_TYPE_MISMATCH');
      expect(await Evidence.countDocuments({ caseId })).toBe(0);
      expect((await postFrame(photo, 'image/jpeg')).status).toBe(201);
    });
  });

  it('serves evidence sandboxed and unsniffed: images and videos inline, anything else as an attachment', async () => {
    const { caseId } = await caseInCall(a, b);
    const photo = await jpegImage();
    const video = mp4OfSize(2000);
    const image = (await uploader(t, a).upload(caseId, photo, { kind: 'other', mimeType: 'image/jpeg' })).completed.body.evidence;
    const movie = (await uploader(t, a).upload(caseId, video, { kind: 'other', mimeType: 'video/mp4' })).completed.body.evidence;
    // The recording's manifest is fixed as JSON by the server itself (call/recording.ts).
    const manifest = await fixEvidence(t.services, { caseId, sourceId: `manifest-${randomUUID()}`, kind: 'recording', party: null, shotRequestId: null, mimeType: 'application/json', data: Buffer.from('{"files":[]}'), actor: { kind: 'system', id: null } });

    const get = (url: string, range?: string) => fetch(t.url + url, { headers: { authorization: `Bearer ${b.token}`, ...(range ? { range } : {}) } });
    for (const [url, type] of [
      [image.contentUrl, 'image/jpeg'],
      [movie.contentUrl, 'video/mp4'],
    ] as const) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('content-security-policy')).toMatch(/(^|;\s*)sandbox(\s*;|$)/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="evidence-[0-9a-f]{24}-00000[12]\.(jpg|mp4)"$/);
    }
    const ranged = await get(movie.contentUrl, 'bytes=0-99');
    expect([ranged.status, ranged.headers.get('content-security-policy')]).toEqual([206, 'sandbox']);

    const json = await get(`/api/v1/evidence/${encodeURIComponent(manifest._id)}/content`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.headers.get('content-security-policy')).toBe('sandbox');
    expect(json.headers.get('content-disposition')).toBe(`attachment; filename="evidence-${caseId}-000003.json"`);
    expect(await json.text()).toBe('{"files":[]}');
  });
});
