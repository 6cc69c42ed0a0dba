import { startTestServer, type TestServer } from './harness';

describe('error format', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      extend: (app) =>
        app.use((ctx) => {
          if (ctx.path === '/test/boom') throw new Error('database password is hunter2');
        }),
    });
  });
  afterAll(() => t.close());

  it('answers an unknown route with 404 { code, message, requestId }', async () => {
    const res = await t.http.get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('/api/v1/nope'), requestId: expect.any(String) });
    expect(res.headers.get('x-request-id')).toBe(res.body.requestId);
  });

  it('answers a wrong method with 405', async () => {
    const res = await t.http.request('DELETE', '/api/v1/auth/wechat-login');
    expect(res.status).toBe(405);
    expect(res.body.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const res = await t.http.post('/api/v1/auth/wechat-login', undefined, { raw: '{"code": ' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_JSON');
  });

  it('answers a zod validation failure with 400 and the field path', async () => {
    const res = await t.http.post('/api/v1/auth/wechat-login', { code: 42 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.issues).toEqual([{ path: 'code', message: expect.any(String) }]);
    expect(res.body.message).toMatch(/^请求参数有误：code：/);
  });

  it('answers a body over the limit with 413', async () => {
    const res = await t.http.post('/api/v1/auth/wechat-login', { code: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unexpected failure with a plain 500: no stack, no internals, but logged', async () => {
    const res = await t.http.get('/test/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: 'INTERNAL_ERROR', message: expect.any(String), requestId: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|at .*\.ts/);
    const logged = t.logs.find((l) => l.msg === 'unhandled error' && l.requestId === res.body.requestId);
    expect(logged).toBeDefined();
  });

  it('keeps a sane incoming X-Request-Id and replaces a hostile one', async () => {
    const kept = await t.http.get('/healthz', { headers: { 'x-request-id': 'lb-1234567890' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-1234567890');
    const replaced = await t.http.get('/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
