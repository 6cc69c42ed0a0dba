import { HttpClient } from './http';
import { startTestServer, type TestServer } from './harness';

/**
 * What the contract fuzz sent the staff login: strings the database engine cannot store (a NUL byte)
 * must be refused as a bad request before anything is written, never answered 500.
 */
describe('staff login: hostile usernames and passwords', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  // Refused at the edge like a NUL in any field (the body never reaches the login): no attempt is counted.
  it('a NUL byte in the password is a 400 naming the field', async () => {
    const res = await new HttpClient(t.url).post('/api/v1/staff/login', { username: 'disp01', password: 'pass\u0000word' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'password', message: expect.stringContaining('U+0000') }] });
  });

  it.each([
    ['disp\u000001', 'U+0000'],
    ['\u0000', 'U+0000'],
    ['ops\u001b', '用户名格式不正确'],
  ])('username %j is a 400 in the error shape', async (username, message) => {
    const res = await new HttpClient(t.url).post('/api/v1/staff/login', { username, password: 'whatever-password' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String), issues: [{ path: 'username', message: expect.stringContaining(message) }] });
  });
});
