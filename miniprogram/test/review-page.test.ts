/**
 * 申请复核 in miniprogram-simulate against the fake server: refused with the deadline when the window
 * is closed (before submitting, and in the server's words after), and accepted in time with the
 * request, the reasons and the evidence ids of photos uploaded resumably (kind review_evidence).
 */
import * as simulate from 'miniprogram-simulate';
import { COMPLETE, UPLOADS, bytesOf, cameraGives, chunk, phone, photoBytes } from './call-harness';
import { fakeServer } from './fake-server';
import { evidenceItem, signedIn, uploadSession } from './fixtures';
import { decision, matter } from './matter-fixtures';
import { closePage, domOf, renderPage, tap, textOf, typeInto, waitFor } from './page-driver';
import { loadPage } from './simulator';

const MATTERS = 'GET /api/v1/matters';
const REVIEW = 'POST /api/v1/matters/case_1/review';
const SIZE = 307200; // 3 chunks of 128 KiB at most
const PHOTO = 'wxfile://tmp_review_1.jpg';
const REQUEST = '请求撤销本认定书，重新认定事故责任';
const REASONS = 'A 车变道时没有打转向灯，我方在本车道正常直行，有行车记录仪视频为证。';

let pageId: string;
beforeAll(() => {
  pageId = loadPage('pages/review/index');
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
});

const applied = () =>
  matter({
    state: 'review_requested',
    steps: [...matter().steps, { kind: 'review_requested', at: '2026-12-01T06:30:00.000Z' }],
    decision: decision({}, { open: false, requested: true, appliedByMe: true, status: 'received' }),
  });

async function fillIn(page: ReturnType<typeof renderPage>): Promise<void> {
  await waitFor(() => expect(domOf(page, '#submit')).not.toBeNull());
  await typeInto(page, '#request', REQUEST);
  await typeInto(page, '#reasons', REASONS);
}

test('a late application is refused before anything is typed: the form says so with the deadline', async () => {
  phone();
  const server = fakeServer();
  server.on(MATTERS, { status: 200, body: { items: [matter({ decision: decision({}, { open: false }) })] } });
  const page = open();

  await waitFor(() => expect(domOf(page, '#closed')).not.toBeNull());
  expect(textOf(page, '#closed-message')).toBe('复核申请期限已过，不能再申请复核。复核申请截止：2026年12月3日 24:00');
  expect(domOf(page, '#submit')).toBeNull();
  expect(domOf(page, '#request')).toBeNull();
  await simulate.sleep(10);
  expect(server.to(REVIEW)).toHaveLength(0);
});

test('in time: the deadline shows, a photo uploads in chunks, and the application carries the request, the reasons and its evidence id', async () => {
  const { files } = phone();
  const bytes = photoBytes(SIZE);
  const chooseMedia = cameraGives(files.files, PHOTO, bytes);
  const server = fakeServer();
  server.on(MATTERS, { status: 200, body: { items: [matter()] } });
  server.on(UPLOADS, { status: 201, body: uploadSession() });
  server.on(chunk(0), { status: 200, body: uploadSession({ received: [0] }) });
  server.on(chunk(1), { status: 200, body: uploadSession({ received: [0, 1] }) });
  server.on(chunk(2), { status: 200, body: uploadSession({ received: [0, 1, 2] }) });
  server.on(COMPLETE, { status: 200, body: uploadSession({ received: [0, 1, 2], evidence: evidenceItem({ id: 'ev_review_1', shotRequestId: null }) }), delayMs: 150 });
  server.on(REVIEW, { status: 200, body: applied() });
  const page = open();

  await fillIn(page);
  expect(textOf(page, '#deadline')).toBe('复核申请截止：2026年12月3日 24:00');

  await tap(page, '#add-photos');
  expect(chooseMedia.mock.calls[0]![0]).toMatchObject({ count: 6, mediaType: ['image'], sourceType: ['camera', 'album'] });
  await waitFor(() => expect(server.to(COMPLETE)).toHaveLength(1));
  // Not yet complete: the application waits for its photo.
  await tap(page, '#submit');
  expect(textOf(page, '#photos-error')).toBe('照片还在上传，请等上传完成后再提交');
  expect(server.to(REVIEW)).toHaveLength(0);

  await waitFor(() => expect(textOf(page, '#photo-status-0')).toBe('已上传'));
  expect(domOf(page, '#photos-error')).toBeNull();
  expect(server.to(UPLOADS)[0]!.data).toMatchObject({ kind: 'review_evidence', mimeType: 'image/jpeg', size: SIZE });
  expect(server.to(UPLOADS)[0]!.data).not.toHaveProperty('shotRequestId');
  const sent = [0, 1, 2].flatMap((i) => server.to(chunk(i)).map((r) => bytesOf(r.data)));
  expect(Buffer.concat(sent.map((b) => Buffer.from(b)))).toEqual(Buffer.from(bytes));

  await tap(page, '#submit');

  await waitFor(() => expect(domOf(page, '#applied')).not.toBeNull());
  expect(textOf(page, '#applied')).toContain('已申请复核');
  expect(textOf(page, '#applied')).toContain('2026年12月1日 14:30');
  expect(server.to(REVIEW)).toHaveLength(1);
  expect(server.to(REVIEW)[0]!.data).toEqual({ request: REQUEST, reasons: REASONS, evidenceIds: ['ev_review_1'] });
  expect(server.to(REVIEW)[0]!.header.Authorization).toBe('Bearer access-1');
});

test('the window closes while the driver writes: the server refuses and its words (with the deadline) are shown', async () => {
  phone();
  const server = fakeServer();
  server.on(MATTERS, { status: 200, body: { items: [matter()] } });
  const late = '复核申请期限已于 2026年12月3日24:00 届满，不能再申请复核'; // not the page's own wording
  server.on(REVIEW, { status: 409, body: { code: 'REVIEW_WINDOW_CLOSED', message: late } });
  const page = open();
  await fillIn(page);

  await tap(page, '#submit');

  await waitFor(() => expect(textOf(page, '#closed-message')).toBe(late));
  expect(domOf(page, '#submit')).toBeNull();
  expect(server.to(REVIEW)[0]!.data).toEqual({ request: REQUEST, reasons: REASONS, evidenceIds: [] });
});

test('the request and the reasons are required, with their limits shown; nothing is sent until they are there', async () => {
  phone();
  const server = fakeServer();
  server.on(MATTERS, { status: 200, body: { items: [matter()] } });
  server.on(REVIEW, { status: 200, body: applied() });
  const page = open();
  await waitFor(() => expect(domOf(page, '#submit')).not.toBeNull());
  expect(textOf(page, '.report')).toContain('2～200 字');
  expect(textOf(page, '.report')).toContain('5～2000 字');

  await typeInto(page, '#reasons', '不服');
  await tap(page, '#submit');

  expect(textOf(page, '#request-error')).toBe('请填写复核请求');
  expect(textOf(page, '#reasons-error')).toBe('理由至少写 5 个字');
  await simulate.sleep(10);
  expect(server.to(REVIEW)).toHaveLength(0);

  await fillIn(page);
  await tap(page, '#submit');
  await waitFor(() => expect(domOf(page, '#applied')).not.toBeNull());
});

test('no answer to the submission: says so, and 提交 again sends the same application under the same key', async () => {
  phone();
  const server = fakeServer();
  server.on(MATTERS, { status: 200, body: { items: [matter()] } });
  server.on(REVIEW, { fail: 'request:fail timeout' }, { fail: 'request:fail timeout' }, { fail: 'request:fail timeout' }, { status: 200, body: applied() });
  const page = open();
  await fillIn(page);

  await tap(page, '#submit');
  await waitFor(() => expect(textOf(page, '#submit-error')).toContain('网络'), 5000);
  await tap(page, '#submit');
  await waitFor(() => expect(domOf(page, '#applied')).not.toBeNull());
  const keys = new Set(server.to(REVIEW).map((r) => r.header['Idempotency-Key']));
  expect(keys.size).toBe(1);
});

test('a driver who already applied sees 已申请复核, not the form', async () => {
  phone();
  const server = fakeServer();
  server.on(MATTERS, { status: 200, body: { items: [applied()] } });
  const page = open();
  await waitFor(() => expect(textOf(page, '#applied')).toContain('已申请复核'));
  expect(domOf(page, '#submit')).toBeNull();
});

test('another party applied: this driver may join inside the window; once the review is under way, the form says so', async () => {
  phone();
  const server = fakeServer();
  const joining = decision({}, { deadline: '2099-12-03T16:00:00.000Z', open: false, requested: true, appliedByMe: false, status: 'received' });
  server.on(MATTERS, { status: 200, body: { items: [matter({ state: 'review_requested', decision: joining })] } });
  const page = open();
  await waitFor(() => expect(domOf(page, '#submit')).not.toBeNull());

  server.on(MATTERS, { status: 200, body: { items: [matter({ state: 'review_requested', decision: { ...joining, review: { ...joining.review, status: 'accepted' } } })] } });
  const later = open();
  await waitFor(() => expect(textOf(later, '#closed-message')).toBe('本起事故的复核已在办理中，不能再申请。复核结果会通知您。'));
});
