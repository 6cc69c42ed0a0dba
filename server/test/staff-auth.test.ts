import { createTokenService } from '../src/auth/tokens';
import { Staff } from '../src/staff/staff.model';
import { createStaff } from '../src/staff/staff.service';
import { HttpClient } from './http';
import { startTestServer, type TestServer } from './harness';
import { seedBrigades } from './cases/fixtures';

const PASSWORD = 'correct-horse-battery';

describe('staff login and roles', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { LOGIN_MAX_FAILURES: '3', TRUST_PROXY: 'true' } });
    await seedBrigades();
    await createStaff({ username: 'disp01', displayName: '张接警', role: 'dispatcher', brigadeCode: 'JM-PJ', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'ops01', displayName: '李运维', role: 'ops', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'locked', displayName: '王锁定', role: 'dispatcher', brigadeCode: 'JM-PJ', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
  });
  afterAll(() => t.close());

  const client = () => new HttpClient(t.url);
  const WRITE = { headers: { 'x-console-request': '1' } };

  it('logs in with a httpOnly, SameSite=Strict session cookie and says who is in', async () => {
    const http = client();
    const res = await http.post('/api/v1/staff/login', { username: 'Disp01 ', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.staff).toEqual({ id: expect.any(String), username: 'disp01', displayName: '张接警', role: 'dispatcher', brigadeCode: 'JM-PJ' });
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/qh_staff=[^;]+;.*httponly/i);
    expect(setCookie).toMatch(/samesite=strict/i);
    expect(JSON.stringify(res.body)).not.toContain(http.cookie('qh_staff')!);

    const me = await http.get('/api/v1/staff/me');
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('disp01');
    expect((await Staff.findOne({ username: 'disp01' }).lean())!.passwordHash).toMatch(/^\$2[aby]\$10\$/);
  });

  it('answers a wrong password and an unknown user alike: 401 INVALID_CREDENTIALS', async () => {
    const wrong = await client().post('/api/v1/staff/login', { username: 'ops01', password: 'nope' });
    const unknown = await client().post('/api/v1/staff/login', { username: 'ghost', password: 'nope' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
      expect(res.headers.getSetCookie()).toHaveLength(0);
    }
  });

  it('lets ops into admin routes and answers a dispatcher there with 403', async () => {
    const ops = client();
    await ops.post('/api/v1/staff/login', { username: 'ops01', password: PASSWORD });
    const list = await ops.get('/api/v1/admin/staff');
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { username: string }) => s.username)).toEqual(expect.arrayContaining(['disp01', 'ops01']));
    expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|\$2[aby]\$/);

    const dispatcher = client();
    await dispatcher.post('/api/v1/staff/login', { username: 'disp01', password: PASSWORD });
    const denied = await dispatcher.get('/api/v1/admin/staff');
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
  });

  it('requires the console header on cookie-authenticated writes (CSRF)', async () => {
    const ops = client();
    await ops.post('/api/v1/staff/login', { username: 'ops01', password: PASSWORD });
    const account = { username: 'officer01', displayName: '赵民警', role: 'officer', brigadeCode: 'JM-XH', password: 'another-long-password' };
    const forged = await ops.post('/api/v1/admin/staff', account);
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('CSRF_REJECTED');
    const created = await ops.post('/api/v1/admin/staff', account, WRITE);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'officer01', role: 'officer' });
    const duplicate = await ops.post('/api/v1/admin/staff', account, WRITE);
    expect(duplicate.status).toBe(409);
  });

  it('validates new accounts: a dispatcher needs a brigade, passwords need 12 characters', async () => {
    const ops = client();
    await ops.post('/api/v1/staff/login', { username: 'ops01', password: PASSWORD });
    const res = await ops.post('/api/v1/admin/staff', { username: 'x1y', displayName: '某', role: 'dispatcher', password: 'short' }, WRITE);
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['brigadeCode', 'password']);
  });

  it('rate-limits repeated failures: past the limit even the right password gets 429', async () => {
    const http = client();
    for (let i = 0; i < 3; i++) expect((await http.post('/api/v1/staff/login', { username: 'locked', password: `bad-${i}` })).status).toBe(401);
    const blocked = await http.post('/api/v1/staff/login', { username: 'locked', password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('LOGIN_RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from the same address is not locked by this one's failures.
    expect((await client().post('/api/v1/staff/login', { username: 'ops01', password: PASSWORD })).status).toBe(200);
  });

  it('checks at most the limit of passwords when guesses arrive in parallel', async () => {
    await createStaff({ username: 'target', displayName: '并发', role: 'dispatcher', brigadeCode: 'JM-PJ', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    // From their own address (behind the trusted proxy), so this flood does not lock the shared test address.
    const from = { headers: { 'x-forwarded-for': '203.0.113.7' } };
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => client().post('/api/v1/staff/login', { username: 'target', password: `guess-${i}` }, from)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
  });

  it('logs out: the cookie is cleared and a copy of it no longer works either', async () => {
    const http = client();
    expect((await http.post('/api/v1/staff/login', { username: 'ops01', password: PASSWORD })).status).toBe(200);
    const copied = http.cookie('qh_staff')!;
    expect(copied).toBeTruthy();
    expect((await http.post('/api/v1/staff/logout')).body).toEqual({ ok: true });
    expect(http.cookie('qh_staff')).toBeUndefined();
    expect((await http.get('/api/v1/staff/me')).status).toBe(401);
    const replay = await client().get('/api/v1/staff/me', { headers: { cookie: `qh_staff=${copied}` } });
    expect(replay.status).toBe(401);
  });

  it('locks a disabled account out of its live session at once', async () => {
    const http = client();
    await http.post('/api/v1/staff/login', { username: 'disp01', password: PASSWORD });
    expect((await http.get('/api/v1/staff/me')).status).toBe(200);
    await Staff.updateOne({ username: 'disp01' }, { $set: { disabled: true } });
    const res = await http.get('/api/v1/staff/me');
    expect(res.status).toBe(401);
    await Staff.updateOne({ username: 'disp01' }, { $set: { disabled: false } });
  });

  it('answers an expired staff session with 401 TOKEN_EXPIRED', async () => {
    const staff = (await Staff.findOne({ username: 'ops01' }).lean())!;
    const past = createTokenService({
      secret: t.config.JWT_SECRET,
      issuer: t.config.JWT_ISSUER,
      driverAccessTtlSeconds: 60,
      staffSessionTtlSeconds: t.config.STAFF_SESSION_TTL_SECONDS,
      now: () => Date.now() - (t.config.STAFF_SESSION_TTL_SECONDS + 60) * 1000,
    });
    const { token } = past.signStaffSession(String(staff._id), 'ops', staff.sessionVersion);
    const res = await client().get('/api/v1/staff/me', { headers: { cookie: `qh_staff=${token}` } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_EXPIRED');
  });

  it('does not accept a staff session token as a driver Bearer token', async () => {
    const staff = (await Staff.findOne({ username: 'ops01' }).lean())!;
    const { token } = t.services.tokens.signStaffSession(String(staff._id), 'ops', staff.sessionVersion);
    const res = await client().get('/api/v1/me', { token });
    expect(res.status).toBe(401);
  });

  it('never logs a password', () => {
    expect(t.rawLogs()).not.toContain(PASSWORD);
    expect(t.rawLogs()).not.toContain('another-long-password');
  });
});
