import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setFaultHook } from '../../src/platform/faults';
import type { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades, verifiedDriver, type TestDriver } from '../cases/fixtures';
import { caseInCall, deskUser, jpegOfSize, sha256, uploader } from './evidence-fixtures';

/**
 * The database stored the evidence item but its answer never came back (the engine killed mid-reply,
 * a fail-over): the item is fixed, so its file must stay. Found by `npm run chaos`: the failed attempt
 * deleted the file it had just fixed, and the phone's retry returned an item whose file was gone.
 */
describe('evidence whose insert landed but whose answer was lost', () => {
  let t: TestServer;
  let storage: string;
  let a: TestDriver;
  let b: TestDriver;
  let desk: HttpClient;

  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'qh-lost-answer-'));
    t = await startTestServer({ env: { STORAGE_DIR: storage } });
    await seedBrigades();
    a = await verifiedDriver(t);
    b = await verifiedDriver(t);
    desk = await deskUser(t, 'lost-answer-desk');
  });
  afterAll(async () => {
    setFaultHook(null);
    await t.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('keeps the file: the retry returns the item, and its chain and file verify', async () => {
    const { caseId } = await caseInCall(a, b);
    const photo = await jpegOfSize(20_000);
    const up = uploader(t, a);
    const created = await up.create(caseId, { uploadKey: randomUUID(), kind: 'other', mimeType: 'image/jpeg', size: photo.length });
    expect(created.status).toBe(201);
    for (let i = 0; i < created.body.totalChunks; i++) expect((await up.send(created.body, photo, i)).status).toBe(200);

    let lost = 0;
    setFaultHook((point) => {
      if (point === 'evidence-inserted' && lost++ === 0) throw new Error('connection closed before the insert was acknowledged');
    });
    const first = await up.complete(created.body.uploadId, { sha256: sha256(photo) });
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(lost).toBe(1);

    const retried = await up.complete(created.body.uploadId, { sha256: sha256(photo) });
    expect(retried.status).toBe(200);
    expect(retried.body.evidence).toMatchObject({ sha256: sha256(photo), size: photo.length });

    const verified = await desk.get(`/api/v1/desk/cases/${caseId}/evidence/verify`);
    expect(verified.status).toBe(200);
    expect(verified.body.items.map((i: { fileOk: boolean; chainOk: boolean }) => [i.fileOk, i.chainOk])).toEqual([[true, true]]);
    expect(verified.body.ok).toBe(true);
  });
});
