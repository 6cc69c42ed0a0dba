/**
 * The 短信验证 page in miniprogram-simulate against the fake server, and the third-party adapter
 * with stubs of wx.navigateToMiniProgram / wx.onAppShow.
 */
import { THIRD_PARTY_PROVIDER, ThirdPartyError, authorize } from '../utils/thirdParty';
import { fakeServer } from './fake-server';
import { signedIn, verificationStatus } from './fixtures';
import { domOf, renderPage, tap, textOf, typeInto, waitFor } from './page-driver';
import { loadPage } from './simulator';

const SEND = 'POST /api/v1/verification/sms/send';
const VERIFY = 'POST /api/v1/verification/sms/verify';
const THIRD_PARTY = 'POST /api/v1/verification/third-party';

type AppShowListener = (options: { referrerInfo?: { appId?: string; extraData?: Record<string, unknown> } }) => void;

/** The provider's mini-program: opens (or not), then returns to us with `extraData` (or nothing). */
function stubProvider(outcome: { open: boolean; extraData?: Record<string, unknown> }) {
  const listeners = new Set<AppShowListener>();
  wx.onAppShow = ((l: AppShowListener) => listeners.add(l)) as unknown as typeof wx.onAppShow;
  wx.offAppShow = ((l: AppShowListener) => listeners.delete(l)) as unknown as typeof wx.offAppShow;
  const navigate = jest.fn((options: WechatMiniprogram.NavigateToMiniProgramOption) => {
    setTimeout(() => {
      if (!outcome.open) {
        options.fail?.({ errMsg: 'navigateToMiniProgram:fail invalid appid' });
        return;
      }
      options.success?.({ errMsg: 'navigateToMiniProgram:ok' });
      // Some other app show first (the user switched apps): must be ignored.
      for (const l of [...listeners]) l({ referrerInfo: {} });
      setTimeout(() => {
        for (const l of [...listeners]) l({ referrerInfo: { appId: THIRD_PARTY_PROVIDER.appId, extraData: outcome.extraData } });
      }, 1);
    }, 1);
  });
  wx.navigateToMiniProgram = navigate as unknown as typeof wx.navigateToMiniProgram;
  return { navigate, listeners };
}

let pageId: string;
beforeAll(() => {
  pageId = loadPage('pages/verify-sms/index');
});

beforeEach(() => {
  wx.clearStorageSync();
  signedIn();
});

describe('third-party adapter', () => {
  test('resolves with the authCode the provider returns and stops listening', async () => {
    const { navigate, listeners } = stubProvider({ open: true, extraData: { authCode: 'auth-123' } });
    await expect(authorize()).resolves.toBe('auth-123');
    expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ appId: THIRD_PARTY_PROVIDER.appId, path: THIRD_PARTY_PROVIDER.path }));
    expect(listeners.size).toBe(0);
  });

  test('rejects as cancelled when the provider returns without a code, and as open_failed when it cannot open', async () => {
    stubProvider({ open: true, extraData: {} });
    await expect(authorize()).rejects.toMatchObject({ kind: 'cancelled' });
    const { listeners } = stubProvider({ open: false });
    const failed = authorize();
    await expect(failed).rejects.toBeInstanceOf(ThirdPartyError);
    await expect(failed).rejects.toMatchObject({ kind: 'open_failed' });
    expect(listeners.size).toBe(0);
  });
});

describe('sms page', () => {
  test('sends a code (with the plate), counts down, shows a wrong code’s message, then succeeds', async () => {
    const server = fakeServer();
    server.on(SEND, { status: 200, body: { sentTo: '139****2222', expiresAt: '2099-01-01T00:05:00.000Z', matchedRecord: 'vehicle' } });
    server.on(
      VERIFY,
      { status: 400, body: { code: 'SMS_CODE_WRONG', message: '验证码不正确，还可以再试 2 次' } },
      { status: 200, body: verificationStatus({ status: 'verified', method: 'sms' }) },
    );
    const page = renderPage(pageId);
    expect(textOf(page, '#send')).toBe('获取验证码');

    await typeInto(page, '#plate', '粤j 12345');
    await tap(page, '#send');

    await waitFor(() => expect(textOf(page, '#sent-to')).toBe('验证码已发送至 139****2222'));
    expect(server.to(SEND)[0]?.data).toEqual({ plate: '粤J12345' });
    expect(textOf(page, '#send')).toMatch(/^(60|59) 秒后可重新获取$/);
    expect(domOf(page, '#send')?.className).toContain('t-button--disabled');
    await tap(page, '#send'); // disabled during the countdown
    expect(server.to(SEND)).toHaveLength(1);

    await typeInto(page, '#code', '12345');
    await tap(page, '#verify');
    expect(textOf(page, '#error-code')).toContain('6 位数字');
    expect(server.to(VERIFY)).toHaveLength(0);

    await typeInto(page, '#code', '111111');
    await tap(page, '#verify');
    await waitFor(() => expect(textOf(page, '#error-code')).toBe('验证码不正确，还可以再试 2 次'));
    expect(domOf(page, '#done')).toBeNull();

    await typeInto(page, '#code', '654321');
    await tap(page, '#verify');
    await waitFor(() => expect(textOf(page, '#done')).toContain('实人认证已完成'));
    expect(server.to(VERIFY).map((r) => r.data)).toEqual([{ code: '111111' }, { code: '654321' }]);
  });

  test('429 SMS_RATE_LIMITED counts down retryAfterSeconds, then allows sending again', async () => {
    const server = fakeServer();
    server.on(
      SEND,
      { status: 429, body: { code: 'SMS_RATE_LIMITED', message: '获取验证码太频繁，请稍后再试', retryAfterSeconds: 2 } },
      { status: 200, body: { sentTo: '139****2222', expiresAt: '2099-01-01T00:05:00.000Z', matchedRecord: 'licence' } },
    );
    const page = renderPage(pageId);

    await tap(page, '#send');

    await waitFor(() => expect(textOf(page, '#send-error')).toBe('获取验证码太频繁，请稍后再试'));
    expect(server.to(SEND)[0]?.data).toEqual({});
    expect(textOf(page, '#send')).toBe('2 秒后可重新获取');
    await waitFor(() => expect(textOf(page, '#send')).toBe('1 秒后可重新获取'), 1500);
    await waitFor(() => expect(textOf(page, '#send')).toBe('获取验证码'), 1500);

    await tap(page, '#send');
    await waitFor(() => expect(textOf(page, '#sent-to')).toContain('139****2222'));
    expect(textOf(page, '#send-error')).toBeNull();
  });

  test('RESERVED_PHONE_MISMATCH offers third-party authorisation, whose code sends the SMS', async () => {
    const server = fakeServer();
    server.on(SEND, { status: 409, body: { code: 'RESERVED_PHONE_MISMATCH', message: '您填写的手机号与登记的手机号不一致' } });
    server.on(THIRD_PARTY, { status: 200, body: { sentTo: '137****0000', expiresAt: '2099-01-01T00:05:00.000Z', matchedRecord: 'third_party' } });
    const { navigate } = stubProvider({ open: true, extraData: { authCode: 'auth-9' } });
    const page = renderPage(pageId);
    expect(domOf(page, '#third-party')).toBeNull();

    await tap(page, '#send');

    await waitFor(() => expect(textOf(page, '#mismatch')).toContain('您填写的手机号与登记的手机号不一致'));
    expect(textOf(page, '#third-party')).toBe('通过第三方授权验证');
    expect(domOf(page, '#manual-review')).toBeNull();

    await tap(page, '#third-party');

    await waitFor(() => expect(textOf(page, '#sent-to')).toBe('验证码已发送至 137****0000'));
    expect(navigate).toHaveBeenCalledTimes(1);
    expect(server.to(THIRD_PARTY)[0]?.data).toEqual({ authCode: 'auth-9' });
    expect(domOf(page, '#mismatch')).toBeNull();
  });

  test('NO_REGISTRY_RECORD offers manual review of ID photos', async () => {
    const server = fakeServer();
    server.on(SEND, { status: 409, body: { code: 'NO_REGISTRY_RECORD', message: '没有查到您的驾驶证登记信息' } });
    const navigateTo = jest.fn();
    wx.navigateTo = navigateTo as unknown as typeof wx.navigateTo;
    const page = renderPage(pageId);

    await tap(page, '#send');

    await waitFor(() => expect(textOf(page, '#no-record')).toContain('没有查到您的驾驶证登记信息'));
    expect(domOf(page, '#third-party')).toBeNull();
    await tap(page, '#manual-review');
    expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/verify-photos/index' }));
  });
});
