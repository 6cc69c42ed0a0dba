/**
 * 继续处理: the case is not lost when the call drops or WeChat kills the app. Home offers the open
 * case; a case on the call reopens the call page, which restores everything from the server, picks
 * up the photo that was half sent, and rejoins the same channel with a fresh token. A parked case
 * goes back into the queue first.
 */
import { setRtcClientFactory } from '../utils/rtc/index';
import { CALL, COMPLETE, RESUME, TOKEN, UPLOAD, USER_DATA_PATH, attributesOf, bytesOf, chunk, fakeRtc, inputValue, phone, photoBytes } from './call-harness';
import { fakeServer } from './fake-server';
import { callView, caseView, emptyInfo, evidenceItem, rtcCredentials, session, shotRequest, uploadSession } from './fixtures';
import { closePage, domOf, renderPage, tap, textOf, waitFor } from './page-driver';
import { loadPage } from './simulator';

const CURRENT = 'GET /api/v1/cases/current';
const SIZE = 307200;
const CHUNK = 131072;

let homeId: string;
let callId: string;
beforeAll(() => {
  homeId = loadPage('pages/home/index');
  callId = loadPage('pages/call/index');
});

beforeEach(() => {
  wx.clearStorageSync();
  wx.setStorageSync('driverSession', session(1));
});

let opened: ReturnType<typeof renderPage>[] = [];
afterEach(() => {
  for (const page of opened) closePage(page);
  opened = [];
  setRtcClientFactory(null);
});

/** Where a navigateTo went, as the page path and its query. */
function destination(navigateTo: jest.Mock): { path: string; query: Record<string, string> } {
  const url = (navigateTo.mock.calls.at(-1)?.[0] as { url?: string } | undefined)?.url ?? '';
  const [path = '', search = ''] = url.split('?');
  return { path, query: Object.fromEntries(new URLSearchParams(search)) };
}

test('继续处理 after the app was killed mid-call: the call page restores the case, sends only the rest of the photo, and rejoins with a fresh token', async () => {
  const { navigateTo, files } = phone();
  const rtc = fakeRtc();
  // What the app left behind: a photo for shot_1, chunk 0 confirmed, chunk 1 on its way when it died.
  const bytes = photoBytes(SIZE);
  const saved = `${USER_DATA_PATH}/evidence-key-1.jpg`;
  files.files.set(saved, bytes);
  wx.setStorageSync('uploadQueue', [
    {
      uploadKey: 'key-1-0000-4000-8000-000000000000',
      caseId: 'case_1',
      shotRequestId: 'shot_1',
      kind: 'impact_point',
      label: '请拍摄两车碰撞部位，距离 1 米左右',
      mimeType: 'image/jpeg',
      filePath: saved,
      size: SIZE,
      uploadId: 'up_1',
      chunkSize: CHUNK,
      totalChunks: 3,
      received: [0],
      resync: false,
      status: 'uploading',
      error: '',
      failures: 0,
      retryAt: 0,
      restarts: 0,
      lost: false,
      queuedAt: '2025-06-01T02:41:30.000Z',
      evidenceId: null,
    },
  ]);
  const server = fakeServer();
  server.on(CURRENT, { status: 200, body: { case: caseView({ caseId: 'case_1', state: 'collecting', wait: null }) } });
  server.on(CALL, {
    status: 200,
    body: callView({
      rev: 12,
      state: 'collecting',
      pendingShots: [shotRequest()],
      myEvidence: [evidenceItem({ id: 'ev_0', kind: 'overview_behind', shotRequestId: null })],
      myInfo: emptyInfo({ driverName: '张三', phone: '13800138000' }),
      messages: [{ id: 'm1', from: 'dispatcher', text: '请拍一下碰撞部位', at: '2025-06-01T02:41:00.000Z' }],
    }),
  });
  server.on(TOKEN, { status: 200, body: rtcCredentials(5) });
  server.on(UPLOAD, { status: 200, body: uploadSession({ received: [0, 1] }) }); // chunk 1 did arrive
  server.on(chunk(2), { status: 200, body: uploadSession({ received: [0, 1, 2] }) });
  server.on(COMPLETE, { status: 200, body: uploadSession({ received: [0, 1, 2], evidence: evidenceItem() }) });

  const home = renderPage(homeId);
  opened.push(home);
  await waitFor(() => expect(textOf(home, '#current-case')).toContain('交警正在采集信息'));
  await tap(home, '#continue-current');
  const { path, query } = destination(navigateTo);
  expect(path).toBe('/pages/call/index');
  expect(query).toEqual({ caseId: 'case_1' });

  const call = renderPage(callId, query); // the page the navigation opened
  opened.push(call);

  // Everything collected so far, from the server.
  await waitFor(() => expect(textOf(call, '#msg-m1')).toContain('请拍一下碰撞部位'));
  expect(inputValue(call, '#info-driverName')).toBe('张三');
  expect(inputValue(call, '#info-phone')).toBe('13800138000');
  expect(textOf(call, '#evidence-count')).toBe('交警已收到您的 1 张照片');
  expect(domOf(call, '#consent')).toBeNull(); // consent given before: not asked again
  // The same channel, a fresh token.
  await waitFor(() => expect(attributesOf(call, '#pusher')?.url).toBe('rtmp://fake-rtc.invalid/case-case_1/101/push'));
  expect(rtc.last().callsOf('join')).toEqual([['006token-5', 'case-case_1', 101]]);
  // The half-sent photo: the server is asked first, and only the missing chunk goes.
  await waitFor(() => expect(textOf(call, '#upload-status-key-1-0000-4000-8000-000000000000')).toBe('已上传'));
  expect(server.to('POST /api/v1/cases/case_1/uploads')).toHaveLength(0);
  expect(server.to(UPLOAD)).toHaveLength(1);
  expect(server.to(chunk(0))).toHaveLength(0);
  expect(server.to(chunk(1))).toHaveLength(0);
  expect(server.to(chunk(2))).toHaveLength(1);
  expect(bytesOf(server.to(chunk(2))[0]!.data)).toEqual(bytes.slice(2 * CHUNK));
  expect(textOf(call, '#shot-status-shot_1')).toBe('已上传，等待交警查看');
  expect(wx.getStorageSync('uploadQueue')).toEqual([]);
});

test('继续处理 of a parked case (abandoned): back into the queue first, then the waiting page', async () => {
  const { navigateTo } = phone();
  const server = fakeServer();
  server.on(CURRENT, { status: 200, body: { case: caseView({ caseId: 'case_1', state: 'abandoned', wait: null, joinCode: null }) } });
  server.on(RESUME, { status: 409, body: { code: 'CONFLICT', message: '报案已超过可继续处理的时间，请重新报案或拨打 122' } }, { status: 200, body: callView({ rev: 9, state: 'queued' }) });
  const home = renderPage(homeId);
  opened.push(home);
  await waitFor(() => expect(textOf(home, '#current-case')).toContain('报案已中断'));

  await tap(home, '#continue-current');
  await waitFor(() => expect(textOf(home, '#continue-error')).toBe('报案已超过可继续处理的时间，请重新报案或拨打 122'));
  expect(navigateTo).not.toHaveBeenCalled();

  await tap(home, '#continue-current');
  await waitFor(() => expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-waiting/index?caseId=case_1' })));
  expect(server.to(RESUME)).toHaveLength(2);
  expect(server.to(RESUME)[0]!.header.Authorization).toBe('Bearer access-1');
  expect(textOf(home, '#current-case')).toContain('正在等待交警接听');
});

test('继续处理 of a case still waiting: the waiting page, nothing resumed', async () => {
  const { navigateTo } = phone();
  const server = fakeServer();
  server.on(CURRENT, { status: 200, body: { case: caseView({ caseId: 'case_1' }) } });
  const home = renderPage(homeId);
  opened.push(home);
  await waitFor(() => expect(textOf(home, '#current-case')).toContain('正在等待交警接听'));

  await tap(home, '#continue-current');

  expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-waiting/index?caseId=case_1' }));
  expect(server.to(RESUME)).toHaveLength(0);
});
