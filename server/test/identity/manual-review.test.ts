import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDigit } from '../../src/identity/id-number';
import { IdPhoto } from '../../src/identity/identity-review.model';
import { purgeExpiredIdPhotos } from '../../src/identity/manual-review';
import { AuditEntry } from '../../src/platform/audit/audit';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import { HTML_AS_JPEG, jpegOfSize, randomPng } from '../evidence/evidence-fixtures';
import { startTestServer, type TestServer } from '../harness';

const idNumber = (seq: string) => `44078419781120${seq}` + checkDigit(`44078419781120${seq}`);
// Real photos: the server decodes every ID photo to the end before it keeps it.
let JPEG: Buffer;
const PNG = randomPng(30, 20);

describe('实人认证, manual review of ID photos', () => {
  let t: TestServer;
  let storage: string;
  let ops: HttpClient;
  const WRITE = { headers: { 'x-console-request': '1' } };

  beforeAll(async () => {
    JPEG = await jpegOfSize(2000);
    storage = mkdtempSync(join(tmpdir(), 'qh-blobs-'));
    t = await startTestServer({ env: { FACE_MAX_FAILURES: '1', STORAGE_DIR: storage, ID_PHOTO_MAX_BYTES: String(100 * 1024), ID_PHOTO_RETENTION_DAYS: '30' } });
    await createStaff({ username: 'reviewer', displayName: '审核员', role: 'ops', password: 'reviewer-password-1' }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'desk', displayName: '接警员', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'desk-password-123' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    await ops.post('/api/v1/staff/login', { username: 'reviewer', password: 'reviewer-password-1' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(storage, { recursive: true, force: true });
  });

  let seq = 0;
  async function driverPastFace() {
    const n = String(200 + ++seq);
    const session = (await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode(`review-${n}`) })).body;
    const token = session.accessToken as string;
    const post = (path: string, body?: unknown) => t.http.post(path, body ?? {}, { token });
    await post('/api/v1/verification/profile', { name: '陈七', idNumber: idNumber(n), phone: '13600000000', agreementVersion: t.config.AGREEMENT_VERSION, agreementAccepted: true });
    const started = await post('/api/v1/verification/face/start');
    t.fakes.wechat.completeFaceVerification(started.body.verifyId, 10004);
    await post('/api/v1/verification/face/complete', { verifyId: started.body.verifyId });
    const upload = async (side: string, data: Buffer, filename = 'photo.jpg') => {
      const form = new FormData();
      form.set('side', side);
      form.set('file', new Blob([new Uint8Array(data)], { type: 'image/jpeg' }), filename);
      const res = await fetch(`${t.url}/api/v1/verification/id-photos`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      return { status: res.status, body: (await res.json()) as any };
    };
    return { id: session.driver.id as string, post, upload, get: (path: string) => t.http.get(path, { token }) };
  }

  it('takes both sides, queues the review, and shows it to ops oldest first with the wait', async () => {
    const driver = await driverPastFace();
    const front = await driver.upload('front', JPEG);
    expect(front).toEqual({ status: 201, body: { side: 'front', size: JPEG.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect((await driver.post('/api/v1/verification/manual-review')).body.message).toBe('请先上传身份证国徽面照片');
    expect((await driver.upload('back', PNG, 'back.png')).status).toBe(201);
    const submitted = await driver.post('/api/v1/verification/manual-review');
    expect(submitted.body).toMatchObject({ status: 'pending_review', review: { state: 'pending', reason: null } });

    const queue = await ops.get('/api/v1/admin/identity-reviews');
    expect(queue.status).toBe(200);
    const item = queue.body.items.find((i: { driverId: string }) => i.driverId === driver.id);
    expect(item).toMatchObject({ maskedName: '陈*', maskedIdNumber: expect.stringMatching(/^4407\*{10}/), faceFailures: 1, waitingSeconds: expect.any(Number) });

    const photo = await fetch(`${t.url}/api/v1/admin/identity-reviews/${item.id}/photos/back`, { headers: { cookie: `qh_staff=${ops.cookie('qh_staff')}` } });
    expect(photo.headers.get('content-type')).toBe('image/png');
    // Shown in the console, never run: sandboxed like evidence.
    expect(photo.headers.get('content-security-policy')).toBe('sandbox');
    expect(Buffer.from(await photo.arrayBuffer()).equals(PNG)).toBe(true);
    expect(await AuditEntry.countDocuments({ action: 'identity_review.view_photo', 'target.id': item.id })).toBe(1);
  });

  it('refuses what is not a JPEG or PNG by its bytes (415) and a file over the limit (413)', async () => {
    const driver = await driverPastFace();
    const fake = await driver.upload('front', Buffer.from('%PDF-1.7 not a photo'), 'id.jpg');
    expect(fake.status).toBe(415);
    expect(fake.body.message).toMatch(/JPG 或 PNG/);
    const huge = await driver.upload('front', Buffer.concat([JPEG, Buffer.alloc(200 * 1024)]));
    expect(huge.status).toBe(413);
    expect(await IdPhoto.countDocuments({ driverId: driver.id })).toBe(0);
  });

  it('refuses a photo that does not decode to the end: a JPEG header before a web page, a cut-off photo (400 FILE_CORRUPT)', async () => {
    const driver = await driverPastFace();
    const page = await driver.upload('front', HTML_AS_JPEG, 'id.jpg');
    expect([page.status, page.body.code]).toEqual([400, 'FILE_CORRUPT']);
    expect(page.body.message).toMatch(/损坏|不完整/);
    const cut = await driver.upload('back', PNG.subarray(0, PNG.length - 30), 'back.png');
    expect([cut.status, cut.body.code]).toEqual([400, 'FILE_CORRUPT']);
    expect(await IdPhoto.countDocuments({ driverId: driver.id })).toBe(0);
    expect((await driver.upload('front', JPEG)).status).toBe(201);
  });

  it('approves: the driver is verified by manual review', async () => {
    const driver = await driverPastFace();
    await driver.upload('front', JPEG);
    await driver.upload('back', JPEG);
    await driver.post('/api/v1/verification/manual-review');
    const item = (await ops.get('/api/v1/admin/identity-reviews')).body.items.find((i: { driverId: string }) => i.driverId === driver.id);
    const decided = await ops.post(`/api/v1/admin/identity-reviews/${item.id}/decision`, { decision: 'approve' }, WRITE);
    expect(decided.status).toBe(200);
    expect((await driver.get('/api/v1/verification')).body).toMatchObject({ status: 'verified', method: 'manual_review', review: { state: 'approved' } });
  });

  it('rejects with a reason the driver reads; a second decision is refused; a dispatcher cannot decide', async () => {
    const driver = await driverPastFace();
    await driver.upload('front', JPEG);
    await driver.upload('back', JPEG);
    await driver.post('/api/v1/verification/manual-review');
    const item = (await ops.get('/api/v1/admin/identity-reviews')).body.items.find((i: { driverId: string }) => i.driverId === driver.id);

    const desk = new HttpClient(t.url);
    await desk.post('/api/v1/staff/login', { username: 'desk', password: 'desk-password-123' });
    expect((await desk.post(`/api/v1/admin/identity-reviews/${item.id}/decision`, { decision: 'approve' }, WRITE)).status).toBe(403);

    expect((await ops.post(`/api/v1/admin/identity-reviews/${item.id}/decision`, { decision: 'reject' }, WRITE)).body.issues[0].path).toBe('reason');
    const [a, b] = await Promise.all([
      ops.post(`/api/v1/admin/identity-reviews/${item.id}/decision`, { decision: 'reject', reason: '照片模糊，看不清证件号码' }, WRITE),
      ops.post(`/api/v1/admin/identity-reviews/${item.id}/decision`, { decision: 'approve' }, WRITE),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const status = (await driver.get('/api/v1/verification')).body;
    if (a.status === 200) expect(status).toMatchObject({ status: 'rejected', review: { state: 'rejected', reason: '照片模糊，看不清证件号码' } });
    else expect(status.status).toBe('verified');
    expect(await AuditEntry.countDocuments({ 'target.id': item.id, action: /identity_review\.(approve|reject)/ })).toBe(1);
  });

  it('deletes the photo files once the retention period after the decision has passed', async () => {
    const driver = await driverPastFace();
    await driver.upload('front', JPEG);
    await driver.upload('back', JPEG);
    await driver.post('/api/v1/verification/manual-review');
    const item = (await ops.get('/api/v1/admin/identity-reviews')).body.items.find((i: { driverId: string }) => i.driverId === driver.id);
    await ops.post(`/api/v1/admin/identity-reviews/${item.id}/decision`, { decision: 'approve' }, WRITE);
    const photos = await IdPhoto.find({ driverId: driver.id }).lean();
    expect(await Promise.all(photos.map((p) => t.services.blobs.exists(p.blobKey)))).toEqual([true, true]);

    expect(await purgeExpiredIdPhotos({ services: t.services }, new Date(Date.now() + 29 * 86_400_000))).toBe(0);
    expect(await purgeExpiredIdPhotos({ services: t.services }, new Date(Date.now() + 31 * 86_400_000))).toBeGreaterThanOrEqual(2);
    expect(await Promise.all(photos.map((p) => t.services.blobs.exists(p.blobKey)))).toEqual([false, false]);
    expect(await IdPhoto.countDocuments({ driverId: driver.id, deletedAt: { $ne: null } })).toBe(2);
    const gone = await fetch(`${t.url}/api/v1/admin/identity-reviews/${item.id}/photos/front`, { headers: { cookie: `qh_staff=${ops.cookie('qh_staff')}` } });
    expect(gone.status).toBe(404);
  });
});
