import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PRODUCTION_ENV } from '../production-env';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { Evidence } from '../../src/evidence/evidence.model';
import { checkDigit } from '../../src/identity/id-number';
import { IdPhoto } from '../../src/identity/identity-review.model';
import { createBlobStore } from '../../src/platform/storage/create-blob-store';
import { createLocalDiskStore } from '../../src/platform/storage/local-disk-store';
import { createS3Store, S3StoreError, type S3StoreOptions } from '../../src/platform/storage/s3-store';
import { S3Fake } from '../../fakes';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades, verifiedDriver } from '../cases/fixtures';
import { caseInCall, jpegOfSize, randomPng, sha256, uploader } from '../evidence/evidence-fixtures';

const ACCESS_KEY = 'test-access-key';
const SECRET_KEY = 'test-secret-key-0123456789';
const BUCKET = 'evidence-test';

describe('S3-compatible blob store against the S3 fake', () => {
  let fake: S3Fake;
  let options: S3StoreOptions;
  let localDir: string;

  beforeAll(async () => {
    fake = new S3Fake(ACCESS_KEY, SECRET_KEY, BUCKET);
    const endpoint = await fake.start();
    options = { endpoint, region: 'us-east-1', bucket: BUCKET, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, forcePathStyle: true };
    localDir = mkdtempSync(join(tmpdir(), 'qh-blobs-s3-test-'));
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(localDir, { recursive: true, force: true });
  });
  beforeEach(() => fake.reset());

  it('puts and gets binary data back byte for byte, with the SHA-256 the local store would give', async () => {
    const store = createS3Store(options);
    const data = Buffer.concat([Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x1a, 0x80]), randomBytes(300 * 1024)]);
    const key = `evidence/case-1/${randomUUID()}.jpg`;
    const stored = await store.put(key, data);
    const expected = createHash('sha256').update(data).digest('hex');
    expect(stored).toEqual({ key, size: data.length, sha256: expected });
    expect(await createLocalDiskStore(localDir).put(key, data)).toEqual(stored);

    const back = await store.get(key);
    expect(Buffer.isBuffer(back)).toBe(true);
    expect(back.equals(data)).toBe(true);

    // What the store holds: the bytes, S3's ETag (quoted MD5), and the SHA-256 both as checksum and as metadata.
    const object = fake.object(key)!;
    expect(object.data.equals(data)).toBe(true);
    expect(object.etag).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
    expect(object.metadata).toEqual({ sha256: expected });
    expect(object.checksumSha256).toBe(createHash('sha256').update(data).digest('base64'));
    expect(fake.callsTo('PutObject')).toHaveLength(1);

    // An empty blob round-trips too.
    await store.put('empty/blob', Buffer.alloc(0));
    expect((await store.get('empty/blob')).length).toBe(0);
  });

  it('answers exists from HEAD: true for a stored key, false for a missing one', async () => {
    const store = createS3Store(options);
    await store.put('id-photos/d1/front.jpg', Buffer.from('front'));
    expect(await store.exists('id-photos/d1/front.jpg')).toBe(true);
    expect(await store.exists('id-photos/d1/back.jpg')).toBe(false);
    expect(fake.callsTo('HeadObject')).toHaveLength(2);
  });

  it('fails a get of a missing key the way the local store does (ENOENT)', async () => {
    const local = createLocalDiskStore(localDir);
    const s3 = createS3Store(options);
    const localError = await local.get('no/such/blob').then(() => null, (err: NodeJS.ErrnoException) => err);
    const s3Error = await s3.get('no/such/blob').then(() => null, (err: NodeJS.ErrnoException) => err);
    expect(localError?.code).toBe('ENOENT');
    expect(s3Error).toBeInstanceOf(Error);
    expect(s3Error?.code).toBe('ENOENT');
    expect(s3Error?.message).toMatch(/no such blob: no\/such\/blob/);
    // The object store really answered NoSuchKey.
    expect((s3Error?.cause as { name?: string }).name).toBe('NoSuchKey');
  });

  it('checks and normalises keys as the local store does', async () => {
    const local = createLocalDiskStore(localDir);
    const s3 = createS3Store(options);
    for (const bad of ['../outside', 'a/../../outside', '.', '']) {
      await expect(local.put(bad, Buffer.from('x'))).rejects.toThrow(/escapes the store/);
      await expect(s3.put(bad, Buffer.from('x'))).rejects.toThrow(/escapes the store/);
    }
    expect(fake.callsTo('PutObject')).toHaveLength(0);
    // `a//b` and `a/./b` name the same blob as `a/b` on disk; so in the bucket.
    await s3.put('norm//dir/./file.bin', Buffer.from('same'));
    expect(fake.keys()).toEqual(['norm/dir/file.bin']);
    expect((await s3.get('norm/dir/file.bin')).toString()).toBe('same');
  });

  it('deletes idempotently', async () => {
    const store = createS3Store(options);
    await store.put('chunks/u1/0', Buffer.from('chunk'));
    await store.delete('chunks/u1/0');
    expect(await store.exists('chunks/u1/0')).toBe(false);
    await expect(store.delete('chunks/u1/0')).resolves.toBeUndefined();
    await expect(store.delete('never/was/there')).resolves.toBeUndefined();
    expect(fake.keys()).toEqual([]);
  });

  it('keeps every key under the prefix when one is given', async () => {
    const store = createS3Store({ ...options, prefix: '/deploy-a/' });
    await store.put('evidence/x.png', Buffer.from('png'));
    expect(fake.keys()).toEqual(['deploy-a/evidence/x.png']);
    expect((await store.get('evidence/x.png')).toString()).toBe('png');
    expect(await createS3Store(options).exists('evidence/x.png')).toBe(false);
  });

  it('refuses a wrong access key id or secret with a clear error, and nothing is stored', async () => {
    const wrongId = createS3Store({ ...options, accessKeyId: 'AKIA-NOT-OURS' });
    const err = await wrongId.put('k/1', Buffer.from('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3StoreError);
    expect(err).toMatchObject({ code: 'InvalidAccessKeyId', status: 403, operation: 'PutObject' });
    expect((err as Error).message).toMatch(/PutObject of "k\/1" in bucket "evidence-test".*InvalidAccessKeyId \(HTTP 403\).*Access Key Id you provided does not exist.*S3_ACCESS_KEY_ID/);
    // A missing key read with the wrong credentials is an error, not "no such blob".
    await expect(wrongId.get('k/1')).rejects.toMatchObject({ code: 'InvalidAccessKeyId', status: 403 });
    // HEAD answers have no body: only the status says why.
    await expect(wrongId.exists('k/1')).rejects.toMatchObject({ status: 403 });

    const wrongSecret = createS3Store({ ...options, secretAccessKey: 'not-the-secret' });
    await expect(wrongSecret.put('k/1', Buffer.from('x'))).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    expect(fake.keys()).toEqual([]);
  });

  it('reports a bucket that does not exist as an error, not as a missing blob', async () => {
    const store = createS3Store({ ...options, bucket: 'no-such-bucket' });
    await expect(store.get('k')).rejects.toMatchObject({ code: 'NoSuchBucket', status: 404 });
    await expect(store.put('k', Buffer.from('x'))).rejects.toMatchObject({ code: 'NoSuchBucket' });
  });

  it('fake: speaks S3 on the wire (XML errors, bodiless HEAD errors, unsigned requests refused)', async () => {
    const anonymous = await fetch(`${fake.url}/${BUCKET}/some/key`);
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get('content-type')).toMatch(/application\/xml/);
    expect(await anonymous.text()).toMatch(/<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/);
    const head = await fetch(`${fake.url}/${BUCKET}/some/key`, { method: 'HEAD' });
    expect(head.status).toBe(403);
    expect(await head.text()).toBe('');

    const store = createS3Store(options);
    await expect(store.get('missing')).rejects.toMatchObject({ code: 'ENOENT' });
    const call = fake.callsTo('GetObject')[0]!;
    expect(call.method).toBe('GET');

    // Path-style: the bucket is the first path segment, on the endpoint's own host.
    await store.put('a b/ü+?.bin', Buffer.from('odd key'));
    expect(fake.keys()).toEqual(['a b/ü+?.bin']);
    expect((await store.get('a b/ü+?.bin')).toString()).toBe('odd key');
  });
});

describe('storage configuration', () => {
  it('defaults to local disk and needs an endpoint and a bucket for s3', () => {
    expect(loadConfig({}).STORAGE_BACKEND).toBe('local');
    expect(loadConfig({}).S3_FORCE_PATH_STYLE).toBe(true);
    let error: unknown;
    try {
      loadConfig({ STORAGE_BACKEND: 's3' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['S3_ENDPOINT: required when STORAGE_BACKEND=s3', 'S3_BUCKET: required when STORAGE_BACKEND=s3']);
    expect(() => loadConfig({ STORAGE_BACKEND: 's3', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_BUCKET: 'Bad_Bucket' })).toThrow(/S3_BUCKET: must be an S3 bucket name/);
    expect(() => loadConfig({ STORAGE_BACKEND: 'gcs' })).toThrow(/STORAGE_BACKEND/);
    const s3 = loadConfig({ STORAGE_BACKEND: 's3', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_BUCKET: 'evidence', S3_FORCE_PATH_STYLE: 'false' });
    expect(s3).toMatchObject({ S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false });
  });

  const productionEnv = PRODUCTION_ENV;

  it('refuses the development S3 keys in production only when S3 is the backend', () => {
    expect(loadConfig(productionEnv).STORAGE_BACKEND).toBe('local');
    const s3 = { ...productionEnv, STORAGE_BACKEND: 's3', S3_ENDPOINT: 'https://oss-cn-guangzhou.aliyuncs.com', S3_BUCKET: 'jm-evidence' };
    expect(() => loadConfig(s3)).toThrow(/S3_ACCESS_KEY_ID: the development default.*S3_SECRET_ACCESS_KEY: the development default/s);
    expect(loadConfig({ ...s3, S3_ACCESS_KEY_ID: 'LTAI-real', S3_SECRET_ACCESS_KEY: 'real-secret' }).STORAGE_BACKEND).toBe('s3');
  });

  it('builds the store the configuration names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qh-blobs-factory-'));
    const fake = new S3Fake(ACCESS_KEY, SECRET_KEY, BUCKET);
    const endpoint = await fake.start();
    try {
      const local = createBlobStore(loadConfig({ STORAGE_DIR: dir }));
      await local.put('x/y', Buffer.from('on disk'));
      expect(fake.keys()).toEqual([]);
      const s3 = createBlobStore(loadConfig({ STORAGE_BACKEND: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: BUCKET, S3_ACCESS_KEY_ID: ACCESS_KEY, S3_SECRET_ACCESS_KEY: SECRET_KEY }));
      await s3.put('x/y', Buffer.from('in the bucket'));
      expect(fake.object('x/y')!.data.toString()).toBe('in the bucket');
      expect((await local.get('x/y')).toString()).toBe('on disk');
    } finally {
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('STORAGE_BACKEND=s3 end to end: uploads land in the object store', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ env: { STORAGE_BACKEND: 's3', UPLOAD_CHUNK_BYTES: String(64 * 1024), FACE_MAX_FAILURES: '1' } });
    await seedBrigades();
  });
  afterAll(async () => {
    await t.close();
  });

  it('an evidence photo uploaded in chunks is fixed in the bucket, read back through the API, and its chunks are gone', async () => {
    const a = await verifiedDriver(t);
    const b = await verifiedDriver(t);
    const { caseId, shotA } = await caseInCall(a, b);
    const photo = randomPng(200, 200);
    const { created, completed } = await uploader(t, a).upload(caseId, photo, { shotRequestId: shotA, kind: 'impact_point', mimeType: 'image/png' });
    expect(created.totalChunks).toBeGreaterThanOrEqual(2);
    expect(completed.status).toBe(200);
    const item = completed.body.evidence;
    expect(item).toMatchObject({ sha256: sha256(photo), size: photo.length });

    // The chunks went to the bucket (PUT) and were deleted after assembly; the fixed file is there.
    expect(t.fakes.s3.callsTo('PutObject').length).toBe(created.totalChunks + 1);
    expect(t.fakes.s3.callsTo('DeleteObject').length).toBeGreaterThanOrEqual(created.totalChunks);
    const record = (await Evidence.findById(item.id).lean())!;
    expect(t.fakes.s3.keys()).toEqual([record.blobKey]);
    const object = t.fakes.s3.object(record.blobKey)!;
    expect(object.data.equals(photo)).toBe(true);
    expect(object.metadata.sha256).toBe(sha256(photo));

    const res = await fetch(t.url + item.contentUrl, { headers: { authorization: `Bearer ${b.token}` } });
    expect(res.status).toBe(200);
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(photo));
    expect(await t.services.blobs.exists(record.blobKey)).toBe(true);
  });

  it('an ID photo for manual review is stored in the bucket and shown to ops from there', async () => {
    // A driver whose face check failed (FACE_MAX_FAILURES=1) is offered manual review and uploads the ID card.
    const session = (await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode(`s3-${randomUUID()}`) })).body;
    const token = session.accessToken as string;
    const post = (path: string, body?: unknown) => t.http.post(path, body ?? {}, { token });
    const first17 = '44078419781120301';
    await post('/api/v1/verification/profile', { name: '陈七', idNumber: first17 + checkDigit(first17), phone: '13600000000', agreementVersion: t.config.AGREEMENT_VERSION, agreementAccepted: true });
    const started = await post('/api/v1/verification/face/start');
    t.fakes.wechat.completeFaceVerification(started.body.verifyId, 10004);
    await post('/api/v1/verification/face/complete', { verifyId: started.body.verifyId });

    const jpeg = await jpegOfSize(3004); // a real photo: ID photos are decoded before they are kept
    const form = new FormData();
    form.set('side', 'front');
    form.set('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'front.jpg');
    const res = await fetch(`${t.url}/api/v1/verification/id-photos`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ side: 'front', size: jpeg.length, sha256: sha256(jpeg) });

    const photo = (await IdPhoto.findOne({ driverId: session.driver.id }).lean())!;
    expect(photo.blobKey).toMatch(new RegExp(`^id-photos/${session.driver.id}/front-`));
    const object = t.fakes.s3.object(photo.blobKey)!;
    expect(object.data.equals(jpeg)).toBe(true);
    expect(object.metadata).toEqual({ sha256: sha256(jpeg) });
    expect(await t.services.blobs.exists(photo.blobKey)).toBe(true);
  });
});
