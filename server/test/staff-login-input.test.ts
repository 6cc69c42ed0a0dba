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

  // A password is only hashed and compared, never stored: a NUL there is simply a wrong password.
  it('a NUL byte in the password is a wrong password', async () => {
    const res = await new HttpClient(t.url).post('/api/v1/staff/login', { username: 'disp01', password: 'pass\u0000word' });
    expect(res.status).toBe(401);
  });

  it.each([['disp\u000001'], ['\u0000'], ['ops\u001b']])('username %j is a 400 in the error shape', async (username) => {
    const res = await new HttpClient(t.url).post('/api/v1/staff/login', { username, password: 'whatever-password' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String), issues: [{ path: 'username', message: '用户名格式不正确' }] });
  });
});
