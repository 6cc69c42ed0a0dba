import jwt from 'jsonwebtoken';
import { createTokenService } from '../src/auth/tokens';
import { Driver } from '../src/drivers/driver.model';
import { startTestServer, type TestServer } from './harness';

describe('driver login through WeChat', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());
  beforeEach(() => t.fakes.reset());

  const login = (code: string) => t.http.post('/api/v1/auth/wechat-login', { code });

  it('exchanges a wx.login code for a session and creates the driver once', async () => {
    const first = await login(t.fakes.wechat.issueCode('openid-alice'));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      accessToken: expect.any(String),
      accessTokenExpiresAt: expect.any(String),
      refreshToken: expect.any(String),
      refreshTokenExpiresAt: expect.any(String),
      driver: { id: expect.any(String), verification: 'unverified', createdAt: expect.any(String) },
    });
    const ttl = Date.parse(first.body.accessTokenExpiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(15 * 60 * 1000);

    const call = t.fakes.wechat.callsTo('jscode2session')[0]!;
    expect(call.query).toMatchObject({ appid: t.config.WECHAT_APPID, grant_type: 'authorization_code' });

    const again = await login(t.fakes.wechat.issueCode('openid-alice'));
    expect(again.body.driver.id).toBe(first.body.driver.id);
    expect(await Driver.countDocuments({ openid: 'openid-alice' })).toBe(1);

    const me = await t.http.get('/api/v1/me', { token: again.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(first.body.driver);
  });

  it('refuses an invalid code (40029) with 401 WECHAT_CODE_INVALID', async () => {
    const res = await login('not-a-code-wechat-gave');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'WECHAT_CODE_INVALID', message: expect.stringMatching(/重新进入小程序/) });
  });

  it('refuses a code used twice (40163)', async () => {
    const code = t.fakes.wechat.issueCode('openid-bob');
    expect((await login(code)).status).toBe(200);
    const replay = await login(code);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('WECHAT_CODE_INVALID');
  });

  it('answers WeChat rate limiting (45011) with 429 and Retry-After', async () => {
    t.fakes.wechat.failNext('jscode2session', { body: { errcode: 45011, errmsg: 'api minute-quota reach limit' } });
    const res = await login(t.fakes.wechat.issueCode('openid-carol'));
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ code: 'WECHAT_RATE_LIMITED', retryAfterSeconds: 60 });
    expect(res.headers.get('retry-after')).toBe('60');
  });

  it('reaches 45011 for real after 100 logins of one user in a minute', async () => {
    // 100 logins of the same WeChat user within the minute (straight to WeChat, as other sessions would).
    for (let i = 0; i < 100; i++) {
      const url = new URL('/sns/jscode2session', t.fakes.wechat.url);
      url.search = new URLSearchParams({ appid: t.config.WECHAT_APPID, secret: t.config.WECHAT_SECRET, grant_type: 'authorization_code', js_code: t.fakes.wechat.issueCode('openid-busy') }).toString();
      expect(((await (await fetch(url)).json()) as { openid?: string }).openid).toBe('openid-busy');
    }
    const res = await login(t.fakes.wechat.issueCode('openid-busy'));
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('WECHAT_RATE_LIMITED');
  });

  it('maps a high-risk user (40226) to 403 and system busy (-1) to 503', async () => {
    t.fakes.wechat.failNext('jscode2session', { body: { errcode: 40226, errmsg: 'high risk user' } });
    expect((await login('x1')).body.code).toBe('WECHAT_USER_BLOCKED');
    t.fakes.wechat.failNext('jscode2session', { body: { errcode: -1, errmsg: 'system error' } });
    const busy = await login('x2');
    expect(busy.status).toBe(503);
    expect(busy.body.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('reports our own bad credentials (40125) as 502 and logs it for the operator', async () => {
    t.fakes.wechat.failNext('jscode2session', { body: { errcode: 40125, errmsg: 'invalid appsecret' } });
    const res = await login('x3');
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('UPSTREAM_MISCONFIGURED');
    expect(t.logs.some((l) => l.msg === 'wechat rejected our credentials' && l.errcode === 40125)).toBe(true);
  });

  it('gives up on a hung WeChat after the upstream timeout with 503', async () => {
    const slow = await startTestServer({ env: { UPSTREAM_TIMEOUT_MS: '200' } });
    try {
      slow.fakes.wechat.delay('jscode2session', 1_000);
      const res = await slow.http.post('/api/v1/auth/wechat-login', { code: slow.fakes.wechat.issueCode('openid-slow') });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      await slow.close().catch(() => undefined);
    }
  });

  it('refuses a missing code with 400 before calling WeChat', async () => {
    const res = await t.http.post('/api/v1/auth/wechat-login', {});
    expect(res.status).toBe(400);
    expect(res.body.issues[0]).toEqual({ path: 'code', message: '缺少登录凭证 code' });
    expect(t.fakes.wechat.callsTo('jscode2session')).toHaveLength(0);
  });

  describe('tokens', () => {
    it('rejects requests without a token (401) and with a garbage token (401)', async () => {
      expect((await t.http.get('/api/v1/me')).body.code).toBe('UNAUTHENTICATED');
      const garbage = await t.http.get('/api/v1/me', { token: 'abc.def.ghi' });
      expect(garbage.status).toBe(401);
      expect(garbage.body.code).toBe('UNAUTHENTICATED');
    });

    it('answers an expired access token with 401 TOKEN_EXPIRED', async () => {
      const session = (await login(t.fakes.wechat.issueCode('openid-expired'))).body;
      const past = createTokenService({
        secret: t.config.JWT_SECRET,
        issuer: t.config.JWT_ISSUER,
        driverAccessTtlSeconds: t.config.DRIVER_ACCESS_TTL_SECONDS,
        staffSessionTtlSeconds: 60,
        loginDeviceTtlSeconds: 60,
        now: () => Date.now() - 16 * 60 * 1000,
      });
      const expired = past.signDriverAccess(session.driver.id, 'some-session').token;
      const res = await t.http.get('/api/v1/me', { token: expired });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('TOKEN_EXPIRED');
    });

    it('rejects a token signed with another secret', async () => {
      const forged = createTokenService({ secret: 'x'.repeat(40), issuer: t.config.JWT_ISSUER, driverAccessTtlSeconds: 900, staffSessionTtlSeconds: 60, loginDeviceTtlSeconds: 60 });
      const res = await t.http.get('/api/v1/me', { token: forged.signDriverAccess('65f000000000000000000000', 'some-session').token });
      expect(res.status).toBe(401);
    });

    it('refuses a token that never expires (no exp claim), even when signed with our secret', async () => {
      const session = (await login(t.fakes.wechat.issueCode('openid-forever'))).body;
      const claims = jwt.decode(session.accessToken) as jwt.JwtPayload;
      const { exp: _exp, iat: _iat, ...rest } = claims;
      const forever = jwt.sign(rest, t.config.JWT_SECRET, { algorithm: 'HS256' });
      expect((jwt.decode(forever) as jwt.JwtPayload).exp).toBeUndefined();
      const res = await t.http.get('/api/v1/me', { token: forever });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      // The same claims with an expiry are accepted: only the missing exp is refused.
      const bounded = jwt.sign(rest, t.config.JWT_SECRET, { algorithm: 'HS256', expiresIn: 60 });
      expect((await t.http.get('/api/v1/me', { token: bounded })).status).toBe(200);
    });

    it('ends the access token with logout: accepted before, 401 TOKEN_REVOKED after', async () => {
      const session = (await login(t.fakes.wechat.issueCode('openid-leaving'))).body;
      const other = (await login(t.fakes.wechat.issueCode('openid-staying'))).body;
      expect((await t.http.get('/api/v1/me', { token: session.accessToken })).status).toBe(200);
      const out = await t.http.post('/api/v1/auth/logout', { refreshToken: session.refreshToken }, { token: session.accessToken });
      expect(out.body).toEqual({ ok: true });
      const after = await t.http.get('/api/v1/me', { token: session.accessToken });
      expect(after.status).toBe(401);
      expect(after.body).toMatchObject({ code: 'TOKEN_REVOKED', message: '已退出登录，请重新登录' });
      // Only that session ends: another driver's, and a new login of the same driver, work.
      expect((await t.http.get('/api/v1/me', { token: other.accessToken })).status).toBe(200);
      const again = (await login(t.fakes.wechat.issueCode('openid-leaving'))).body;
      expect((await t.http.get('/api/v1/me', { token: again.accessToken })).status).toBe(200);
    });

    it('ends the access tokens of a session whose refresh token was replayed', async () => {
      const first = (await login(t.fakes.wechat.issueCode('openid-copied'))).body;
      const second = (await t.http.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken })).body;
      expect((await t.http.get('/api/v1/me', { token: second.accessToken })).status).toBe(200);
      expect((await t.http.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(401);
      for (const token of [first.accessToken, second.accessToken]) {
        const res = await t.http.get('/api/v1/me', { token });
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('TOKEN_REVOKED');
      }
    });

    it('rotates the refresh token; replaying a spent one revokes the whole family', async () => {
      const first = (await login(t.fakes.wechat.issueCode('openid-rotate'))).body;
      const second = await t.http.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
      expect(second.status).toBe(200);
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      expect(second.body.driver.id).toBe(first.driver.id);

      const replay = await t.http.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe('REFRESH_TOKEN_INVALID');
      // The legitimate newest token died with its family: whoever copied the old one gains nothing.
      const afterTheft = await t.http.post('/api/v1/auth/refresh', { refreshToken: second.body.refreshToken });
      expect(afterTheft.status).toBe(401);
    });

    it('lets only one of two simultaneous refreshes with the same token succeed', async () => {
      const first = (await login(t.fakes.wechat.issueCode('openid-twice'))).body;
      const results = await Promise.all([0, 1, 2].map(() => t.http.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken })));
      expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
      expect(results.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(2);
    });

    it('logs out by revoking the refresh token', async () => {
      const session = (await login(t.fakes.wechat.issueCode('openid-logout'))).body;
      expect((await t.http.post('/api/v1/auth/logout', { refreshToken: session.refreshToken })).body).toEqual({ ok: true });
      expect((await t.http.post('/api/v1/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    });

    it('keeps driver tokens out of staff routes (403)', async () => {
      const session = (await login(t.fakes.wechat.issueCode('openid-nosy'))).body;
      const res = await t.http.get('/api/v1/queue', { token: session.accessToken });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });

  it('never logs the wx.login code, the session_key or a token', async () => {
    const code = t.fakes.wechat.issueCode('openid-quiet');
    const session = (await login(code)).body;
    const logs = t.rawLogs();
    expect(logs).not.toContain(code);
    expect(logs).not.toContain(session.accessToken);
    expect(logs).not.toContain(session.refreshToken);
  });
});
