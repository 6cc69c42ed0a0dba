/**
 * Guided shots and the upload queue on the call page: the camera only, the photo kept in the
 * mini-program's own folder, chunked upload with the right bytes and progress, resuming with only
 * the chunks the server lacks, offline photos sent when the network returns, and photos that
 * cannot be sent.
 */
import { createHash } from 'crypto';
import { setRtcClientFactory } from '../utils/rtc/index';
import {
  CALL,
  COMPLETE,
  TOKEN,
  UPLOAD,
  UPLOADS,
  USER_DATA_PATH,
  bytesOf,
  cameraGives,
  chunk,
  fakeNetwork,
  fakeRtc,
  phone,
  photoBytes,
} from './call-harness';
import { fakeServer } from './fake-server';
import { callView, evidenceItem, rtcCredentials, shotRequest, signedIn, uploadSession } from './fixtures';
import { closePage, domOf, renderPage, tap, textOf, waitFor } from './page-driver';
import { loadPage } from './simulator';
import { optionsOf } from './wx-stubs';

const SIZE = 307200; // 300 KiB: chunks of 128, 128 and 44 KiB
const CHUNK = 131072;
const PHOTO = 'wxfile://tmp_photo_1.jpg';

/** SHA-256 by Node's own implementation, to check the phone's (a pure-JS library) against. */
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
/** What complete should carry for `bytes`: the whole file's hash and each chunk's. */
function claimOf(bytes: Uint8Array): { sha256: string; chunks: string[] } {
  const chunks: string[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK) chunks.push(sha256(bytes.slice(at, at + CHUNK)));
  return { sha256: sha256(bytes), chunks };
}
const hashMismatch = (dropped: number[]) => ({
  status: 409,
  body: {
    code: 'UPLOAD_HASH_MISMATCH',
    message: '服务器收到的文件与手机上的不一致，请补传后再完成',
    upload: { sha256: 'c'.repeat(64), size: SIZE, chunks: [0, 1, 2].map((index) => ({ index, sha256: 'd'.repeat(64) })), dropped },
  },
});

let pageId: string;
beforeAll(() => {
  pageId = loadPage('pages/call/index');
});

beforeEach(() => {
  wx.clearStorageSync();
  signedIn('verified');
});

let opened: ReturnType<typeof renderPage>[] = [];
function open(): ReturnType<typeof renderPage> {
  const page = renderPage(pageId, { caseId: 'case_1' });
  opened.push(page);
  return page;
}
afterEach(() => {
  for (const page of opened) closePage(page);
  opened = [];
  setRtcClientFactory(null);
});

/** A call with one shot asked of party A; the shot stays pending until `evidenceArrives`. */
function callWithShot(server: ReturnType<typeof fakeServer>): void {
  server.on(CALL, { status: 200, body: callView({ rev: 4, pendingShots: [shotRequest()] }) });
  server.on(TOKEN, { status: 200, body: rtcCredentials() });
}

/** The single upload item on the page (its key is generated). */
function uploadKey(page: ReturnType<typeof renderPage>): string {
  const key = (page.data.uploads as { key: string }[])[0]?.key;
  if (!key) throw new Error('no upload on the page');
  return key;
}

test('拍摄 opens the camera only; the photo goes up in chunks with the right bytes, progress is shown, then 已上传', async () => {
  const { files } = phone();
  fakeRtc();
  const bytes = photoBytes(SIZE);
  const chooseMedia = cameraGives(files.files, PHOTO, bytes);
  const server = fakeServer();
  callWithShot(server);
  server.on(UPLOADS, { status: 201, body: uploadSession() });
  server.on(chunk(0), { status: 200, body: uploadSession({ received: [0] }) });
  server.on(chunk(1), { status: 200, body: uploadSession({ received: [0, 1] }), delayMs: 150 });
  server.on(chunk(2), { status: 200, body: uploadSession({ received: [0, 1, 2] }) });
  server.on(COMPLETE, { status: 200, body: uploadSession({ received: [0, 1, 2], evidence: evidenceItem() }) });
  const page = open();
  await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'));

  await tap(page, '#shoot-shot_1');

  expect(optionsOf(chooseMedia)).toMatchObject({ count: 1, mediaType: ['image'], sourceType: ['camera'], camera: 'back' });
  // Halfway: chunk 0 is in, chunk 1 on its way.
  await waitFor(() => expect(server.to(chunk(1))).toHaveLength(1));
  const key = uploadKey(page);
  expect(textOf(page, `#upload-status-${key}`)).toBe('正在上传 42%');
  expect(textOf(page, `#upload-progress-${key}`)).toBe('已上传 128 KB / 300 KB');
  expect(textOf(page, `#upload-${key}`)).toContain('碰撞部位');
  expect(textOf(page, '#shot-status-shot_1')).toBe('已拍摄，见下方上传进度');
  expect(domOf(page, '#shoot-shot_1')).toBeNull(); // no second photo for the same request meanwhile

  await waitFor(() => expect(textOf(page, `#upload-status-${key}`)).toBe('已上传'));
  expect(textOf(page, `#upload-progress-${key}`)).toBe('已上传 300 KB / 300 KB');

  const [create] = server.to(UPLOADS);
  expect(create!.data).toEqual({ uploadKey: key, kind: 'impact_point', mimeType: 'image/jpeg', size: SIZE, shotRequestId: 'shot_1' });
  expect(create!.header['Idempotency-Key']).toBe(key);
  const sent = [0, 1, 2].map((i) => server.to(chunk(i)));
  expect(sent.map((s) => s.length)).toEqual([1, 1, 1]);
  for (const [index, [put]] of sent.entries()) {
    expect(put!.header['Content-Type']).toBe('application/octet-stream');
    expect(put!.header.Authorization).toBe('Bearer access-1');
    expect(bytesOf(put!.data)).toEqual(bytes.slice(index * CHUNK, Math.min(SIZE, (index + 1) * CHUNK)));
  }
  expect(bytesOf(sent[2]![0]!.data)).toHaveLength(SIZE - 2 * CHUNK);
  expect(server.to(COMPLETE)).toHaveLength(1);
  // The server fixes the file only if it holds exactly these bytes.
  expect(server.to(COMPLETE)[0]!.data).toEqual(claimOf(bytes));
  const order = server.requests.map((r) => r.key).filter((k) => k.startsWith('PUT') || k === UPLOADS || k === COMPLETE);
  expect(order).toEqual([UPLOADS, chunk(0), chunk(1), chunk(2), COMPLETE]);
  // Read from the copy kept in the mini-program's own folder, which is removed once sent.
  expect(files.saveFile).toHaveBeenCalledWith(expect.objectContaining({ tempFilePath: PHOTO, filePath: `${USER_DATA_PATH}/evidence-${key}.jpg` }));
  expect(files.readFile.mock.calls.every((c) => (c[0] as { filePath: string }).filePath === `${USER_DATA_PATH}/evidence-${key}.jpg`)).toBe(true);
  expect(files.files.has(`${USER_DATA_PATH}/evidence-${key}.jpg`)).toBe(false);
  expect(wx.getStorageSync('uploadQueue')).toEqual([]);
});

test('a chunk that fails is resumed: the server says what it holds, and only the missing chunks are sent', async () => {
  const { files } = phone();
  fakeRtc();
  const bytes = photoBytes(SIZE);
  cameraGives(files.files, PHOTO, bytes);
  const server = fakeServer();
  callWithShot(server);
  server.on(UPLOADS, { status: 201, body: uploadSession() });
  server.on(chunk(0), { status: 200, body: uploadSession({ received: [0] }) });
  // The answer to chunk 1 is lost on the way, although the server stored it.
  server.on(chunk(1), { fail: 'request:fail timeout' });
  server.on(UPLOAD, { status: 200, body: uploadSession({ received: [0, 1] }) });
  server.on(chunk(2), { status: 200, body: uploadSession({ received: [0, 1, 2] }) });
  server.on(COMPLETE, { status: 200, body: uploadSession({ received: [0, 1, 2], evidence: evidenceItem() }) });
  const page = open();
  await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'));

  await tap(page, '#shoot-shot_1');

  await waitFor(() => expect(textOf(page, `#upload-status-${uploadKey(page)}`)).toBe('网络不稳定，稍后自动重试'));
  const key = uploadKey(page);
  expect(textOf(page, `#upload-progress-${key}`)).toBe('已上传 128 KB / 300 KB');
  expect(server.to(chunk(1))).toHaveLength(1); // the queue retries itself, not the request helper

  await waitFor(() => expect(textOf(page, `#upload-status-${key}`)).toBe('已上传'), 3000);
  expect(server.to(UPLOAD)).toHaveLength(1);
  expect(server.to(chunk(0))).toHaveLength(1);
  expect(server.to(chunk(1))).toHaveLength(1); // held by the server: not sent again
  expect(server.to(chunk(2))).toHaveLength(1);
  expect(bytesOf(server.to(chunk(2))[0]!.data)).toEqual(bytes.slice(2 * CHUNK));
  const order = server.requests.map((r) => r.key).filter((k) => k !== CALL && k !== TOKEN);
  expect(order).toEqual([UPLOADS, chunk(0), chunk(1), UPLOAD, chunk(2), COMPLETE]);
});

test('the server put together other bytes (UPLOAD_HASH_MISMATCH): the queue asks what it still holds, sends the dropped chunk again, completes', async () => {
  const { files } = phone();
  fakeRtc();
  const bytes = photoBytes(SIZE);
  cameraGives(files.files, PHOTO, bytes);
  const server = fakeServer();
  callWithShot(server);
  server.on(UPLOADS, { status: 201, body: uploadSession() });
  server.on(chunk(0), { status: 200, body: uploadSession({ received: [0] }) });
  server.on(chunk(1), { status: 200, body: uploadSession({ received: [0, 1] }) }, { status: 200, body: uploadSession({ received: [0, 1, 2] }) });
  server.on(chunk(2), { status: 200, body: uploadSession({ received: [0, 1, 2] }) });
  // Chunk 1 reached the server spoilt: it compares the phone's chunk hashes with its own and drops it.
  server.on(COMPLETE, hashMismatch([1]), { status: 200, body: uploadSession({ received: [0, 1, 2], evidence: evidenceItem() }) });
  server.on(UPLOAD, { status: 200, body: uploadSession({ received: [0, 2] }) });
  const page = open();
  await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'));

  await tap(page, '#shoot-shot_1');

  await waitFor(() => expect(textOf(page, `#upload-status-${uploadKey(page)}`)).toBe('已上传'));
  const order = server.requests.map((r) => r.key).filter((k) => k !== CALL && k !== TOKEN);
  expect(order).toEqual([UPLOADS, chunk(0), chunk(1), chunk(2), COMPLETE, UPLOAD, chunk(1), COMPLETE]);
  expect(bytesOf(server.to(chunk(1))[1]!.data)).toEqual(bytes.slice(CHUNK, 2 * CHUNK));
  for (const complete of server.to(COMPLETE)) expect(complete.data).toEqual(claimOf(bytes));
  expect(wx.getStorageSync('uploadQueue')).toEqual([]);
});

test('a chunk the server holds other bytes for (CHUNK_CONFLICT): the queue goes on, and complete’s hash check settles which copy is right', async () => {
  const { files } = phone();
  fakeRtc();
  const bytes = photoBytes(SIZE);
  cameraGives(files.files, PHOTO, bytes);
  const server = fakeServer();
  callWithShot(server);
  server.on(UPLOADS, { status: 201, body: uploadSession() });
  server.on(chunk(0), { status: 200, body: uploadSession({ received: [0] }) });
  server.on(
    chunk(1),
    { status: 409, body: { code: 'CHUNK_CONFLICT', message: '分片 1 已收到另一份内容', chunk: { index: 1, sha256: 'e'.repeat(64) } } },
    { status: 200, body: uploadSession({ received: [0, 1, 2] }) },
  );
  server.on(chunk(2), { status: 200, body: uploadSession({ received: [0, 1, 2] }) });
  server.on(COMPLETE, hashMismatch([1]), { status: 200, body: uploadSession({ received: [0, 1, 2], evidence: evidenceItem() }) });
  server.on(UPLOAD, { status: 200, body: uploadSession({ received: [0, 2] }) });
  const page = open();
  await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'));

  await tap(page, '#shoot-shot_1');

  await waitFor(() => expect(textOf(page, `#upload-status-${uploadKey(page)}`)).toBe('已上传'));
  const order = server.requests.map((r) => r.key).filter((k) => k !== CALL && k !== TOKEN);
  expect(order).toEqual([UPLOADS, chunk(0), chunk(1), chunk(2), COMPLETE, UPLOAD, chunk(1), COMPLETE]);
});

test('a mismatch that does not go away stops with a message instead of sending for ever; 重试 checks again', async () => {
  const { files } = phone();
  fakeRtc();
  cameraGives(files.files, PHOTO, photoBytes(SIZE));
  const server = fakeServer();
  callWithShot(server);
  server.on(UPLOADS, { status: 201, body: uploadSession() });
  for (const i of [0, 1, 2]) server.on(chunk(i), { status: 200, body: uploadSession({ received: [0, 1, 2].slice(0, i + 1) }) });
  server.on(UPLOAD, { status: 200, body: uploadSession({ received: [0, 1] }) });
  server.on(COMPLETE, hashMismatch([2]));
  const page = open();
  await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'));

  await tap(page, '#shoot-shot_1');

  await waitFor(() => expect(textOf(page, `#upload-status-${uploadKey(page)}`)).toBe('照片上传后校验不一致，请点「重试」；仍不行请重新拍摄'));
  const key = uploadKey(page);
  expect(server.to(COMPLETE)).toHaveLength(3);
  expect(server.to(chunk(2))).toHaveLength(3); // sent again after each of the first two mismatches

  server.on(COMPLETE, { status: 200, body: uploadSession({ received: [0, 1, 2], evidence: evidenceItem() }) });
  await tap(page, `#upload-retry-${key}`);
  await waitFor(() => expect(textOf(page, `#upload-status-${key}`)).toBe('已上传'));
  expect(server.to(COMPLETE)).toHaveLength(4);
});

test('offline: the photo is kept on the phone, and sent as soon as the network returns', async () => {
  const { files } = phone();
  const network = fakeNetwork('none');
  fakeRtc();
  const bytes = photoBytes(SIZE);
  cameraGives(files.files, PHOTO, bytes);
  const server = fakeServer();
  callWithShot(server);
  server.on(UPLOADS, { status: 201, body: uploadSession() });
  for (const i of [0, 1, 2]) server.on(chunk(i), { status: 200, body: uploadSession({ received: [0, 1, 2].slice(0, i + 1) }) });
  server.on(COMPLETE, { status: 200, body: uploadSession({ received: [0, 1, 2], evidence: evidenceItem() }) });
  const page = open();
  await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'));

  await tap(page, '#shoot-shot_1');

  await waitFor(() => expect(page.data.uploads).toHaveLength(1));
  const key = uploadKey(page);
  await waitFor(() => expect(textOf(page, `#upload-status-${key}`)).toBe('手机没有网络，照片已保存在手机上，有网络后自动上传'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(server.to(UPLOADS)).toHaveLength(0);
  const stored = wx.getStorageSync('uploadQueue') as { uploadKey: string; filePath: string; status: string; shotRequestId: string }[];
  expect(stored).toEqual([expect.objectContaining({ uploadKey: key, shotRequestId: 'shot_1', filePath: `${USER_DATA_PATH}/evidence-${key}.jpg`, status: 'offline' })]);

  network.online();

  await waitFor(() => expect(textOf(page, `#upload-status-${key}`)).toBe('已上传'));
  expect(server.to(UPLOADS)).toHaveLength(1);
  expect([0, 1, 2].map((i) => server.to(chunk(i)).length)).toEqual([1, 1, 1]);
  expect(wx.getStorageSync('uploadQueue')).toEqual([]);
});

test('the network drops in the middle: the rest waits for it, then resumes after asking the server', async () => {
  const { files } = phone();
  const network = fakeNetwork('4g');
  fakeRtc();
  cameraGives(files.files, PHOTO, photoBytes(SIZE));
  const server = fakeServer();
  callWithShot(server);
  server.on(UPLOADS, { status: 201, body: uploadSession() });
  server.on(chunk(0), { status: 200, body: uploadSession({ received: [0] }) });
  server.on(chunk(1), { fail: 'request:fail -101:net::ERR_INTERNET_DISCONNECTED' }, { status: 200, body: uploadSession({ received: [0, 1] }) });
  server.on(UPLOAD, { status: 200, body: uploadSession({ received: [0] }) });
  server.on(chunk(2), { status: 200, body: uploadSession({ received: [0, 1, 2] }) });
  server.on(COMPLETE, { status: 200, body: uploadSession({ received: [0, 1, 2], evidence: evidenceItem() }) });
  const page = open();
  await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'));
  await waitFor(() => expect(network.listeners.size).toBe(1));

  // The phone loses the network just as chunk 1 goes out.
  const original = wx.request;
  wx.request = ((options: WechatMiniprogram.RequestOption) => {
    if (options.url.endsWith('/chunks/1')) network.offline();
    return original(options);
  }) as typeof wx.request;
  await tap(page, '#shoot-shot_1');

  await waitFor(() => expect(textOf(page, `#upload-status-${uploadKey(page)}`)).toBe('手机没有网络，照片已保存在手机上，有网络后自动上传'));
  const key = uploadKey(page);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // longer than the first retry pause
  expect(server.to(UPLOAD)).toHaveLength(0);
  expect(server.to(chunk(1))).toHaveLength(1);

  wx.request = original;
  network.online();

  await waitFor(() => expect(textOf(page, `#upload-status-${key}`)).toBe('已上传'));
  expect(server.to(UPLOAD)).toHaveLength(1);
  expect(server.to(chunk(1))).toHaveLength(2); // the server did not have it: sent again, once
  expect(server.to(chunk(2))).toHaveLength(1);
});

test('a photo the server refuses says why; 重试 sends it again under the same upload key', async () => {
  const { files } = phone();
  fakeRtc();
  cameraGives(files.files, PHOTO, photoBytes(SIZE));
  const server = fakeServer();
  callWithShot(server);
  server.on(
    UPLOADS,
    { status: 409, body: { code: 'CASE_NOT_IN_CALL', message: '通话已结束，不能再上传照片' } },
    { status: 201, body: uploadSession({ received: [0, 1] }) },
  );
  server.on(chunk(2), { status: 200, body: uploadSession({ received: [0, 1, 2] }) });
  server.on(COMPLETE, { status: 200, body: uploadSession({ received: [0, 1, 2], evidence: evidenceItem() }) });
  const page = open();
  await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'));

  await tap(page, '#shoot-shot_1');

  await waitFor(() => expect(textOf(page, `#upload-status-${uploadKey(page)}`)).toBe('通话已结束，不能再上传照片'));
  const key = uploadKey(page);
  expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'); // a failed photo does not hold the request
  await tap(page, `#upload-retry-${key}`);
  await waitFor(() => expect(textOf(page, `#upload-status-${key}`)).toBe('已上传'));
  const [first, second] = server.to(UPLOADS);
  expect((second!.data as { uploadKey: string }).uploadKey).toBe((first!.data as { uploadKey: string }).uploadKey);
  expect(server.to(chunk(2))).toHaveLength(1);
});

test('the photo’s file is gone (the system cleaned it): says to take it again, and 拍摄 is offered', async () => {
  const { files } = phone();
  fakeRtc();
  // The copy failed (no room), so the temp file is used; it disappears before it is read.
  files.saveFile.mockImplementation((options: WechatMiniprogram.SaveFileOption) => {
    setTimeout(() => options.fail?.({ errMsg: 'saveFile:fail the maximum size of the file storage limit is exceeded' } as WechatMiniprogram.FileError), 1);
  });
  cameraGives(files.files, PHOTO, photoBytes(SIZE));
  const server = fakeServer();
  callWithShot(server);
  server.on(UPLOADS, { status: 201, body: uploadSession() });
  const page = open();
  await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'));
  files.readFile.mockImplementationOnce((options: WechatMiniprogram.ReadFileOption) => {
    setTimeout(() => options.fail?.({ errMsg: `readFile:fail no such file or directory ${options.filePath}` } as WechatMiniprogram.FileError), 1);
  });

  await tap(page, '#shoot-shot_1');

  await waitFor(() => expect(textOf(page, `#upload-status-${uploadKey(page)}`)).toBe('照片文件已丢失，请重新拍摄'));
  expect(domOf(page, `#upload-retry-${uploadKey(page)}`)).toBeNull();
  expect(textOf(page, '#shoot-shot_1')).toBe('拍摄');
  expect(server.to(chunk(0))).toHaveLength(0);
});

test('photos another case left behind a week ago are deleted with their files; recent ones are kept', async () => {
  const { files } = phone();
  fakeRtc();
  const old = `${USER_DATA_PATH}/evidence-old.jpg`;
  const recent = `${USER_DATA_PATH}/evidence-recent.jpg`;
  files.files.set(old, photoBytes(10));
  files.files.set(recent, photoBytes(10));
  const item = (caseId: string, filePath: string, queuedAt: string) => ({
    uploadKey: `${caseId}-key-0000-4000-8000-000000000000`,
    caseId,
    shotRequestId: null,
    kind: 'other',
    label: '其他照片',
    mimeType: 'image/jpeg',
    filePath,
    size: 10,
    uploadId: null,
    chunkSize: 0,
    totalChunks: 0,
    received: [],
    resync: false,
    status: 'offline',
    error: '',
    failures: 0,
    retryAt: 0,
    restarts: 0,
    lost: false,
    queuedAt,
    evidenceId: null,
  });
  const weekAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
  wx.setStorageSync('uploadQueue', [item('case_old', old, weekAgo), item('case_2', recent, new Date().toISOString())]);
  const server = fakeServer();
  server.on(CALL, { status: 200, body: callView() });
  server.on(TOKEN, { status: 200, body: rtcCredentials() });
  const page = open();

  await waitFor(() => expect(domOf(page, '#my-info')).not.toBeNull());

  expect((wx.getStorageSync('uploadQueue') as { caseId: string }[]).map((i) => i.caseId)).toEqual(['case_2']);
  expect(files.files.has(old)).toBe(false);
  expect(files.files.has(recent)).toBe(true);
  expect(domOf(page, '#uploads')).toBeNull(); // another case's photos are not this page's
});
