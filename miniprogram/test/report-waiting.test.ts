/**
 * 等待接听 in miniprogram-simulate against the fake server: what a queued driver sees, polling at the
 * server's pace (a 1-second refreshAfterSeconds keeps the test short), cancelling with a confirm
 * dialog, and the states after the queue.
 */
import { fakeServer } from './fake-server';
import { callView, caseView, signedIn, waitEstimate } from './fixtures';
import { closePage, domOf, pageLifetime, renderPage, tap, textOf, waitFor } from './page-driver';
import { loadPage } from './simulator';
import { optionsOf, stubWx } from './wx-stubs';
import * as simulate from 'miniprogram-simulate';

const GET = 'GET /api/v1/cases/case_1';
const CANCEL = 'POST /api/v1/cases/case_1/cancel';

let pageId: string;
beforeAll(() => {
  pageId = loadPage('pages/report-waiting/index');
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
  for (const page of opened) closePage(page); // closes the page: its refresh timer must go with it
  opened = [];
});

test('queued: place, estimate and its basis, the join code and the parties; asks again after refreshAfterSeconds', async () => {
  const server = fakeServer();
  server.on(
    GET,
    { status: 200, body: caseView({ refreshAfterSeconds: 1 }) },
    {
      status: 200,
      body: caseView({
        refreshAfterSeconds: 1,
        wait: waitEstimate({ position: 1, estimatedSeconds: 40, basis: '前面没有等待的事故' }),
        parties: [
          { label: 'A', plate: '粤J12345', joinedAt: '2025-06-01T02:30:05.000Z', isMe: true },
          { label: 'B', plate: '粤JD54321', joinedAt: '2025-06-01T02:31:00.000Z', isMe: false },
        ],
      }),
    },
  );
  const page = open();

  await waitFor(() => expect(textOf(page, '#status-title')).toBe('正在等待交警接听'));
  expect(server.to(GET)[0]!.header.Authorization).toBe('Bearer access-1');
  expect(textOf(page, '#position')).toBe('前面还有 2 起事故');
  expect(textOf(page, '#estimate')).toBe('预计等待约 8 分钟');
  expect(textOf(page, '#basis')).toBe('按前面 2 起事故、每起约 5 分钟估算');
  expect(textOf(page, '#join-code')).toBe('K7M2Q9');
  expect(textOf(page, '#join')).toContain('请让其他当事人在小程序中输入此码加入');
  expect(domOf(page, '#join')?.querySelector('[class*="t-qrcode"]')).toBeTruthy(); // TDesign's QR code of the same code
  expect(textOf(page, '#party-count')).toBe('已加入 1 / 2 辆车');
  expect(textOf(page, '#party-A')).toContain('粤J12345');
  expect(textOf(page, '#address')).toBe('事故地点：江门市蓬江区建设三路');
  expect(domOf(page, '#alternatives')).toBeNull();
  expect(server.to(GET)).toHaveLength(1);

  await waitFor(() => expect(textOf(page, '#position')).toBe('下一个就是您'), 2500);
  expect(server.to(GET)).toHaveLength(2);
  expect(textOf(page, '#estimate')).toBe('预计 1 分钟内接听');
  expect(textOf(page, '#basis')).toBe('前面没有等待的事故');
  expect(textOf(page, '#party-count')).toBe('已加入 2 / 2 辆车');
  expect(textOf(page, '#party-B')).toContain('粤JD54321');
});

test('nobody on duty and a long wait: says so, and offers 122 and the other ways', async () => {
  const server = fakeServer();
  server.on(GET, { status: 200, body: caseView({ wait: waitEstimate({ estimatedSeconds: null, dispatchersOnDuty: 0, offerAlternatives: true }) }) });
  const makePhoneCall = stubWx('makePhoneCall', { ok: {} });
  const page = open();

  await waitFor(() => expect(textOf(page, '#estimate')).toBe('暂无值班民警，暂时无法估计等待时间'));
  const alternatives = textOf(page, '#alternatives') ?? '';
  expect(alternatives).toContain('等待时间较长，您也可以');
  for (const title of ['拨打 122 报警', '交管12123', '自行协商处理']) expect(alternatives).toContain(title);
  expect(textOf(page, '#cancel')).toBe('取消报案'); // still waiting meanwhile

  await tap(page, '#call-122-call_122');
  expect(optionsOf(makePhoneCall)).toMatchObject({ phoneNumber: '122' });
});

test('polling stops while the page is hidden and when it closes; showing again asks at once', async () => {
  const server = fakeServer();
  server.on(GET, { status: 200, body: caseView({ refreshAfterSeconds: 1 }) });
  const page = open();
  await waitFor(() => expect(server.to(GET)).toHaveLength(1));
  await waitFor(() => expect(textOf(page, '#position')).not.toBeNull());

  pageLifetime(page, 'hide');
  await simulate.sleep(1300);
  expect(server.to(GET)).toHaveLength(1);

  pageLifetime(page, 'show');
  await waitFor(() => expect(server.to(GET)).toHaveLength(2));

  closePage(page);
  await simulate.sleep(1300);
  expect(server.to(GET)).toHaveLength(2);
});

test('取消报案 asks first; only a confirmed cancel is sent, and the page then says it is cancelled', async () => {
  const server = fakeServer();
  server.on(GET, { status: 200, body: caseView({ refreshAfterSeconds: 60 }) });
  server.on(CANCEL, { status: 200, body: caseView({ state: 'cancelled', wait: null, joinCode: null, refreshAfterSeconds: null }) });
  const showModal = stubWx('showModal', { ok: { confirm: false, cancel: true } }, { ok: { confirm: true, cancel: false } });
  const page = open();
  await waitFor(() => expect(textOf(page, '#cancel')).toBe('取消报案'));

  await tap(page, '#cancel');
  await waitFor(() => expect(showModal).toHaveBeenCalledTimes(1));
  expect(optionsOf(showModal)).toMatchObject({ title: '确定取消报案吗？', confirmText: '取消报案', cancelText: '继续等待' });
  await simulate.sleep(20);
  expect(server.to(CANCEL)).toHaveLength(0); // 继续等待

  await tap(page, '#cancel');
  await waitFor(() => expect(textOf(page, '#status-title')).toBe('报案已取消'));
  expect(server.to(CANCEL)).toHaveLength(1);
  expect(server.to(CANCEL)[0]!.header['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
  expect(domOf(page, '#cancel')).toBeNull();
  expect(domOf(page, '#join-code')).toBeNull();
  expect(textOf(page, '#home')).toBe('返回首页');
});

test('another party (not the reporter) follows the case but cannot cancel it', async () => {
  const server = fakeServer();
  server.on(GET, {
    status: 200,
    body: caseView({
      refreshAfterSeconds: 60,
      parties: [
        { label: 'A', plate: '粤J12345', joinedAt: '2025-06-01T02:30:05.000Z', isMe: false },
        { label: 'B', plate: '粤JD54321', joinedAt: '2025-06-01T02:31:00.000Z', isMe: true },
      ],
    }),
  });
  const page = open();

  await waitFor(() => expect(textOf(page, '#position')).toBe('前面还有 2 起事故'));
  expect(textOf(page, '#party-B')).toContain('我');
  expect(textOf(page, '#party-A')).not.toContain('我');
  expect(domOf(page, '#cancel')).toBeNull();
});

test('cancelling just as an officer answers: the refusal is shown and the page catches up', async () => {
  const server = fakeServer();
  server.on(GET, { status: 200, body: caseView({ refreshAfterSeconds: 60 }) }, { status: 200, body: caseView({ state: 'in_call', wait: null, refreshAfterSeconds: 60 }) });
  server.on(CANCEL, { status: 409, body: { code: 'CONFLICT', message: '交警已接听，不能取消；如需结束请在通话中告知民警' } });
  stubWx('showModal', { ok: { confirm: true, cancel: false } });
  const page = open();
  await waitFor(() => expect(textOf(page, '#cancel')).toBe('取消报案'));

  await tap(page, '#cancel');

  await waitFor(() => expect(textOf(page, '#status-title')).toBe('交警已接听'));
  expect(textOf(page, '#cancel-error')).toBe('交警已接听，不能取消；如需结束请在通话中告知民警');
  expect(domOf(page, '#cancel')).toBeNull();
  expect(server.to(GET)).toHaveLength(2);
});

test('an officer answers: says 交警已接听 and the call page takes over (once); the waiting page stops asking', async () => {
  const server = fakeServer();
  server.on(GET, { status: 200, body: caseView({ state: 'in_call', wait: null, refreshAfterSeconds: 1 }) });
  const redirectTo = stubWx('redirectTo', { ok: {} });
  const page = open();

  await waitFor(() => expect(textOf(page, '#status-title')).toBe('交警已接听'));
  expect(textOf(page, '#status-text')).toContain('按交警的指引操作');
  expect(domOf(page, '#cancel')).toBeNull();
  expect(domOf(page, '#wait')).toBeNull();
  await waitFor(() => expect(redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/call/index?caseId=case_1' })));
  await simulate.sleep(1300);
  expect(redirectTo).toHaveBeenCalledTimes(1);
  expect(server.to(GET)).toHaveLength(1);
});

test('a party joining while evidence is being collected goes straight to the call too', async () => {
  const server = fakeServer();
  server.on(GET, { status: 200, body: caseView({ state: 'collecting', wait: null, refreshAfterSeconds: 5 }) });
  const redirectTo = stubWx('redirectTo', { ok: {} });
  open();

  await waitFor(() => expect(redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/call/index?caseId=case_1' })));
});

test('abandoned: 继续处理 puts the case back in the queue and follows it again', async () => {
  const server = fakeServer();
  server.on(
    GET,
    { status: 200, body: caseView({ state: 'abandoned', wait: null, joinCode: null, refreshAfterSeconds: null }) },
    { status: 200, body: caseView({ refreshAfterSeconds: 60 }) },
  );
  server.on('POST /api/v1/cases/case_1/resume', { status: 200, body: callView({ state: 'queued', rev: 9 }) });
  const page = open();

  await waitFor(() => expect(textOf(page, '#status-title')).toBe('报案已中断'));
  expect(textOf(page, '#resume-card')).toContain('已经提交的信息和照片都已保存');
  await tap(page, '#resume');

  await waitFor(() => expect(textOf(page, '#status-title')).toBe('正在等待交警接听'));
  expect(server.to('POST /api/v1/cases/case_1/resume')).toHaveLength(1);
  expect(server.to('POST /api/v1/cases/case_1/resume')[0]!.header['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
  expect(domOf(page, '#resume-card')).toBeNull();
  expect(textOf(page, '#position')).toBe('前面还有 2 起事故');
});

test('redirected: why, and what to do instead', async () => {
  const server = fakeServer();
  server.on(GET, {
    status: 200,
    body: caseView({
      state: 'redirected',
      wait: null,
      joinCode: null,
      refreshAfterSeconds: null,
      failed: [{ rule: 'case', ok: false, code: 'OFFICER_REDIRECT', reason: '经民警核实，有人员受伤，请拨打 122。', alternatives: ['officer_on_scene'] }],
    }),
  });
  const page = open();

  await waitFor(() => expect(textOf(page, '#status-title')).toBe('本起事故不能通过视频快处'));
  expect(textOf(page, '#reason-OFFICER_REDIRECT')).toBe('经民警核实，有人员受伤，请拨打 122。');
  const alternatives = textOf(page, '#alternatives') ?? '';
  expect(alternatives).toContain('原地等待交警到场');
  expect(alternatives).toContain('拨打 122 报警');
  expect(domOf(page, '#cancel')).toBeNull();
});

test('a first load that fails says so in Chinese, and 重试 loads it', async () => {
  const server = fakeServer();
  server.on(GET, { status: 404, body: { code: 'NOT_FOUND', message: '没有找到这起报案' } }, { status: 200, body: caseView({ refreshAfterSeconds: null }) });
  const page = open();

  await waitFor(() => expect(textOf(page, '#load-error-message')).toBe('没有找到这起报案'));
  await tap(page, '#retry');
  await waitFor(() => expect(textOf(page, '#status-title')).toBe('正在等待交警接听'));
});
