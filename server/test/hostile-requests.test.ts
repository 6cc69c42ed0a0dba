import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createStaff } from '../src/staff/staff.service';
import { Staff } from '../src/staff/staff.model';
import { HttpClient } from './http';
import { startTestServer, type TestServer } from './harness';
import { verifiedDriver, type TestDriver } from './cases/fixtures';

/**
 * Requests an attacker (or a dying phone) sends: bodies cut short, methods nobody serves, JSON nested
 * to blow a stack. Each must get a 4xx/5xx-free answer fast, and the process must go on serving.
 */

interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/** Sends bytes as they are over a plain socket (fetch would fix up lengths and refuse TRACE). */
function sendRaw(url: string, head: string, body: Buffer = Buffer.alloc(0), options: { endAfterBody?: boolean } = {}): Promise<RawResponse | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, 10_000);
    socket.on('connect', () => {
      socket.write(head.replace(/\n/g, '\r\n') + '\r\n');
      socket.write(body);
      // Half-close: the client is done sending (a phone that lost the rest of its upload).
      if (options.endAfterBody) socket.end();
    });
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      const length = /content-length:\s*(\d+)/i.exec(text)?.[1];
      if (headEnd >= 0 && length !== undefined && text.length >= headEnd + 4 + Number(length)) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return resolve(null);
      const [headText, ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headText!)?.[1]), head: headText!, body: rest.join('\r\n\r\n') });
    });
  });
}

describe('hostile requests', () => {
  let t: TestServer;
  let driver: TestDriver;
  let ops: HttpClient;
  let opsCookie: string;
  const host = () => new URL(t.url).host;

  beforeAll(async () => {
    t = await startTestServer();
    driver = await verifiedDriver(t);
    await createStaff({ username: 'ops-hostile', displayName: '运维', role: 'ops', password: 'ops-password-0001' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    await ops.post('/api/v1/staff/login', { username: 'ops-hostile', password: 'ops-password-0001' });
    opsCookie = `${t.config.STAFF_COOKIE_NAME}=${ops.cookie(t.config.STAFF_COOKIE_NAME)}`;
  });
  afterAll(() => t.close());

  const stillServing = async () => expect((await t.http.get('/healthz')).status).toBe(200);
  const noUnhandledErrors = () => expect(t.logs.filter((l) => l.msg === 'unhandled error')).toEqual([]);

  describe('truncated uploads (item 1)', () => {
    it('a multipart ID photo whose body ends inside the file gets 400, and the process serves on', async () => {
      const body = Buffer.concat([
        Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'),
        Buffer.from([0xff, 0xd8, 0xff]),
      ]);
      const res = await sendRaw(
        t.url,
        `POST /api/v1/verification/id-photos HTTP/1.1\nHost: ${host()}\nAuthorization: Bearer ${driver.token}\nContent-Type: multipart/form-data; boundary=x\nContent-Length: ${body.length}\nConnection: close\n`,
        body,
      );
      expect(res?.status).toBe(400);
      expect(JSON.parse(res!.body).code).toBe('VALIDATION_FAILED');
      await stillServing();
    });

    it('a multipart body cut off mid-send (connection half-closed) never hangs the request or the process', async () => {
      const part = Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff', 'latin1');
      const res = await sendRaw(
        t.url,
        `POST /api/v1/verification/id-photos HTTP/1.1\nHost: ${host()}\nAuthorization: Bearer ${driver.token}\nContent-Type: multipart/form-data; boundary=x\nContent-Length: ${part.length + 5000}\n`,
        part,
        { endAfterBody: true },
      );
      // The client is gone before its body is; whatever it hears (if anything) is not a 5xx.
      if (res) expect(res.status).toBeLessThan(500);
      await stillServing();
    });

    const rawRoutes = () => [
      { name: 'an evidence chunk', head: (len: number) => `PUT /api/v1/uploads/${'0'.repeat(32)}/chunks/0 HTTP/1.1\nHost: ${host()}\nAuthorization: Bearer ${driver.token}\nContent-Type: application/octet-stream\nContent-Length: ${len}\n` },
      { name: 'a desk still frame', head: (len: number) => `POST /api/v1/desk/cases/${'0'.repeat(24)}/frames HTTP/1.1\nHost: ${host()}\nCookie: ${opsCookie}\nX-Console-Request: 1\nContent-Type: image/jpeg\nContent-Length: ${len}\n` },
      { name: 'the road layer', head: (len: number) => `PUT /api/v1/admin/road-layer HTTP/1.1\nHost: ${host()}\nCookie: ${opsCookie}\nX-Console-Request: 1\nContent-Type: application/geo+json\nContent-Length: ${len}\n` },
      { name: 'a JSON body', head: (len: number) => `POST /api/v1/cases HTTP/1.1\nHost: ${host()}\nAuthorization: Bearer ${driver.token}\nContent-Type: application/json\nIdempotency-Key: ${randomUUID()}\nContent-Length: ${len}\n` },
      { name: 'a multipart ID photo', head: (len: number) => `POST /api/v1/verification/id-photos HTTP/1.1\nHost: ${host()}\nAuthorization: Bearer ${driver.token}\nContent-Type: multipart/form-data; boundary=x\nContent-Length: ${len}\n` },
    ];

    it.each(rawRoutes().map((r) => [r.name]))('%s cut off mid-send leaves the process serving, with no unhandled error', async (name) => {
      const route = rawRoutes().find((r) => r.name === name)!;
      const sent = Buffer.from('{"type":"FeatureCollection","features":[', 'utf8');
      const res = await sendRaw(t.url, route.head(sent.length + 10_000), sent, { endAfterBody: true });
      if (res) expect(res.status).toBeLessThan(500);
      await stillServing();
      noUnhandledErrors();
    });
  });

  describe('methods nobody serves (item 9)', () => {
    it.each([['TRACE'], ['PROPFIND'], ['MKCOL']])('%s answers 405/501 in our error shape, without an error in the log', async (method) => {
      const res = await sendRaw(t.url, `${method} /api/v1/cases HTTP/1.1\nHost: ${host()}\nConnection: close\n`);
      expect([405, 501]).toContain(res?.status);
      expect(JSON.parse(res!.body)).toEqual({ code: expect.stringMatching(/^(METHOD_NOT_ALLOWED|NOT_IMPLEMENTED)$/), message: expect.any(String), requestId: expect.any(String) });
      expect(t.logs.filter((l) => l.level === 50 || l.msg === 'unhandled error')).toEqual([]);
    });
  });

  describe('deeply nested JSON (item 10)', () => {
    it('3 000 000 `[` gets a 4xx at once, not a 500 after seconds', async () => {
      const body = Buffer.from('['.repeat(3_000_000));
      const res = await sendRaw(t.url, `POST /api/v1/cases HTTP/1.1\nHost: ${host()}\nAuthorization: Bearer ${driver.token}\nContent-Type: application/json\nContent-Length: ${body.length}\nConnection: close\n`, body);
      expect(res?.status).toBeGreaterThanOrEqual(400);
      expect(res?.status).toBeLessThan(500);
    });

    it('a balanced array nested 100 000 deep, inside the size limit, gets 400 JSON_TOO_DEEP', async () => {
      const depth = 100_000;
      const res = await t.http.post('/api/v1/safety-checks', undefined, { token: driver.token, raw: '['.repeat(depth) + ']'.repeat(depth) });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('JSON_TOO_DEEP');
      noUnhandledErrors();
    });

    it('an object nested 40 000 deep gets 400 too, and a sane body still parses', async () => {
      const depth = 40_000;
      const res = await t.http.post('/api/v1/safety-checks', undefined, { token: driver.token, raw: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('JSON_TOO_DEEP');
      // Brackets inside strings are text, not nesting.
      const ok = await driver.post('/api/v1/safety-checks', { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true, note: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' });
      expect(ok.status).toBeLessThan(300);
    });

    it('a road layer nested 100 000 deep gets 400, not a stack overflow', async () => {
      const depth = 100_000;
      const text = '{"type":"FeatureCollection","features":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
      const res = await ops.request('PUT', '/api/v1/admin/road-layer', undefined, { raw: text, headers: { 'content-type': 'application/geo+json', 'x-console-request': '1' } });
      expect(res.status).toBe(400);
      noUnhandledErrors();
    });
  });

  describe('NUL characters in what people type (found by npm run fuzz)', () => {
    it('a staff account named "\\u0000" gets 400, not a 500 from the engine, and nothing is stored', async () => {
      const res = await ops.post('/api/v1/admin/staff', { username: 'nul-name', displayName: '\u0000', role: 'ops', password: 'ops-password-0002' }, { headers: { 'x-console-request': '1' } });
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.message).toContain('U+0000');
      expect(await Staff.exists({ username: 'nul-name' })).toBeNull();
      noUnhandledErrors();
    });

    it('a NUL in any field or key of a JSON body gets 400 naming it; an escaped backslash before "u0000" is text', async () => {
      const raw = '{"hazardLightsOn":true,"warningTrianglePlaced":true,"peopleInSafePlace":true,"extra":{"list":["ok","a\\u0000"]}}';
      const res = await t.http.post('/api/v1/safety-checks', undefined, { token: driver.token, raw });
      expect([res.status, res.body.code, res.body.issues]).toEqual([400, 'VALIDATION_FAILED', [{ path: 'extra.list.1', message: expect.stringContaining('U+0000') }]]);
      const inKey = await t.http.post('/api/v1/safety-checks', undefined, { token: driver.token, raw: '{"x\\u0000":1}' });
      expect([inKey.status, inKey.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const text = await driver.post('/api/v1/safety-checks', { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true, note: '\\u0000' });
      expect(text.status).toBeLessThan(300);
      noUnhandledErrors();
    });
  });
});
