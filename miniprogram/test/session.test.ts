/** The driver session: storage, wx.login → wechat-login, logout. */
import { ensureLogin, loadSession, logout } from '../utils/session';
import { fakeServer, fakeWxLogin } from './fake-server';
import { session } from './fixtures';

const LOGIN = 'POST /api/v1/auth/wechat-login';
const LOGOUT = 'POST /api/v1/auth/logout';

beforeEach(() => {
  wx.clearStorageSync();
});

test('ensureLogin logs in with a wx.login code and keeps the session in storage', async () => {
  const login = fakeWxLogin('code-1');
  const server = fakeServer();
  server.on(LOGIN, { status: 200, body: session(1) });

  await expect(ensureLogin()).resolves.toEqual(session(1));

  expect(login).toHaveBeenCalledTimes(1);
  expect(server.to(LOGIN)[0]?.data).toEqual({ code: 'code-1' });
  expect(loadSession()).toEqual(session(1));
});

test('ensureLogin reuses a stored session without calling WeChat or the server', async () => {
  const login = fakeWxLogin('unused');
  const server = fakeServer();
  wx.setStorageSync('driverSession', session(4));

  await expect(ensureLogin()).resolves.toEqual(session(4));

  expect(login).not.toHaveBeenCalled();
  expect(server.requests).toHaveLength(0);
});

test('concurrent first calls share one wx.login (a code is single-use)', async () => {
  const login = fakeWxLogin('code-1', 'code-2');
  const server = fakeServer();
  server.on(LOGIN, { status: 200, body: session(1) });

  const [a, b] = await Promise.all([ensureLogin(), ensureLogin()]);

  expect(a).toEqual(b);
  expect(login).toHaveBeenCalledTimes(1);
  expect(server.to(LOGIN)).toHaveLength(1);
});

test('a failing wx.login is reported in plain Chinese', async () => {
  wx.login = ((options: WechatMiniprogram.LoginOption) => {
    setTimeout(() => options.fail?.({ errMsg: 'login:fail network error', errno: 600001 }), 1);
  }) as unknown as typeof wx.login;
  fakeServer();

  await expect(ensureLogin()).rejects.toMatchObject({ code: 'WECHAT_LOGIN_FAILED', message: '微信登录没有成功，请稍后重试' });
  expect(loadSession()).toBeNull();
});

test('logout forgets the session here and hands the refresh token back to the server', async () => {
  wx.setStorageSync('driverSession', session(2));
  const server = fakeServer();
  server.on(LOGOUT, { status: 200, body: { ok: true } });

  await logout();

  expect(loadSession()).toBeNull();
  expect(server.to(LOGOUT)[0]).toMatchObject({ data: { refreshToken: 'refresh-2' } });
  expect(server.to(LOGOUT)[0]?.header.Authorization).toBe('Bearer access-2');
});

test('logout still forgets the session when the server cannot be told', async () => {
  wx.setStorageSync('driverSession', session(2));
  const server = fakeServer();
  server.on(LOGOUT, { status: 500, body: { code: 'INTERNAL_ERROR', message: '服务器开小差了' } });

  await expect(logout()).resolves.toBeUndefined();
  expect(loadSession()).toBeNull();
});
