import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { caseHistory } from '../../src/cases/case-revisions';
import { Case } from '../../src/cases/case.model';
import { chainHash } from '../../src/evidence/evidence-chain';
import { Evidence, Upload, UploadChunk } from '../../src/evidence/evidence.model';
import { fixEvidence } from '../../src/evidence/evidence.service';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades, verifiedDriver, type TestDriver } from '../cases/fixtures';
import { caseInCall, jpegOfSize, mp4OfSize, randomPng, sha256, uploader } from './evidence-fixtures';

const CHUNK = 64 * 1024;

describe('evidence uploads: chunked, resumable, idempotent, fixed in a hash chain', () => {
  let t: TestServer;
  let storage: string;
  let a: TestDriver;
  let b: TestDriver;

  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'qh-evidence-'));
    t = await startTestServer({ env: { STORAGE_DIR: storage, UPLOAD_CHUNK_BYTES: String(CHUNK), EVIDENCE_IMAGE_MAX_BYTES: String(1024 * 1024) } });
    await seedBrigades();
    a = await verifiedDriver(t);
    b = await verifiedDriver(t);
  });
  afterAll(async () => {
    await t.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('takes a photo in chunks and fixes it: hash, server time, chain, shot request, case history, content', async () => {
    const { caseId, shotA } = await caseInCall(a, b);
    const photo = randomPng(256, 256);
    const up = uploader(t, a);
    const created = await up.create(caseId, { uploadKey: randomUUID(), shotRequestId: shotA, kind: 'impact_point', mimeType: 'image/png', size: photo.length });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ uploadId: expect.stringMatching(/^[0-9a-f]{32}$/), chunkSize: CHUNK, totalChunks: Math.ceil(photo.length / CHUNK), received: [], evidence: null });
    expect(created.body.totalChunks).toBeGreaterThanOrEqual(3);

    // Out of order is fine: each chunk is its own record.
    for (const index of [2, 0, 1, ...Array.from({ length: created.body.totalChunks - 3 }, (_, i) => i + 3)]) {
      const sent = await up.send(created.body, photo, index);
      expect(sent.status).toBe(200);
      expect(sent.body.received).toContain(index);
    }
    const before = Date.now();
    const completed = await up.complete(created.body.uploadId);
    expect(completed.status).toBe(200);
    const item = completed.body.evidence;
    expect(item).toMatchObject({ seq: 1, kind: 'impact_point', party: 'A', shotRequestId: shotA, mimeType: 'image/png', size: photo.length, sha256: sha256(photo), prevChainHash: '' });
    expect(item.id).toBe(`${caseId}:000001`);
    expect(Date.parse(item.fixedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(item.chainHash).toBe(chainHash({ prevChainHash: '', sha256: sha256(photo), seq: 1, fixedAt: new Date(item.fixedAt), kind: 'impact_point', party: 'A' }));
    // The documented canonical string, recomputed without the server's code.
    expect(item.chainHash).toBe(sha256(Buffer.from(`evidence-chain-v1||${sha256(photo)}|1|${item.fixedAt}|impact_point|A`)));
    expect(completed.body.received).toEqual(Array.from({ length: created.body.totalChunks }, (_, i) => i));

    const stored = (await Case.findById(caseId).lean())!;
    expect(stored.evidence).toHaveLength(1);
    expect(stored.evidence[0]).toMatchObject({ id: item.id, sha256: item.sha256, chainHash: item.chainHash });
    expect(stored.shotRequests.find((s) => s.id === shotA)!.evidenceId).toBe(item.id);
    expect(stored.state).toBe('in_call');
    const fixed = (await caseHistory(caseId)).filter((e) => e.event === 'evidence_fixed');
    expect(fixed).toHaveLength(1);
    expect(fixed[0]).toMatchObject({ from: 'in_call', to: 'in_call', actor: { kind: 'driver', id: a.id } });

    // The file, for either party; the chunks are gone.
    for (const who of [a, b]) {
      const res = await fetch(t.url + item.contentUrl, { headers: { authorization: `Bearer ${who.token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(photo));
    }
    const ranged = await fetch(t.url + item.contentUrl, { headers: { authorization: `Bearer ${a.token}`, range: 'bytes=0-7' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(photo.subarray(0, 8));
    expect(await UploadChunk.countDocuments({ uploadId: created.body.uploadId })).toBe(0);
  });

  it('resumes an interrupted upload: the server says what it holds, only the rest is sent, the hash is the original', async () => {
    const { caseId } = await caseInCall(a, b);
    const photo = await jpegOfSize(5 * CHUNK + 1234);
    const up = uploader(t, b);
    const key = randomUUID();
    const created = (await up.create(caseId, { uploadKey: key, kind: 'plate', mimeType: 'image/jpeg', size: photo.length })).body;
    expect(created.totalChunks).toBe(6);
    await up.send(created, photo, 0);
    await up.send(created, photo, 1);
    // The signal goes half-way through chunk 2; chunk 4 made it on another try before the phone lost track.
    await up.dropMidChunk(created.uploadId, 2, photo.subarray(2 * CHUNK, 3 * CHUNK));
    await up.send(created, photo, 4);

    // Back online, maybe after an app restart: the same key finds the same upload, and the server says what it has.
    const again = await up.create(caseId, { uploadKey: key, kind: 'plate', mimeType: 'image/jpeg', size: photo.length });
    expect(again.status).toBe(200);
    expect(again.body.uploadId).toBe(created.uploadId);
    const status = await up.session(created.uploadId);
    expect(status.body.received).toEqual([0, 1, 4]);
    const missing = Array.from({ length: created.totalChunks }, (_, i) => i).filter((i) => !status.body.received.includes(i));
    for (const index of missing) expect((await up.send(created, photo, index)).status).toBe(200);
    const completed = await up.complete(created.uploadId);
    expect(completed.status).toBe(200);
    expect(completed.body.evidence.sha256).toBe(sha256(photo));
    expect(completed.body.evidence.size).toBe(photo.length);
  });

  it('is idempotent: a chunk sent twice, complete twice, concurrent completes of one upload make one item', async () => {
    const { caseId } = await caseInCall(a, b);
    const photo = await jpegOfSize(2 * CHUNK + 10);
    const up = uploader(t, a);
    const created = (await up.create(caseId, { uploadKey: randomUUID(), kind: 'overview_behind', mimeType: 'image/jpeg', size: photo.length })).body;
    await up.send(created, photo, 0);
    const twice = await up.send(created, photo, 0);
    expect(twice.status).toBe(200);
    expect(twice.body.received).toEqual([0]);
    expect(await UploadChunk.countDocuments({ uploadId: created.uploadId })).toBe(1);
    await Promise.all([up.send(created, photo, 1), up.send(created, photo, 1), up.send(created, photo, 2)]);

    const results = await Promise.all([up.complete(created.uploadId), up.complete(created.uploadId), up.complete(created.uploadId)]);
    for (const r of results) expect(r.status).toBe(200);
    const ids = new Set(results.map((r) => r.body.evidence.id));
    expect(ids.size).toBe(1);
    const later = await up.complete(created.uploadId);
    expect(later.body).toEqual(results[0]!.body);
    expect(await Evidence.countDocuments({ caseId })).toBe(1);
    const stored = (await Case.findById(caseId).lean())!;
    expect(stored.evidence).toHaveLength(1);
    expect((await caseHistory(caseId)).filter((e) => e.event === 'evidence_fixed')).toHaveLength(1);
    // A chunk after completion changes nothing.
    expect((await up.send(created, photo, 1)).body.evidence.id).toBe(results[0]!.body.evidence.id);
  });

  it('fixes uploads completed at the same time as items 1, 2, 3, 4, chained', async () => {
    const { caseId } = await caseInCall(a, b);
    const files = [await jpegOfSize(CHUNK + 100), randomPng(64, 64), await jpegOfSize(1500), randomPng(20, 20)];
    const sessions = [];
    for (const [i, file] of files.entries()) {
      const up = uploader(t, i % 2 === 0 ? a : b);
      const created = (await up.create(caseId, { uploadKey: randomUUID(), kind: 'impact_point', mimeType: file[0] === 0x89 ? 'image/png' : 'image/jpeg', size: file.length })).body;
      for (let c = 0; c < created.totalChunks; c++) await up.send(created, file, c);
      sessions.push({ up, created });
    }
    const done = await Promise.all(sessions.map(({ up, created }) => up.complete(created.uploadId)));
    expect(done.map((d) => d.status)).toEqual([200, 200, 200, 200]);
    const items = done.map((d) => d.body.evidence).sort((x, y) => x.seq - y.seq);
    expect(items.map((i) => i.seq)).toEqual([1, 2, 3, 4]);
    expect(items[0].prevChainHash).toBe('');
    for (let i = 1; i < items.length; i++) expect(items[i].prevChainHash).toBe(items[i - 1].chainHash);
    for (const item of items) {
      expect(item.chainHash).toBe(chainHash({ prevChainHash: item.prevChainHash, sha256: item.sha256, seq: item.seq, fixedAt: new Date(item.fixedAt), kind: item.kind, party: item.party }));
    }
    // Each file is the one its upload sent.
    expect(done.map((d) => d.body.evidence.sha256)).toEqual(files.map(sha256));
    // Completions racing may record their items on the case in any order; the list is read by seq.
    const stored = [...(await Case.findById(caseId).lean())!.evidence].sort((x, y) => x.seq - y.seq);
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(stored.map((e) => e.chainHash)).toEqual(items.map((i) => i.chainHash));
    expect((await caseHistory(caseId)).filter((e) => e.event === 'evidence_fixed')).toHaveLength(4);
  });

  it('finishes a completion that stopped after the item was fixed: the item is found, recorded once', async () => {
    const { caseId } = await caseInCall(a, b);
    const photo = await jpegOfSize(CHUNK + 7);
    const up = uploader(t, a);
    const created = (await up.create(caseId, { uploadKey: randomUUID(), kind: 'other', mimeType: 'image/jpeg', size: photo.length })).body;
    for (let i = 0; i < created.totalChunks; i++) await up.send(created, photo, i);
    // A process died right after claiming the number: the item exists, neither the upload nor the case know.
    const orphan = await fixEvidence(t.services, { caseId, sourceId: created.uploadId, kind: 'other', party: 'A', shotRequestId: null, mimeType: 'image/jpeg', data: photo, actor: { kind: 'driver', id: a.id } });
    expect((await Case.findById(caseId).lean())!.evidence).toHaveLength(0);
    const completed = await up.complete(created.uploadId);
    expect(completed.status).toBe(200);
    expect(completed.body.evidence).toMatchObject({ id: orphan._id, seq: 1, sha256: sha256(photo) });
    expect(await Evidence.countDocuments({ caseId })).toBe(1);
    expect((await Case.findById(caseId).lean())!.evidence.map((e) => e.id)).toEqual([orphan._id]);

    // And one whose case update was lost after the upload learned its item: the next complete records it.
    const second = await jpegOfSize(1000);
    const created2 = (await up.create(caseId, { uploadKey: randomUUID(), kind: 'other', mimeType: 'image/jpeg', size: second.length })).body;
    await up.send(created2, second, 0);
    const item2 = await fixEvidence(t.services, { caseId, sourceId: created2.uploadId, kind: 'other', party: 'A', shotRequestId: null, mimeType: 'image/jpeg', data: second, actor: { kind: 'driver', id: a.id } });
    await Upload.updateOne({ _id: created2.uploadId }, { $set: { evidenceId: item2._id } });
    expect((await up.complete(created2.uploadId)).body.evidence.seq).toBe(2);
    expect((await Case.findById(caseId).lean())!.evidence.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('refuses what does not fit: another type than declared, missing chunks, wrong sizes, indexes, types, states', async () => {
    const { caseId, shotB } = await caseInCall(a, b);
    const up = uploader(t, a);

    // Declared a JPEG, sent a PNG.
    const png = randomPng(40, 40);
    const liar = (await up.create(caseId, { uploadKey: randomUUID(), kind: 'plate', mimeType: 'image/jpeg', size: png.length })).body;
    for (let i = 0; i < liar.totalChunks; i++) await up.send(liar, png, i);
    const mismatch = await up.complete(liar.uploadId);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.code).toBe('FILE_TYPE_MISMATCH');
    // Declared a video, sent text.
    const text = Buffer.from('not a video at all, just some words');
    const notVideo = (await up.create(caseId, { uploadKey: randomUUID(), kind: 'other', mimeType: 'video/mp4', size: text.length })).body;
    await up.send(notVideo, text, 0);
    expect((await up.complete(notVideo.uploadId)).body.code).toBe('FILE_TYPE_MISMATCH');
    // An MP4 whose boxes are whole passes.
    const mp4 = mp4OfSize(3000);
    const video = await up.upload(caseId, mp4, { kind: 'other', mimeType: 'video/mp4' });
    expect(video.completed.body.evidence).toMatchObject({ mimeType: 'video/mp4', sha256: sha256(mp4) });

    const photo = await jpegOfSize(3 * CHUNK);
    const partial = (await up.create(caseId, { uploadKey: randomUUID(), kind: 'plate', mimeType: 'image/jpeg', size: photo.length })).body;
    await up.send(partial, photo, 1);
    const incomplete = await up.complete(partial.uploadId);
    expect(incomplete.status).toBe(409);
    expect(incomplete.body.code).toBe('UPLOAD_INCOMPLETE');
    expect(incomplete.body.message).toContain('0, 2');

    const short = await up.chunk(partial.uploadId, 0, photo.subarray(0, CHUNK - 1));
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('CHUNK_SIZE_MISMATCH');
    const long = await up.chunk(partial.uploadId, 0, photo.subarray(0, CHUNK + 1));
    expect([long.status, long.body.code]).toEqual([400, 'CHUNK_SIZE_MISMATCH']);
    const range = await up.chunk(partial.uploadId, 3, photo.subarray(0, CHUNK));
    expect([range.status, range.body.code]).toEqual([400, 'CHUNK_OUT_OF_RANGE']);
    expect((await up.chunk(partial.uploadId, -1, photo.subarray(0, CHUNK))).status).toBe(400);
    expect((await up.session(partial.uploadId)).body.received).toEqual([1]);

    // Too big, a shot asked of someone else, an unknown kind, the same key for another file.
    const big = await up.create(caseId, { uploadKey: randomUUID(), kind: 'plate', mimeType: 'image/jpeg', size: 1024 * 1024 + 1 });
    expect([big.status, big.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const notMine = await up.create(caseId, { uploadKey: randomUUID(), shotRequestId: shotB, kind: 'plate', mimeType: 'image/jpeg', size: 100 });
    expect([notMine.status, notMine.body.issues?.[0]?.path]).toEqual([400, 'shotRequestId']);
    expect((await up.create(caseId, { uploadKey: randomUUID(), kind: 'selfie', mimeType: 'image/jpeg', size: 100 })).status).toBe(400);
    expect((await up.create(caseId, { uploadKey: randomUUID(), kind: 'plate', mimeType: 'image/gif', size: 100 })).status).toBe(400);
    const key = randomUUID();
    await up.create(caseId, { uploadKey: key, kind: 'plate', mimeType: 'image/jpeg', size: 100 });
    expect((await up.create(caseId, { uploadKey: key, kind: 'plate', mimeType: 'image/jpeg', size: 101 })).status).toBe(409);

    // Only on the call.
    const { caseId: queued } = await caseInCall(a, b, { state: 'queued' });
    const early = await up.create(queued, { uploadKey: randomUUID(), kind: 'plate', mimeType: 'image/jpeg', size: 100 });
    expect([early.status, early.body.code]).toEqual([409, 'CASE_NOT_IN_CALL']);
  });

  it('shows nothing to a stranger: the case, the upload and the file do not exist for them', async () => {
    const { caseId } = await caseInCall(a, b);
    const stranger = await verifiedDriver(t);
    const mine = uploader(t, a);
    const theirs = uploader(t, stranger);
    const photo = await jpegOfSize(2000);
    const { created, completed } = await mine.upload(caseId, photo, { kind: 'plate', mimeType: 'image/jpeg' });

    const create = await theirs.create(caseId, { uploadKey: randomUUID(), kind: 'plate', mimeType: 'image/jpeg', size: 100 });
    expect([create.status, create.body.code]).toEqual([404, 'NOT_FOUND']);
    expect((await theirs.session(created.uploadId)).body.code).toBe('UPLOAD_NOT_FOUND');
    expect((await theirs.chunk(created.uploadId, 0, photo)).status).toBe(404);
    expect((await theirs.complete(created.uploadId)).status).toBe(404);
    const file = await fetch(t.url + completed.body.evidence.contentUrl, { headers: { authorization: `Bearer ${stranger.token}` } });
    expect(file.status).toBe(404);
    expect((await fetch(t.url + completed.body.evidence.contentUrl)).status).toBe(401);
    expect((await mine.session('0'.repeat(32))).status).toBe(404);
  });
});
