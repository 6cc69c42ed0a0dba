import { request } from 'node:http';
import { startTestServer, type TestServer } from '../harness';

/** One request with any method (fetch refuses TRACE), answered as status and parsed body. */
function send(url: string, method: string, path: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * What the contract fuzz sent every path: methods the router does not implement at all (TRACE, QUERY)
 * were answered 501, a server error, for what is the client's mistake about a resource we do serve.
 */
describe('methods a served path does not take', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it.each([['TRACE'], ['QUERY'], ['PROPFIND']])('%s on a served path is 405 METHOD_NOT_ALLOWED', async (method) => {
    const res = await send(t.url, method, '/api/v1/cases/current');
    expect(res.status).toBe(405);
    expect(res.body).toEqual({ code: 'METHOD_NOT_ALLOWED', message: expect.any(String), requestId: expect.any(String) });
  });

  it('a method the path does not take among the usual ones is 405 as before', async () => {
    const res = await send(t.url, 'DELETE', '/api/v1/cases/current');
    expect(res.status).toBe(405);
    expect(res.body.code).toBe('METHOD_NOT_ALLOWED');
  });
});
