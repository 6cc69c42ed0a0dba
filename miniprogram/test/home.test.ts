/**
 * The home page in miniprogram-simulate with the real TDesign components, our real request and
 * session code, and only the edges faked: wx.login, wx.request (fake-server.ts) and wx storage.
 */
import { BASE_URL, type SeenRequest, fakeServer, fakeWxLogin } from './fake-server';
import { caseView, driver, session } from './fixtures';
import { domOf, renderPage, tap, tapCell, textOf, waitFor } from './page-driver';
import { loadPage } from './simulator';
import { stubWx } from './wx-stubs';

const ME = 'GET /api/v1/me';
const LOGIN = 'POST /api/v1/auth/wechat-login';
const REFRESH = 'POST /api/v1/auth/refresh';
const CURRENT = 'GET /api/v1/cases/current';
const NO_CASE = { status: 200, body: { case: null } };
/** Asked on every show without a session (service-banner.test.ts): left out where these tests count calls. */
const SERVICE_HOURS = 'GET /api/v1/service-hours';
const withoutServiceHours = (requests: SeenRequest[]): SeenRequest[] => requests.filter((r) => r.key !== SERVICE_HOURS);

let homeId: string;
beforeAll(() => {
  homeId = loadPage('pages/home/index'); // once per file: a second load of the same page returns nothing
});

beforeEach(() => {
  wx.clearStorageSync();
});

describe('home page', () => {
  test('shows the entry, the four steps and the usage reminders', () => {
    const page = renderPage(homeId);

    expect(textOf(page, '#entry')).toBe('事故视频快处');
    // Rendered by TDesign itself, not a stand-in: its classes, and step numbers its relations assign.
    expect(domOf(page, '#entry')?.className).toContain('t-button--size-large');
    const circles = Array.from(domOf(page, '#steps')?.querySelectorAll('[class*="t-steps-item__circle"]') ?? []);
    expect(circles.map((c) => c.textContent)).toEqual(['1', '2', '3', '4']);
    const steps = textOf(page, '#steps') ?? '';
    for (const title of ['视频报警', '视频接入', '撤离现场', '责任认定']) expect(steps).toContain(title);
    expect(steps).toContain('网办进度');
    expect(steps).toContain('三日内提出书面复核申请');
    const reminders = textOf(page, '#reminders') ?? '';
    expect(reminders).toContain('7:30 至 19:30');
    expect(reminders).toContain('高速公路、江门大道除外');
    expect(reminders).toContain('三车及以下');
    expect(reminders).toContain('50～100 米');
    // Nothing has been asked yet.
    expect(textOf(page, '#status-loading')).toBeNull();
    expect(textOf(page, '#status-error')).toBeNull();
  });

  test('a verified driver: logs in, asks /me, shows loading meanwhile, then goes on to the safety checklist', async () => {
    const login = fakeWxLogin('code-1');
    const server = fakeServer();
    server.on(LOGIN, { status: 200, body: session(1) });
    server.on(ME, { status: 200, body: driver('verified'), delayMs: 60 });
    server.on(CURRENT, NO_CASE);
    const navigateTo = stubWx('navigateTo', { ok: {} });
    const page = renderPage(homeId);

    await tap(page, '#entry');

    await waitFor(() => expect(server.to(ME)).toHaveLength(1));
    expect(textOf(page, '#status-loading')).toContain('正在确认您的身份');
    expect(domOf(page, '#entry')?.querySelector('[class*="t-loading"]')).toBeTruthy(); // TDesign's spinner in the button

    await waitFor(() => expect(textOf(page, '#status-ready')).toContain('身份已核验'));
    expect(login).toHaveBeenCalledTimes(1);
    const [loginCall, meCall, currentCall] = withoutServiceHours(server.requests);
    expect(loginCall).toMatchObject({ url: `${BASE_URL}/api/v1/auth/wechat-login`, method: 'POST', data: { code: 'code-1' } });
    expect(loginCall?.header.Authorization).toBeUndefined();
    expect(loginCall?.header['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(meCall).toMatchObject({ url: `${BASE_URL}/api/v1/me`, method: 'GET', data: undefined });
    expect(meCall?.header.Authorization).toBe('Bearer access-1');
    expect(meCall?.header['Idempotency-Key']).toBeUndefined();
    // No open case to go back to: a new report starts with the safety checklist.
    expect(currentCall).toMatchObject({ url: `${BASE_URL}/api/v1/cases/current`, method: 'GET' });
    expect(withoutServiceHours(server.requests)).toHaveLength(3);
    await waitFor(() => expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-safety/index' })));
    expect(textOf(page, '#status-loading')).toBeNull();
    expect(domOf(page, '#entry')?.querySelector('[class*="t-loading"]')).toBeNull();
    expect((wx.getStorageSync('driverSession') as { accessToken: string }).accessToken).toBe('access-1');

    // Back on the home page later: 开始报案 opens the checklist again.
    await tap(page, '#start-report');
    expect(navigateTo).toHaveBeenCalledTimes(2);
  });

  test('a verified driver with an open case is sent back to it, not into a second report', async () => {
    wx.setStorageSync('driverSession', session(1));
    const server = fakeServer();
    server.on(ME, { status: 200, body: driver('verified') });
    server.on(CURRENT, NO_CASE, { status: 200, body: { case: caseView({ caseId: 'case_9' }) } });
    const navigateTo = stubWx('navigateTo', { ok: {} });
    const page = renderPage(homeId);
    await waitFor(() => expect(server.to(CURRENT)).toHaveLength(1)); // on opening: nothing open yet
    expect(domOf(page, '#current-case')).toBeNull();

    await tap(page, '#entry');

    await waitFor(() => expect(textOf(page, '#status-case')).toContain('您有一起报案正在处理'));
    expect(textOf(page, '#status-case')).toContain('正在等待交警接听');
    expect(navigateTo).not.toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-safety/index' }));
    await tap(page, '#continue-case');
    expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-waiting/index?caseId=case_9' }));
  });

  test('on opening, a signed-in driver’s open case is offered as 继续处理; nobody is logged in just for that', async () => {
    const login = fakeWxLogin('unused');
    const server = fakeServer();
    server.on(CURRENT, { status: 200, body: { case: caseView({ caseId: 'case_9', state: 'in_call', wait: null }) } });
    renderPage(homeId); // no session: no request, no login
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(withoutServiceHours(server.requests)).toHaveLength(0);
    expect(login).not.toHaveBeenCalled();

    wx.setStorageSync('driverSession', session(1));
    const navigateTo = stubWx('navigateTo', { ok: {} });
    const page = renderPage(homeId);

    await waitFor(() => expect(textOf(page, '#current-case')).toContain('交警已接听'));
    expect(server.to(CURRENT)[0]?.header.Authorization).toBe('Bearer access-1');
    await tap(page, '#continue-current');
    // On the call: back to the call page, which restores the case and rejoins the video.
    expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/call/index?caseId=case_9' }));
  });

  test('other parties find 加入报案 on the home page', async () => {
    const navigateTo = stubWx('navigateTo', { ok: {} });
    const page = renderPage(homeId);
    expect(textOf(page, '#mine')).toContain('其他当事人加入报案');
    await tapCell(page, '#go-join');
    expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-join/index' }));
  });

  test('网办进度 is one tap from home', async () => {
    const navigateTo = stubWx('navigateTo', { ok: {} });
    const page = renderPage(homeId);
    expect(textOf(page, '#mine')).toContain('网办进度');
    await tapCell(page, '#go-progress');
    expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/progress/index' }));
  });

  test('an unverified driver is told to do 实人认证 first, and the button leads there (or says it is not open yet)', async () => {
    fakeWxLogin('code-2');
    const server = fakeServer();
    server.on(LOGIN, { status: 200, body: session(1, 'unverified') });
    server.on(ME, { status: 200, body: driver('unverified') });
    const navigateTo = jest.fn((options: WechatMiniprogram.NavigateToOption) => {
      setTimeout(() => options.fail?.({ errMsg: 'navigateTo:fail page "pages/verify/index" is not found' }), 1);
    });
    wx.navigateTo = navigateTo as unknown as typeof wx.navigateTo;
    const page = renderPage(homeId);

    await tap(page, '#entry');

    await waitFor(() => expect(textOf(page, '#status-verify')).toContain('请先完成实人认证'));
    expect(textOf(page, '#status-ready')).toBeNull();
    expect(textOf(page, '#go-verify')).toBe('去实人认证');

    await tap(page, '#go-verify');
    expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/verify/index' }));
    await waitFor(() => expect(textOf(page, '#navigate-hint')).toContain('实人认证功能即将开放'));
  });

  test('a driver whose ID photos are under manual review is told to wait, with no button', async () => {
    wx.setStorageSync('driverSession', session(1, 'pending_review'));
    const server = fakeServer();
    server.on(ME, { status: 200, body: driver('pending_review') });
    const page = renderPage(homeId);

    await tap(page, '#entry');

    await waitFor(() => expect(textOf(page, '#status-verify')).toContain('实人认证审核中'));
    expect(textOf(page, '#go-verify')).toBeNull();
  });

  test('a server error shows its Chinese message; 重试 asks again and succeeds', async () => {
    const login = fakeWxLogin('unused');
    wx.setStorageSync('driverSession', session(1));
    const server = fakeServer();
    server.on(
      ME,
      { status: 500, body: { code: 'INTERNAL_ERROR', message: '服务器开小差了，请稍后再试', requestId: 'req-1' } },
      { status: 200, body: driver('verified') },
    );
    server.on(CURRENT, NO_CASE);
    stubWx('navigateTo', { ok: {} });
    const page = renderPage(homeId);

    await tap(page, '#entry');

    await waitFor(() => expect(textOf(page, '#status-error')).toContain('服务器开小差了，请稍后再试'));
    expect(server.to(ME)).toHaveLength(1); // a 500 is not retried behind the driver's back
    expect(textOf(page, '#status-ready')).toBeNull();
    expect(textOf(page, '#retry')).toBe('重试');

    await tap(page, '#retry');

    await waitFor(() => expect(textOf(page, '#status-ready')).toContain('身份已核验'));
    expect(textOf(page, '#status-error')).toBeNull();
    expect(server.to(ME)).toHaveLength(2);
    expect(server.to(ME).map((r) => r.header.Authorization)).toEqual(['Bearer access-1', 'Bearer access-1']);
    expect(login).not.toHaveBeenCalled(); // the stored session was used
  });

  test('an expired access token is refreshed once and the call repeated, unseen by the driver', async () => {
    const login = fakeWxLogin('unused');
    wx.setStorageSync('driverSession', session(1));
    const server = fakeServer();
    server.on(ME, { status: 401, body: { code: 'TOKEN_EXPIRED', message: '登录已过期' } }, { status: 200, body: driver('verified') });
    server.on(REFRESH, { status: 200, body: session(2) });
    server.on(CURRENT, NO_CASE);
    stubWx('navigateTo', { ok: {} });
    const page = renderPage(homeId);
    await waitFor(() => expect(server.to(CURRENT)).toHaveLength(1)); // asked on opening, with the stored token
    server.requests.length = 0;

    await tap(page, '#entry');

    await waitFor(() => expect(textOf(page, '#status-ready')).toContain('身份已核验'));
    const calls = withoutServiceHours(server.requests);
    expect(calls.map((r) => r.key)).toEqual([ME, REFRESH, ME, CURRENT]);
    expect(calls[3]?.header.Authorization).toBe('Bearer access-2');
    const [firstMe, refresh, secondMe] = calls;
    expect(firstMe?.header.Authorization).toBe('Bearer access-1');
    expect(refresh).toMatchObject({ url: `${BASE_URL}/api/v1/auth/refresh`, method: 'POST', data: { refreshToken: 'refresh-1' } });
    expect(refresh?.header.Authorization).toBeUndefined();
    expect(secondMe?.header.Authorization).toBe('Bearer access-2');
    expect(login).not.toHaveBeenCalled();
    expect(textOf(page, '#status-error')).toBeNull();
    expect((wx.getStorageSync('driverSession') as { refreshToken: string }).refreshToken).toBe('refresh-2');
  });
});
