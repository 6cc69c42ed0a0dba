/**
 * The request helper against a fake server, with jest's fake timers so the retry backoff
 * (config.ts RETRY_DELAYS_MS) costs no real time.
 */
import { ApiRequestError, api, apiWith } from '../utils/request';
import { fakeServer, fakeWxLogin } from './fake-server';
import { driver, session } from './fixtures';

const ME = 'GET /api/v1/me';
const LOGOUT = 'POST /api/v1/auth/logout';
const REFRESH = 'POST /api/v1/auth/refresh';
const LOGIN = 'POST /api/v1/auth/wechat-login';

/** Runs every pending timer (network delays, backoff) until the call settles; never throws. */
async function settle<T>(call: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const outcome = call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await jest.runAllTimersAsync();
  return outcome;
}

beforeEach(() => {
  jest.useFakeTimers();
  wx.clearStorageSync();
  wx.setStorageSync('driverSession', session(1));
});

afterEach(() => {
  jest.useRealTimers();
});

describe('writes and idempotency', () => {
  test('a write retried after a 503 sends the same Idempotency-Key and body again; a new call gets a new key', async () => {
    const server = fakeServer();
    server.on(
      LOGOUT,
      { status: 503, body: { code: 'SERVICE_UNAVAILABLE', message: '服务繁忙，请稍后再试' } },
      { status: 200, body: { ok: true } },
    );

    const first = await settle(api(LOGOUT, { refreshToken: 'refresh-1' }));

    expect(first.value).toEqual({ ok: true });
    const [attempt1, attempt2] = server.to(LOGOUT);
    expect(server.to(LOGOUT)).toHaveLength(2);
    expect(attempt1?.header['Idempotency-Key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(attempt2?.header['Idempotency-Key']).toBe(attempt1?.header['Idempotency-Key']);
    expect(attempt2?.data).toEqual({ refreshToken: 'refresh-1' });
    expect(attempt2?.header.Authorization).toBe('Bearer access-1');

    await settle(api(LOGOUT, { refreshToken: 'refresh-1' }));
    expect(server.to(LOGOUT)[2]?.header['Idempotency-Key']).not.toBe(attempt1?.header['Idempotency-Key']);
  });

  test('a write repeated after a token refresh keeps its Idempotency-Key', async () => {
    const server = fakeServer();
    server.on(LOGOUT, { status: 401, body: { code: 'TOKEN_EXPIRED', message: '登录已过期' } }, { status: 200, body: { ok: true } });
    server.on(REFRESH, { status: 200, body: session(2) });

    const result = await settle(api(LOGOUT, { refreshToken: 'refresh-1' }));

    expect(result.value).toEqual({ ok: true });
    const [before, after] = server.to(LOGOUT);
    expect(after?.header.Authorization).toBe('Bearer access-2');
    expect(after?.header['Idempotency-Key']).toBe(before?.header['Idempotency-Key']);
  });

  test('reads carry no Idempotency-Key', async () => {
    const server = fakeServer();
    server.on(ME, { status: 200, body: driver() });

    await settle(api(ME));

    expect(server.to(ME)[0]?.header['Idempotency-Key']).toBeUndefined();
  });
});

describe('session renewal', () => {
  test('two calls failing with TOKEN_EXPIRED together share one refresh, then both succeed', async () => {
    const server = fakeServer();
    server.on(
      ME,
      { status: 401, body: { code: 'TOKEN_EXPIRED', message: '登录已过期' } },
      { status: 401, body: { code: 'TOKEN_EXPIRED', message: '登录已过期' } },
      { status: 200, body: driver() },
    );
    server.on(REFRESH, { status: 200, body: session(2), delayMs: 20 });

    const both = await settle(Promise.all([api(ME), api(ME)]));

    expect(both.value).toEqual([driver(), driver()]);
    expect(server.to(REFRESH)).toHaveLength(1);
    expect(server.to(REFRESH)[0]?.data).toEqual({ refreshToken: 'refresh-1' });
    expect(server.to(ME).map((r) => r.header.Authorization)).toEqual(['Bearer access-1', 'Bearer access-1', 'Bearer access-2', 'Bearer access-2']);
  });

  test('a 401 arriving after another call already refreshed reuses the new session instead of spending the refresh token again', async () => {
    const server = fakeServer();
    server.on(
      ME,
      { status: 401, body: { code: 'TOKEN_EXPIRED', message: '登录已过期' } },
      { status: 401, body: { code: 'TOKEN_EXPIRED', message: '登录已过期' }, delayMs: 200 }, // slow answer
      { status: 200, body: driver() },
    );
    server.on(REFRESH, { status: 200, body: session(2) });

    const both = await settle(Promise.all([api(ME), api(ME)]));

    expect(both.value).toEqual([driver(), driver()]);
    expect(server.to(REFRESH)).toHaveLength(1);
  });

  test('a refused refresh token leads to a new wx.login, then the call succeeds', async () => {
    const login = fakeWxLogin('code-9');
    const server = fakeServer();
    server.on(ME, { status: 401, body: { code: 'TOKEN_EXPIRED', message: '登录已过期' } }, { status: 200, body: driver() });
    server.on(REFRESH, { status: 401, body: { code: 'REFRESH_TOKEN_INVALID', message: '请重新登录' } });
    server.on(LOGIN, { status: 200, body: session(3) });

    const result = await settle(api(ME));

    expect(result.value).toEqual(driver());
    expect(login).toHaveBeenCalledTimes(1);
    expect(server.requests.map((r) => r.key)).toEqual([ME, REFRESH, LOGIN, ME]);
    expect(server.to(LOGIN)[0]?.data).toEqual({ code: 'code-9' });
    expect(server.to(ME)[1]?.header.Authorization).toBe('Bearer access-3');
  });

  test('a session ended on the server (TOKEN_REVOKED: a copied refresh token was replayed) is renewed by a new login', async () => {
    const login = fakeWxLogin('code-7');
    const server = fakeServer();
    server.on(ME, { status: 401, body: { code: 'TOKEN_REVOKED', message: '已退出登录，请重新登录' } }, { status: 200, body: driver() });
    server.on(REFRESH, { status: 401, body: { code: 'REFRESH_TOKEN_INVALID', message: '登录已失效，请重新登录' } });
    server.on(LOGIN, { status: 200, body: session(3) });

    const result = await settle(api(ME));

    expect(result.value).toEqual(driver());
    expect(login).toHaveBeenCalledTimes(1);
    expect(server.requests.map((r) => r.key)).toEqual([ME, REFRESH, LOGIN, ME]);
  });
});

describe('public endpoints', () => {
  test('wechat-login goes out as is: no session needed, no Authorization, still an Idempotency-Key', async () => {
    wx.clearStorageSync();
    const login = fakeWxLogin('unused');
    const server = fakeServer();
    server.on(LOGIN, { status: 200, body: session(5) });

    const result = await settle(api(LOGIN, { code: 'code-5' }));

    expect(result.value).toEqual(session(5));
    expect(login).not.toHaveBeenCalled();
    expect(server.requests.map((r) => r.key)).toEqual([LOGIN]);
    expect(server.requests[0]?.header.Authorization).toBeUndefined();
    expect(server.requests[0]?.header['Idempotency-Key']).toBeTruthy();
  });
});

describe('failures', () => {
  test('no network: tried three times, then a plain Chinese message', async () => {
    const server = fakeServer();
    server.on(ME, { fail: 'request:fail timeout' });

    const result = await settle(api(ME));

    expect(server.to(ME)).toHaveLength(3);
    expect(result.error).toBeInstanceOf(ApiRequestError);
    expect(result.error).toMatchObject({ code: 'NETWORK_FAILED', status: 0, message: '网络不太好，请检查网络后重试' });
  });

  test('a gateway error page (not our JSON) is retried and then reported as unavailable', async () => {
    const server = fakeServer();
    server.on(ME, { status: 502, body: '<html>Bad Gateway</html>', header: { 'Content-Type': 'text/html' } });

    const result = await settle(api(ME));

    expect(server.to(ME)).toHaveLength(3);
    expect(result.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 502, message: '服务暂时不可用，请稍后重试' });
  });

  test('the server\'s own error is passed on as is and not retried', async () => {
    const server = fakeServer();
    server.on(ME, { status: 403, body: { code: 'FORBIDDEN', message: '您无权进行此操作', requestId: 'req-7' } });

    const result = await settle(api(ME));

    expect(server.to(ME)).toHaveLength(1);
    expect(result.error).toMatchObject({ code: 'FORBIDDEN', status: 403, message: '您无权进行此操作', requestId: 'req-7' });
  });

  test('the request is sent to the develop base URL with the configured timeout', async () => {
    const server = fakeServer();
    server.on(ME, { status: 200, body: driver() });

    await settle(api(ME));

    expect(server.request).toHaveBeenCalledWith(expect.objectContaining({ url: 'http://127.0.0.1:3000/api/v1/me', method: 'GET', timeout: 15_000 }));
  });
});

describe('apiWith: path parameters and a kept Idempotency-Key', () => {
  test('fills `:id` (escaped) and sends the given key on every attempt', async () => {
    const server = fakeServer();
    const cancel = 'POST /api/v1/cases/case%2F1/cancel';
    server.on(cancel, { status: 503, body: { code: 'SERVICE_UNAVAILABLE', message: '服务繁忙' } }, { status: 200, body: { caseId: 'case/1' } });

    const result = await settle(apiWith('POST /api/v1/cases/:id/cancel', { params: { id: 'case/1' }, idempotencyKey: 'kept-key-1' }, {}));

    expect(result.value).toEqual({ caseId: 'case/1' });
    expect(server.to(cancel).map((r) => r.header['Idempotency-Key'])).toEqual(['kept-key-1', 'kept-key-1']);
    expect(server.to(cancel)[0]?.url).toBe('http://127.0.0.1:3000/api/v1/cases/case%2F1/cancel');
  });

  test('a read with a path parameter carries no Idempotency-Key', async () => {
    const server = fakeServer();
    server.on('GET /api/v1/cases/case_1', { status: 200, body: { caseId: 'case_1' } });

    await settle(apiWith('GET /api/v1/cases/:id', { params: { id: 'case_1' } }));

    expect(server.to('GET /api/v1/cases/case_1')[0]?.header['Idempotency-Key']).toBeUndefined();
    expect(server.to('GET /api/v1/cases/case_1')[0]?.header.Authorization).toBe('Bearer access-1');
  });
});

describe('apiWith: a query, raw bytes, a longer timeout, no retries', () => {
  test('the long poll: `since` in the query, its own timeout', async () => {
    const server = fakeServer();
    server.on('GET /api/v1/cases/case_1/call', { status: 200, body: { rev: 4 } });

    await settle(apiWith('GET /api/v1/cases/:id/call', { params: { id: 'case_1' }, query: { since: 3 }, timeoutMs: 35_000 }));

    expect(server.request).toHaveBeenCalledWith(
      expect.objectContaining({ url: 'http://127.0.0.1:3000/api/v1/cases/case_1/call?since=3', method: 'GET', timeout: 35_000 }),
    );
  });

  test('a chunk goes as an ArrayBuffer with application/octet-stream; JSON bodies stay JSON', async () => {
    const server = fakeServer();
    const put = 'PUT /api/v1/uploads/up_1/chunks/2';
    server.on(put, { status: 200, body: { uploadId: 'up_1', received: [2] } });
    server.on('POST /api/v1/cases/case_1/messages', { status: 201, body: { id: 'm1' } });
    const bytes = new Uint8Array([1, 2, 3, 250]);

    await settle(apiWith('PUT /api/v1/uploads/:uploadId/chunks/:index', { params: { uploadId: 'up_1', index: '2' } }, bytes.buffer));
    await settle(apiWith('POST /api/v1/cases/:id/messages', { params: { id: 'case_1' } }, { text: '你好' }));

    const [chunk] = server.to(put);
    expect(chunk?.header['Content-Type']).toBe('application/octet-stream');
    expect(new Uint8Array(chunk?.data as ArrayBuffer)).toEqual(bytes);
    expect(chunk?.url).toBe('http://127.0.0.1:3000/api/v1/uploads/up_1/chunks/2');
    expect(server.to('POST /api/v1/cases/case_1/messages')[0]?.header['Content-Type']).toBe('application/json');
  });

  test('retry: false makes one attempt only', async () => {
    const server = fakeServer();
    server.on(ME, { fail: 'request:fail timeout' });

    const result = await settle(apiWith(ME, { retry: false }));

    expect(server.to(ME)).toHaveLength(1);
    expect(result.error).toMatchObject({ code: 'NETWORK_FAILED' });
  });
});

describe('types (checked by tsc -p miniprogram/test/tsconfig.json)', () => {
  test('keys pick body and response types', () => {
    const typed = (): void => {
      void api('POST /api/v1/auth/wechat-login', { code: 'c' }).then((s) => s.accessToken.toUpperCase());
      void api('GET /api/v1/me').then((me) => me.verification);
      // @ts-expect-error -- wechat-login needs its body
      void api('POST /api/v1/auth/wechat-login');
      // @ts-expect-error -- wrong body field
      void api('POST /api/v1/auth/refresh', { code: 'c' });
      // @ts-expect-error -- not an endpoint
      void api('GET /api/v1/nope');
      // @ts-expect-error -- a key with `:id` needs its value: apiWith
      void api('GET /api/v1/cases/:id');
      void apiWith('GET /api/v1/cases/:id', { params: { id: 'c' } }).then((c) => c.joinCode);
      // @ts-expect-error -- the parameter is missing
      void apiWith('GET /api/v1/cases/:id', {});
      // @ts-expect-error -- a parameter the path does not have
      void apiWith('GET /api/v1/cases/:id', { params: { caseId: 'c' } });
      void apiWith('POST /api/v1/cases/:id/cancel', { params: { id: 'c' } }, { reason: '不用了' });
      // @ts-expect-error -- cancel still needs its body
      void apiWith('POST /api/v1/cases/:id/cancel', { params: { id: 'c' } });
      void apiWith('POST /api/v1/cases/join', { idempotencyKey: 'k' }, { code: 'ABC123', plate: '粤J12345', factsConfirmed: true });
      void apiWith('PUT /api/v1/uploads/:uploadId/chunks/:index', { params: { uploadId: 'u', index: '0' } }, new ArrayBuffer(1)).then((u) => u.received);
      // @ts-expect-error -- a chunk needs both of its path parameters
      void apiWith('PUT /api/v1/uploads/:uploadId/chunks/:index', { params: { uploadId: 'u' } }, new ArrayBuffer(1));
      // @ts-expect-error -- a chunk is bytes, not JSON
      void apiWith('PUT /api/v1/uploads/:uploadId/chunks/:index', { params: { uploadId: 'u', index: '0' } }, { data: 'x' });
    };
    expect(typeof typed).toBe('function'); // never called: this test exists for the compiler
  });
});
