import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Evidence, Upload, UploadChunk } from '../../src/evidence/evidence.model';
import { purgeStaleUploads } from '../../src/evidence/purge-uploads';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades, verifiedDriver } from '../cases/fixtures';
import { caseInCall, randomPng, uploader } from './evidence-fixtures';

const CHUNK = 64 * 1024;

/** Files under a folder, recursively. */
const filesIn = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

describe('stale uploads are purged, fixed evidence never', () => {
  let t: TestServer;
  let storage: string;
  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'qh-purge-'));
    t = await startTestServer({ env: { STORAGE_DIR: storage, UPLOAD_CHUNK_BYTES: String(CHUNK), EVIDENCE_IMAGE_MAX_BYTES: String(1024 * 1024) } });
    await seedBrigades();
  });
  afterAll(async () => {
    await t.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('deletes the chunks of an upload left unfinished for a day, and nothing of a finished one', async () => {
    const a = await verifiedDriver(t);
    const b = await verifiedDriver(t);
    const { caseId } = await caseInCall(a, b);
    const up = uploader(t, a);
    const photo = randomPng(256, 256);

    const finished = await up.upload(caseId, photo, { kind: 'plate', mimeType: 'image/png' });
    expect(finished.completed.status).toBe(200);
    const left = (await up.create(caseId, { uploadKey: randomUUID(), kind: 'impact_point', mimeType: 'image/png', size: photo.length })).body;
    await up.send(left, photo, 0);
    const before = filesIn(storage).length;

    expect(await purgeStaleUploads(t.services, 24 * 3600)).toBe(0); // too recent
    const realNow = Date.now();
    t.services.clock = () => new Date(realNow + 25 * 3600_000);
    expect(await purgeStaleUploads(t.services, 24 * 3600)).toBe(1);

    expect(await Upload.exists({ _id: left.uploadId })).toBeNull();
    expect(await UploadChunk.countDocuments({ uploadId: left.uploadId })).toBe(0);
    expect(filesIn(storage).length).toBe(before - 1);
    expect(await Evidence.countDocuments({ caseId })).toBe(1);
    expect(await Upload.exists({ _id: finished.created.uploadId })).not.toBeNull();
    expect((await a.get(`/api/v1/uploads/${left.uploadId}`)).status).toBe(404);
  });
});
