/**
 * The call page in miniprogram-simulate against the fake server and the fake RTC client: recording
 * consent before any video, camera/microphone permission, joining with the server's token, the
 * officer's and the other party's video, token renewal and rejoining after a drop, the long poll
 * (shot requests, chat), my information, and the screens after the call (released, redirected,
 * parked, back in the queue).
 */
import * as simulate from 'miniprogram-simulate';
import { RtcUnavailableError, setRtcClientFactory } from '../utils/rtc/index';
import { CALL, CONSENT, MESSAGES, MY_INFO, RESUME, TOKEN, attributesOf, fakeRtc, inputValue, phone } from './call-harness';
import { fakeServer } from './fake-server';
import { callView, emptyInfo, rtcCredentials, shotRequest, signedIn } from './fixtures';
import { closePage, domOf, fire, renderPage, tap, textOf, typeInto, waitFor } from './page-driver';
import { loadPage } from './simulator';
import { optionsOf, stubWx } from './wx-stubs';

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
  for (const page of opened) closePage(page); // the long poll and the video must end with the page
  opened = [];
  setRtcClientFactory(null);
});

/** Our camera is on screen: the <live-pusher> got its URL. */
function videoOn(page: ReturnType<typeof renderPage>): Promise<void> {
  return waitFor(() => expect(attributesOf(page, '#pusher')?.url).toMatch(/^rtmp:\/\//));
}

/** The server's answers for a call that is on, with a token to join. */
function onCall(server: ReturnType<typeof fakeServer>, ...views: ReturnType<typeof callView>[]): void {
  server.on(CALL, ...views.map((body) => ({ status: 200, body })));
  server.on(TOKEN, { status: 200, body: rtcCredentials(1) }, { status: 200, body: rtcCredentials(2) }, { status: 200, body: rtcCredentials(3) });
}

test('a case that cannot be loaded says why; 重试 loads it', async () => {
  phone();
  fakeRtc();
  const server = fakeServer();
  server.on(CALL, { status: 404, body: { code: 'NOT_FOUND', message: '案件不存在' } }, { status: 200, body: callView() });
  server.on(TOKEN, { status: 200, body: rtcCredentials() });
  const page = open();

  await waitFor(() => expect(textOf(page, '#load-error-message')).toBe('案件不存在'));
  expect(server.to(TOKEN)).toHaveLength(0);
  await tap(page, '#retry');
  await videoOn(page);
  expect(domOf(page, '#load-error')).toBeNull();
});

describe('录音录像告知 comes first', () => {
  test('no video, no token and no permission prompt until the party consents; the consent is sent, then the video starts', async () => {
    const { authorize } = phone();
    const rtc = fakeRtc();
    const server = fakeServer();
    onCall(server, callView({ recordingConsentAt: null }));
    server.on(CONSENT, { status: 200, body: callView({ rev: 4, recordingConsentAt: '2025-06-01T02:40:30.000Z' }) });
    const page = open();

    await waitFor(() => expect(textOf(page, '#consent')).toContain('录音录像告知'));
    const notice = textOf(page, '#consent') ?? '';
    expect(notice).toContain('全程录音录像');
    expect(notice).toContain('《道路交通事故处理程序规定》');
    expect(notice).toContain('记录您同意的时间');
    await simulate.sleep(30);
    expect(server.to(TOKEN)).toHaveLength(0);
    expect(rtc.clients).toHaveLength(0);
    expect(authorize).not.toHaveBeenCalled();
    expect(domOf(page, '#video')).toBeNull();

    await tap(page, '#consent-agree');

    await waitFor(() => expect(attributesOf(page, '#pusher')?.url).toBe('rtmp://fake-rtc.invalid/case-case_1/101/push'));
    expect(server.to(CONSENT)).toHaveLength(1);
    expect(server.to(CONSENT)[0]!.header['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    const order = server.requests.map((r) => r.key).filter((k) => k === CONSENT || k === TOKEN);
    expect(order).toEqual([CONSENT, TOKEN]);
    expect(authorize.mock.calls.map((c) => (c[0] as { scope: string }).scope)).toEqual(['scope.camera', 'scope.record']);
    expect(domOf(page, '#consent')).toBeNull();
  });

  test('不同意: says video quick handling cannot go on without it, and offers 122', async () => {
    const { makePhoneCall } = phone();
    fakeRtc();
    const server = fakeServer();
    onCall(server, callView({ recordingConsentAt: null }));
    const page = open();
    await waitFor(() => expect(textOf(page, '#consent-decline')).toBe('不同意'));

    await tap(page, '#consent-decline');

    expect(textOf(page, '#consent-declined')).toContain('不能通过视频快处处理');
    await tap(page, '#consent-call-122');
    expect(optionsOf(makePhoneCall)).toMatchObject({ phoneNumber: '122' });
    expect(server.to(CONSENT)).toHaveLength(0);
    await tap(page, '#consent-back');
    expect(textOf(page, '#consent-agree')).toBe('同意并开始视频');
  });

  test('a consent that does not reach the server says so and may be sent again with the same key', async () => {
    phone();
    fakeRtc();
    const server = fakeServer();
    onCall(server, callView({ recordingConsentAt: null }));
    server.on(
      CONSENT,
      { status: 409, body: { code: 'CASE_NOT_IN_CALL', message: '通话还没有接通，请稍候' } },
      { status: 200, body: callView({ rev: 4 }) },
    );
    const page = open();
    await waitFor(() => expect(textOf(page, '#consent-agree')).not.toBeNull());

    await tap(page, '#consent-agree');
    await waitFor(() => expect(textOf(page, '#consent-error')).toBe('通话还没有接通，请稍候'));
    await tap(page, '#consent-agree');

    await videoOn(page);
    const [first, second] = server.to(CONSENT);
    expect(second!.header['Idempotency-Key']).toBe(first!.header['Idempotency-Key']);
  });
});

describe('camera and microphone', () => {
  test('refused: explains what is missing, opens the settings page, and starts the video once both are allowed', async () => {
    phone();
    const authorize = stubWx('authorize', { fail: 'authorize:fail auth deny' }, { ok: {} }, { ok: {} });
    const openSetting = stubWx(
      'openSetting',
      { ok: { authSetting: { 'scope.camera': false, 'scope.record': true } } },
      { ok: { authSetting: { 'scope.camera': true, 'scope.record': true } } },
    );
    const rtc = fakeRtc();
    const server = fakeServer();
    onCall(server, callView());
    const page = open();

    await waitFor(() => expect(textOf(page, '#permission-denied')).toContain('需要摄像头和麦克风'));
    expect(textOf(page, '#permission-message')).toContain('您没有允许小程序使用摄像头');
    expect(textOf(page, '#permission-message')).not.toContain('摄像头和麦克风，');
    expect(textOf(page, '#permission-message')).toContain('去设置');
    expect(server.to(TOKEN)).toHaveLength(0);
    expect(rtc.clients).toHaveLength(0);

    await tap(page, '#open-setting');
    await waitFor(() => expect(textOf(page, '#setting-hint')).toContain('还没有打开「摄像头」和「麦克风」'));
    expect(server.to(TOKEN)).toHaveLength(0);

    await tap(page, '#open-setting');
    await videoOn(page);
    expect(openSetting).toHaveBeenCalledTimes(2);
    expect(authorize).toHaveBeenCalledTimes(4); // camera refused + microphone, then both again after settings
    expect(server.to(TOKEN)).toHaveLength(1);
    expect(domOf(page, '#permission-denied')).toBeNull();
  });

  test('the phone itself blocks the camera (live-pusher error 10001): the same guidance', async () => {
    phone();
    fakeRtc();
    const server = fakeServer();
    onCall(server, callView());
    const page = open();
    await waitFor(() => expect(attributesOf(page, '#pusher')).not.toBeNull());

    await fire(page, '#pusher', 'error', { errCode: 10001, errMsg: 'user refused camera' });

    expect(textOf(page, '#permission-message')).toContain('手机「设置」中找到微信');
  });
});

describe('video', () => {
  test('joins the case channel with the server’s token, shows our camera and the officer big, the other party small', async () => {
    phone();
    const rtc = fakeRtc();
    const server = fakeServer();
    onCall(server, callView());
    const page = open();

    await videoOn(page);
    const client = rtc.last();
    expect(client.callsOf('init')).toEqual([['0123456789abcdef0123456789abcdef']]);
    expect(client.callsOf('join')).toEqual([['006token-1', 'case-case_1', 101]]);
    expect(client.callsOf('publish')).toHaveLength(1);
    expect(server.to(TOKEN)[0]!.header.Authorization).toBe('Bearer access-1');
    expect(attributesOf(page, '#pusher')).toMatchObject({ url: 'rtmp://fake-rtc.invalid/case-case_1/101/push', mode: 'RTC', autopush: true });
    expect(textOf(page, '#waiting-officer')).toBe('已接通，等待交警画面…');

    client.addRemote(102);
    client.addRemote(1);
    client.addRemote(101); // our own stream announced back: no player for it
    await waitFor(() => expect(attributesOf(page, '#player-1')?.src).toBe('rtmp://fake-rtc.invalid/case-case_1/1/play'));
    await waitFor(() => expect(attributesOf(page, '#player-102')?.src).toBe('rtmp://fake-rtc.invalid/case-case_1/102/play'));
    expect(attributesOf(page, '#player-101')).toBeNull();
    expect(domOf(page, '#tile-1')?.className).toContain('tile--big');
    expect(domOf(page, '#tile-102')?.className).toContain('tile--small');
    expect(textOf(page, '#tile-1')).toBe('交警');
    expect(textOf(page, '#tile-102')).toBe('B 车');
    expect(domOf(page, '#waiting-officer')).toBeNull();

    client.updateUrl(1, 'rtmp://fake-rtc.invalid/moved/1');
    await waitFor(() => expect(attributesOf(page, '#player-1')?.src).toBe('rtmp://fake-rtc.invalid/moved/1'));

    client.removeRemote(102);
    await waitFor(() => expect(attributesOf(page, '#player-102')).toBeNull());
    expect(attributesOf(page, '#player-1')).not.toBeNull();
  });

  test('a token about to expire is renewed with a fresh one from the server, without leaving the channel', async () => {
    phone();
    const rtc = fakeRtc();
    const server = fakeServer();
    onCall(server, callView());
    const page = open();
    await videoOn(page);

    rtc.last().willExpire();

    await waitFor(() => expect(rtc.last().callsOf('renewToken')).toEqual([['006token-2']]));
    expect(server.to(TOKEN)).toHaveLength(2);
    expect(rtc.clients).toHaveLength(1);
    expect(rtc.last().callsOf('rejoin')).toHaveLength(0);
    expect(rtc.last().token).toBe('006token-2');
  });

  test('a dropped connection rejoins the same channel with a fresh token, keeping the streams it knew', async () => {
    phone();
    const rtc = fakeRtc();
    const server = fakeServer();
    onCall(server, callView());
    const page = open();
    await videoOn(page);
    const first = rtc.last();
    first.addRemote(1);
    await waitFor(() => expect(attributesOf(page, '#player-1')).not.toBeNull());

    first.fail(904, 'connection lost');

    await waitFor(() => expect(textOf(page, '#video-message')).toBe('视频连接中断，正在重新连接…'));
    await waitFor(() => expect(rtc.clients).toHaveLength(2), 3000);
    const second = rtc.last();
    await waitFor(() => expect(second.callsOf('rejoin')).toEqual([['006token-2', 'case-case_1', 101, [1]]]));
    expect(first.destroyed).toBe(true); // the SDK allows few sockets: the old client is freed first
    await videoOn(page);
    expect(attributesOf(page, '#pusher')?.url).toBe('rtmp://fake-rtc.invalid/case-case_1/101/push');
    expect(domOf(page, '#video-problem')).toBeNull();
  });

  test('a token that expired anyway: rejoins at once with a fresh one', async () => {
    phone();
    const rtc = fakeRtc();
    const server = fakeServer();
    onCall(server, callView());
    const page = open();
    await videoOn(page);

    rtc.last().didExpire();

    await waitFor(() => expect(rtc.clients).toHaveLength(2));
    await waitFor(() => expect(rtc.last().callsOf('rejoin')[0]?.[0]).toBe('006token-2'));
  });

  test('no RTC client to be had (the SDK file missing on a release build): the rest of the call still works', async () => {
    phone();
    setRtcClientFactory(() => {
      throw new RtcUnavailableError('Agora 小程序 SDK 文件缺失');
    });
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const server = fakeServer();
    onCall(server, callView({ rev: 3 }), callView({ rev: 4, pendingShots: [shotRequest()] }));
    const page = open();

    await waitFor(() => expect(textOf(page, '#video-message')).toContain('本机暂时无法进行视频通话'));
    expect(textOf(page, '#video-retry')).toBe('重新连接');
    expect(server.to(TOKEN)).toHaveLength(0);
    expect(error).toHaveBeenCalledWith('Agora 小程序 SDK 文件缺失');
    await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'));
    error.mockRestore();
  });
});

describe('the long poll', () => {
  test('asks with the last rev and shows a shot request from the officer at once', async () => {
    phone();
    fakeRtc();
    const server = fakeServer();
    onCall(
      server,
      callView({ rev: 3 }),
      callView({ rev: 4, pendingShots: [shotRequest({ note: '车头右侧' })] }),
    );
    const page = open();

    await waitFor(() => expect(textOf(page, '#shot-shot_1')).toContain('交警请您拍摄'));
    const card = textOf(page, '#shot-shot_1') ?? '';
    expect(card).toContain('碰撞部位');
    expect(card).toContain('请拍摄两车碰撞部位，距离 1 米左右');
    expect(card).toContain('车头右侧');
    expect(textOf(page, '#shoot-shot_1')).toBe('拍摄');
    const [load, poll] = server.to(CALL);
    expect(load!.url).toBe('http://127.0.0.1:3000/api/v1/cases/case_1/call');
    expect(poll!.url).toBe('http://127.0.0.1:3000/api/v1/cases/case_1/call?since=3');
    await waitFor(() => expect(server.to(CALL).length).toBeGreaterThanOrEqual(3));
    expect(server.to(CALL)[2]!.url).toBe('http://127.0.0.1:3000/api/v1/cases/case_1/call?since=4');
  });

  test('a failing poll says the network is unstable, waits, and carries on', async () => {
    phone();
    fakeRtc();
    const server = fakeServer();
    server.on(
      CALL,
      { status: 200, body: callView({ rev: 3 }) },
      { fail: 'request:fail timeout' },
      { status: 200, body: callView({ rev: 4, pendingShots: [shotRequest()] }) },
    );
    server.on(TOKEN, { status: 200, body: rtcCredentials() });
    const page = open();

    await waitFor(() => expect(textOf(page, '#sync-note')).toBe('网络不稳定，正在重新连接…'));
    expect(domOf(page, '#shoot-shot_1')).toBeNull();
    await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'), 2500);
    expect(domOf(page, '#sync-note')).toBeNull();
  });

  test('closing the page ends the poll and leaves the channel', async () => {
    phone();
    const rtc = fakeRtc();
    const server = fakeServer();
    onCall(server, callView());
    const page = open();
    await videoOn(page);
    await waitFor(() => expect(server.to(CALL).length).toBeGreaterThanOrEqual(2));

    closePage(page);
    opened = [];
    const asked = server.to(CALL).length;
    await simulate.sleep(1300);

    expect(server.to(CALL)).toHaveLength(asked);
    expect(rtc.last().callsOf('leave')).toHaveLength(1);
    expect(rtc.last().destroyed).toBe(true);
  });
});

describe('after the call', () => {
  const RELEASED = callView({ rev: 9, state: 'released', releasedAt: '2025-06-01T02:45:00.000Z', releaseNotice: '信息采集已完成，请立即撤离现场。' });

  test('released: 请立即撤离 with the safety reminders; the video and the poll stop', async () => {
    phone();
    const rtc = fakeRtc();
    const server = fakeServer();
    onCall(server);
    server.on(CALL, { status: 200, body: callView({ rev: 3 }) }, { status: 200, body: RELEASED, delayMs: 150 });
    const page = open();
    await videoOn(page);

    await waitFor(() => expect(textOf(page, '#released-title')).toBe('请立即撤离'));
    expect(textOf(page, '#release-notice')).toBe('信息采集已完成，请立即撤离现场。');
    const reminders = textOf(page, '#release-reminders') ?? '';
    expect(reminders).toContain('不妨碍交通');
    expect(reminders).toContain('注意观察来往车辆');
    expect(reminders).toContain('事故认定书将发送到本手机');
    expect(domOf(page, '#call')).toBeNull();
    expect(attributesOf(page, '#pusher')).toBeNull();
    await waitFor(() => expect(rtc.last().destroyed).toBe(true));
    expect(rtc.last().callsOf('leave')).toHaveLength(1);

    const asked = server.to(CALL).length;
    await simulate.sleep(1200);
    expect(server.to(CALL)).toHaveLength(asked);
  });

  test('released: 查看网办进度 leads to where the 认定书 will arrive (the call page gives way to it)', async () => {
    const { redirectTo } = phone();
    fakeRtc();
    const server = fakeServer();
    onCall(server, RELEASED);
    const page = open();
    await waitFor(() => expect(textOf(page, '#released-title')).toBe('请立即撤离'));
    expect(textOf(page, '#released')).toContain('事故认定书会送到「网办进度」');

    await tap(page, '#progress');

    expect(optionsOf(redirectTo)).toMatchObject({ url: '/pages/progress/index' });
  });

  test('released while the video is still connecting: the client that was joining leaves too', async () => {
    phone();
    const rtc = fakeRtc();
    const server = fakeServer();
    // The release arrives while the token is still on its way (the client exists, not joined yet).
    server.on(CALL, { status: 200, body: callView({ rev: 3 }) }, { status: 200, body: RELEASED, delayMs: 40 });
    server.on(TOKEN, { status: 200, body: rtcCredentials(1), delayMs: 200 });
    const page = open();

    await waitFor(() => expect(textOf(page, '#released-title')).toBe('请立即撤离'));
    expect(rtc.clients).toHaveLength(1);
    await waitFor(() => expect(rtc.last().destroyed).toBe(true), 1000);
    expect(server.to(TOKEN)).toHaveLength(1);
    expect(rtc.clients.every((c) => !c.joined)).toBe(true);
    expect(rtc.last().callsOf('join')).toHaveLength(0);
    expect(attributesOf(page, '#pusher')).toBeNull();
  });

  test('redirected: the officer’s reason, the other ways and 拨打 122', async () => {
    const { makePhoneCall } = phone();
    const rtc = fakeRtc();
    const server = fakeServer();
    onCall(server);
    server.on(
      CALL,
      { status: 200, body: callView({ rev: 3 }) },
      {
        status: 200,
        body: callView({ rev: 6, state: 'redirected', redirect: { reason: '经视频核实，一方车辆无法移动，请原地等待交警到场。', alternatives: ['officer_on_scene'] } }),
        delayMs: 150,
      },
    );
    const page = open();
    await videoOn(page);

    await waitFor(() => expect(textOf(page, '#redirect-reason')).toBe('经视频核实，一方车辆无法移动，请原地等待交警到场。'));
    const alternatives = textOf(page, '#alternatives') ?? '';
    expect(alternatives).toContain('原地等待交警到场');
    expect(alternatives).toContain('拨打 122 报警');
    await waitFor(() => expect(rtc.last().destroyed).toBe(true));
    expect(rtc.last().callsOf('leave')).toHaveLength(1);

    await tap(page, '#call-122-call_122');
    expect(optionsOf(makePhoneCall)).toMatchObject({ phoneNumber: '122' });
  });

  test('parked after a long drop (abandoned): 继续处理 puts it back in the queue and opens the waiting page', async () => {
    const { redirectTo } = phone();
    fakeRtc();
    const server = fakeServer();
    onCall(server, callView({ state: 'abandoned' }));
    server.on(RESUME, { status: 200, body: callView({ rev: 8, state: 'queued' }) });
    const page = open();

    await waitFor(() => expect(textOf(page, '#abandoned')).toContain('已经采集的信息和照片都已保存'));
    expect(server.to(TOKEN)).toHaveLength(0);
    await tap(page, '#resume');

    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-waiting/index?caseId=case_1' })));
    expect(server.to(RESUME)).toHaveLength(1);
  });

  test('back in the queue (the officer’s line dropped): leaves the channel and the waiting page takes over', async () => {
    const { redirectTo } = phone();
    const rtc = fakeRtc();
    const server = fakeServer();
    onCall(server);
    server.on(CALL, { status: 200, body: callView({ rev: 3 }) }, { status: 200, body: callView({ rev: 5, state: 'queued' }), delayMs: 150 });
    const page = open();
    await videoOn(page);

    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-waiting/index?caseId=case_1' })));
    await waitFor(() => expect(rtc.last().destroyed).toBe(true));
    expect(rtc.last().callsOf('leave')).toHaveLength(1);
    const asked = server.to(CALL).length;
    await simulate.sleep(1200);
    expect(server.to(CALL)).toHaveLength(asked); // the waiting page follows the queue now
    expect(redirectTo).toHaveBeenCalledTimes(1);
  });
});

describe('my information', () => {
  test('filled in from the case; saved, then confirmed by the party', async () => {
    phone();
    fakeRtc();
    const server = fakeServer();
    onCall(server, callView({ myInfo: emptyInfo({ driverName: '张三', plateType: '02' }) }));
    server.on(
      MY_INFO,
      { status: 200, body: callView({ rev: 4, myInfo: emptyInfo({ driverName: '张三', plateType: '52', phone: '13800138000', insurer: '人保财险' }) }) },
      {
        status: 200,
        body: callView({
          rev: 5,
          myInfo: emptyInfo({ driverName: '张三', plateType: '52', phone: '13800138000', insurer: '人保财险', confirmedAt: '2025-06-01T02:44:00.000Z' }),
        }),
      },
    );
    const page = open();

    await waitFor(() => expect(inputValue(page, '#info-driverName')).toBe('张三'));
    expect(inputValue(page, '#info-phone')).toBe('');
    expect(textOf(page, '#plate-type-text')).toBe('02 小型汽车（蓝牌）');
    expect(domOf(page, '#info-confirmed')).toBeNull();

    await typeInto(page, '#info-phone', '1380013800');
    await tap(page, '#info-save');
    expect(textOf(page, '#info-error')).toBe('请填写 11 位手机号');
    expect(server.to(MY_INFO)).toHaveLength(0);

    await typeInto(page, '#info-phone', '13800138000');
    await typeInto(page, '#info-insurer', ' 人保财险 ');
    await fire(page, '#plate-type', 'change', { value: 1 });
    expect(textOf(page, '#plate-type-text')).toBe('52 小型新能源汽车（绿牌）');
    await tap(page, '#info-save');

    await waitFor(() => expect(textOf(page, '#info-note')).toBe('已保存'));
    expect(server.to(MY_INFO)[0]!.data).toEqual({
      driverName: '张三',
      licenceNo: null,
      plateType: '52',
      vehicleType: null,
      insurer: '人保财险',
      policyNo: null,
      phone: '13800138000',
    });

    await tap(page, '#info-confirm');
    await waitFor(() => expect(textOf(page, '#info-confirmed')).toBe('已于 10:44 确认'));
    expect(inputValue(page, '#info-insurer')).toBe('人保财险'); // the server's copy, trimmed
    expect(server.to(MY_INFO)[1]!.data).toMatchObject({ driverName: '张三', phone: '13800138000', confirm: true });
    expect(textOf(page, '#info-note')).toContain('已确认');
  });

  test('what the party is typing is not overwritten by a poll', async () => {
    phone();
    fakeRtc();
    const server = fakeServer();
    onCall(
      server,
      callView({ rev: 3 }),
      callView({ rev: 4, myInfo: emptyInfo({ driverName: '交警填的' }), pendingShots: [shotRequest()] }),
    );
    const page = open();
    await waitFor(() => expect(domOf(page, '#my-info')).not.toBeNull());
    await typeInto(page, '#info-driverName', '李四');

    await waitFor(() => expect(textOf(page, '#shoot-shot_1')).toBe('拍摄'));
    expect(inputValue(page, '#info-driverName')).toBe('李四');
  });
});

describe('chat', () => {
  test('messages from the view with who wrote them; sending one posts it and shows it', async () => {
    phone();
    fakeRtc();
    const server = fakeServer();
    onCall(
      server,
      callView({
        messages: [
          { id: 'm1', from: 'dispatcher', text: '您好，请先确认人员是否受伤', at: '2025-06-01T02:40:10.000Z' },
          { id: 'm2', from: 'B', text: '没有人受伤', at: '2025-06-01T02:40:20.000Z' },
        ],
      }),
    );
    server.on(
      MESSAGES,
      { fail: 'request:fail timeout' },
      { fail: 'request:fail timeout' },
      { fail: 'request:fail timeout' },
      { status: 201, body: { id: 'm3', from: 'A', text: '我这边也没有人受伤', at: '2025-06-01T02:40:30.000Z' } },
    );
    const page = open();

    await waitFor(() => expect(textOf(page, '#msg-m1')).toContain('您好，请先确认人员是否受伤'));
    expect(textOf(page, '#msg-m1')).toContain('交警 10:40');
    expect(textOf(page, '#msg-m2')).toContain('B 车');

    await typeInto(page, '#chat-input', '我这边也没有人受伤');
    await tap(page, '#chat-send');
    await waitFor(() => expect(textOf(page, '#chat-error')).toBe('网络不太好，请检查网络后重试'), 4000);
    expect(inputValue(page, '#chat-input')).toBe('我这边也没有人受伤'); // kept for 发送 again

    await tap(page, '#chat-send');
    await waitFor(() => expect(textOf(page, '#msg-m3')).toContain('我这边也没有人受伤'));
    expect(textOf(page, '#msg-m3')).toContain('我');
    expect(domOf(page, '#msg-m3')?.className).toContain('message--mine');
    expect(inputValue(page, '#chat-input')).toBe('');
    const sent = server.to(MESSAGES);
    expect(sent[0]!.data).toEqual({ text: '我这边也没有人受伤' });
    expect(sent[3]!.header['Idempotency-Key']).toBe(sent[0]!.header['Idempotency-Key']); // one message, however often sent
  }, 15000);
});
