import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseHistory } from '../../src/cases/case-revisions';
import { Case } from '../../src/cases/case.model';
import { chainHash } from '../../src/evidence/evidence-chain';
import { Evidence } from '../../src/evidence/evidence.model';
import type { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades, verifiedDriver, type TestDriver } from '../cases/fixtures';
import { caseInCall, deskUser, jpegOfSize, randomPng, sendRaw, sha256, uploader, WRITE } from './evidence-fixtures';

describe('evidence: still frames from the desk, and the verify endpoint', () => {
  let t: TestServer;
  let storage: string;
  let a: TestDriver;
  let b: TestDriver;
  let desk: HttpClient;
  let otherDesk: HttpClient;

  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'qh-evidence-'));
    t = await startTestServer({ env: { STORAGE_DIR: storage, UPLOAD_CHUNK_BYTES: String(16 * 1024), EVIDENCE_FRAME_MAX_BYTES: String(200 * 1024) } });
    await seedBrigades();
    a = await verifiedDriver(t);
    b = await verifiedDriver(t);
    desk = await deskUser(t, 'evidence-desk');
    otherDesk = await deskUser(t, 'evidence-desk-jh', 'JM-JH');
  });
  afterAll(async () => {
    await t.close();
    rmSync(storage, { recursive: true, force: true });
  });

  /** The dispatcher's page posting a captured frame (what apiBinary sends). */
  const postFrame = (http: HttpClient, caseId: string, data: Buffer, type: string, query = '?party=A', headers: Record<string, string> = {}) =>
    sendRaw(t, 'POST', `/api/v1/desk/cases/${caseId}/frames${query}`, data, { ...WRITE.headers, 'content-type': type, cookie: `${t.config.STAFF_COOKIE_NAME}=${http.cookie(t.config.STAFF_COOKIE_NAME)}`, ...headers });

  it('fixes a still frame the dispatcher captured from a party video, as the next item of the chain', async () => {
    const { caseId } = await caseInCall(a, b);
    const photo = await jpegOfSize(20_000);
    const first = (await uploader(t, a).upload(caseId, photo, { kind: 'plate', mimeType: 'image/jpeg' })).completed.body.evidence;

    const frame = randomPng(80, 60);
    const res = await postFrame(desk, caseId, frame, 'image/png', '?party=B');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ seq: 2, kind: 'still_frame', party: 'B', shotRequestId: null, mimeType: 'image/png', size: frame.length, sha256: sha256(frame), prevChainHash: first.chainHash });
    const history = (await caseHistory(caseId)).filter((e) => e.event === 'evidence_fixed');
    expect(history.map((e) => e.actor?.kind)).toEqual(['driver', 'dispatcher']);

    // The desk and the parties can open it; another brigade's desk cannot.
    const file = await desk.get(res.body.contentUrl);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    const forParty = await fetch(t.url + res.body.contentUrl, { headers: { authorization: `Bearer ${b.token}` } });
    expect(sha256(Buffer.from(await forParty.arrayBuffer()))).toBe(sha256(frame));
    expect((await otherDesk.get(res.body.contentUrl)).status).toBe(404);
    expect((await postFrame(otherDesk, caseId, frame, 'image/png')).status).toBe(404);

    // A retried capture with the same Idempotency-Key is the same item; without one, a new frame.
    const key = { 'idempotency-key': 'frame-retry-0001' };
    const once = await postFrame(desk, caseId, frame, 'image/png', '', key);
    const twice = await postFrame(desk, caseId, frame, 'image/png', '', key);
    expect(once.body.id).toBe(twice.body.id);
    expect(once.body.party).toBeNull();
    expect((await Case.findById(caseId).lean())!.evidence.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('refuses frames that are not images, too big, for an unknown party, or off the call', async () => {
    const { caseId } = await caseInCall(a, b);
    const jpeg = await jpegOfSize(1000);
    expect((await postFrame(desk, caseId, jpeg, 'image/png')).body.code).toBe('FILE_TYPE_MISMATCH');
    expect((await postFrame(desk, caseId, Buffer.from('GIF89a.......'), 'image/gif')).status).toBe(415);
    expect((await postFrame(desk, caseId, Buffer.from('hello there, not an image'), 'application/octet-stream')).body.code).toBe('FILE_TYPE_MISMATCH');
    expect((await postFrame(desk, caseId, await jpegOfSize(300 * 1024), 'image/jpeg')).status).toBe(413);
    expect((await postFrame(desk, caseId, jpeg, 'image/jpeg', '?party=C')).status).toBe(400);
    expect((await postFrame(desk, caseId, jpeg, 'image/jpeg', '')).status).toBe(201);
    // Writes need the console header.
    const noHeader = await sendRaw(t, 'POST', `/api/v1/desk/cases/${caseId}/frames`, jpeg, { 'content-type': 'image/jpeg', cookie: `${t.config.STAFF_COOKIE_NAME}=${desk.cookie(t.config.STAFF_COOKIE_NAME)}` });
    expect(noHeader.body.code).toBe('CSRF_REJECTED');
    const { caseId: released } = await caseInCall(a, b, { state: 'released' });
    expect((await postFrame(desk, released, jpeg, 'image/jpeg')).body.code).toBe('CASE_NOT_IN_CALL');
    // Drivers cannot post frames.
    expect((await sendRaw(t, 'POST', `/api/v1/desk/cases/${caseId}/frames`, jpeg, { authorization: `Bearer ${a.token}`, 'content-type': 'image/jpeg' })).status).toBe(403);
  });

  it('verifies an intact chain, then finds an altered file, an edited record and a re-chained record', async () => {
    const { caseId } = await caseInCall(a, b);
    const files = [await jpegOfSize(40_000), randomPng(50, 50), await jpegOfSize(3_000), await jpegOfSize(5_000)];
    for (const [i, file] of files.entries()) {
      const who = uploader(t, i % 2 === 0 ? a : b);
      const done = await who.upload(caseId, file, { kind: 'other', mimeType: file[0] === 0x89 ? 'image/png' : 'image/jpeg' });
      expect(done.completed.body.evidence.seq).toBe(i + 1);
    }
    const verify = () => desk.get(`/api/v1/desk/cases/${caseId}/evidence/verify`);
    const intact = await verify();
    expect(intact.status).toBe(200);
    expect(intact.body.ok).toBe(true);
    expect(intact.body.items).toHaveLength(4);
    expect(intact.body.items.every((i: { fileOk: boolean; chainOk: boolean; problem: string | null }) => i.fileOk && i.chainOk && i.problem === null)).toBe(true);
    expect((await otherDesk.get(`/api/v1/desk/cases/${caseId}/evidence/verify`)).status).toBe(404);

    // Someone with disk access swaps the stored file of item 2 for another of the same size.
    const item2 = (await Evidence.findById(`${caseId}:000002`).lean())!;
    const forged = randomPng(50, 50);
    writeFileSync(join(storage, item2.blobKey), forged);
    const afterFile = (await verify()).body;
    expect(afterFile.ok).toBe(false);
    expect(afterFile.items[1]).toMatchObject({ seq: 2, fileOk: false, chainOk: true, problem: '文件内容与固定时的哈希不一致' });
    expect(afterFile.items.filter((i: { fileOk: boolean }) => !i.fileOk)).toHaveLength(1);
    await t.services.blobs.put(item2.blobKey, files[1]!);
    expect((await verify()).body.ok).toBe(true);

    // Someone with database access edits item 3's recorded hash to match a file they put in.
    const item3 = (await Evidence.findById(`${caseId}:000003`).lean())!;
    const other = await jpegOfSize(3_000);
    await Evidence.updateOne({ _id: item3._id }, { $set: { sha256: sha256(other) } });
    await t.services.blobs.put(item3.blobKey, other);
    const edited = (await verify()).body;
    expect(edited.ok).toBe(false);
    expect(edited.items[2]).toMatchObject({ seq: 3, fileOk: true, chainOk: false });
    expect(edited.items[2].problem).toContain('链哈希不符');

    // …and, cleverer, recomputes item 3's chainHash too: item 4 no longer follows, and the case's copy differs.
    const rechained = chainHash({ prevChainHash: item3.prevChainHash ?? '', sha256: sha256(other), seq: 3, fixedAt: item3.fixedAt, kind: item3.kind, party: item3.party ?? null });
    await Evidence.updateOne({ _id: item3._id }, { $set: { chainHash: rechained } });
    const broken = (await verify()).body;
    expect(broken.items[2]).toMatchObject({ seq: 3, fileOk: true, chainOk: false, problem: '与案件中登记的哈希不一致' });
    expect(broken.items[3]).toMatchObject({ seq: 4, fileOk: true, chainOk: false, problem: '链条断裂：上一项哈希不符' });
    expect(broken.items[0]).toMatchObject({ fileOk: true, chainOk: true });

    // A removed record shows as missing where the case listed it.
    await Evidence.deleteOne({ _id: `${caseId}:000001` });
    const removed = (await verify()).body;
    expect(removed.items[0]).toMatchObject({ seq: 1, fileOk: false, chainOk: false, problem: expect.stringContaining('证据记录缺失') });
    expect(removed.items).toHaveLength(4);
  });
});
