import jwt from 'jsonwebtoken';
import { DateTime } from 'luxon';
import { deviceCookieName } from '../src/auth/login-device';
import { createTokenService } from '../src/auth/tokens';
import { AuditEntry } from '../src/platform/audit/audit';
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
    expect(blocked.body.message).toMatch(/^登录失败次数过多，请于 (\d+月\d+日 )?\d{2}:\d{2} 后再试（约 \d+ (分钟|秒)）$/);
    // Another account from the same address is not locked by this one's failures.
    expect((await client().post('/api/v1/staff/login', { username: 'ops01', password: PASSWORD })).status).toBe(200);
  });

  it('checks at most the limit of passwords when guesses arrive in parallel', async () => {
    await createStaff({ username: 'target', displayName: '并发', role: 'dispatcher', brigadeCode: 'JM-PJ', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
    const from = { headers: { 'x-forwarded-for': '203.0.113.7' } };
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => client().post('/api/v1/staff/login', { username: 'target', password: `guess-${i}` }, from)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
  });

  describe('lock-out', () => {
    const login = (http: HttpClient, username: string, password: string, from = '198.51.100.1') =>
      http.post('/api/v1/staff/login', { username, password }, { headers: { 'x-forwarded-for': from } });
    const failTimes = async (http: HttpClient, username: string, times: number, from?: string) => {
      for (let i = 0; i < times; i++) expect((await login(http, username, `wrong-${i}`, from)).status).toBe(401);
    };
    /**
     * A whole minute plus 10 s, so the expected "HH:mm" of a lock is known; relative to now, so nothing is
     * stale; not just before Beijing midnight, when the message would name the next day's date.
     */
    const START = (() => {
      const start = Math.ceil(Date.now() / 60_000) * 60_000 + 10_000;
      const local = DateTime.fromMillis(start, { zone: 'Asia/Shanghai' });
      return local.hour === 23 && local.minute >= 50 ? start + 15 * 60_000 : start;
    })();
    const at = (offsetMs: number) => () => new Date(START + offsetMs);
    let n = 0;
    const account = async () => {
      const username = `lock${++n}`;
      await createStaff({ username, displayName: '锁定测试', role: 'dispatcher', brigadeCode: 'JM-PJ', password: PASSWORD }, t.config.PASSWORD_HASH_COST);
      return username;
    };
    afterEach(() => {
      t.services.clock = () => new Date();
    });

    it('tells when to try again, in Beijing time, with Retry-After', async () => {
      t.services.clock = at(0);
      const user = await account();
      await failTimes(client(), user, 3);
      const res = await login(client(), user, PASSWORD);
      expect(res.status).toBe(429);
      expect(res.body.retryAfterSeconds).toBe(60);
      expect(res.headers.get('retry-after')).toBe('60');
      // Locked until START + 60 s (xx:xx:10), shown rounded up to the next whole minute.
      const shown = DateTime.fromMillis(START, { zone: 'Asia/Shanghai' }).plus({ minutes: 2 }).toFormat('HH:mm');
      expect(res.body.message).toBe(`登录失败次数过多，请于 ${shown} 后再试（约 1 分钟）`);
    });

    it('does not count or extend the lock by attempts made while locked', async () => {
      t.services.clock = at(0);
      const user = await account();
      await failTimes(client(), user, 3);
      t.services.clock = at(30_000);
      for (const password of ['wrong-a', PASSWORD, 'wrong-b', 'wrong-c', PASSWORD]) {
        const res = await login(client(), user, password);
        expect(res.status).toBe(429);
        expect(res.body.retryAfterSeconds).toBe(30);
      }
      t.services.clock = at(61_000);
      expect((await login(client(), user, PASSWORD)).status).toBe(200);
    });

    it('forgets failures after LOGIN_FAILURE_WINDOW_SECONDS without one', async () => {
      t.services.clock = at(0);
      const user = await account();
      await failTimes(client(), user, 2);
      t.services.clock = at((t.config.LOGIN_FAILURE_WINDOW_SECONDS + 1) * 1000);
      await failTimes(client(), user, 2);
      expect((await login(client(), user, PASSWORD)).status).toBe(200);
    });

    it('backs off exponentially: each further lock within a day lasts twice as long', async () => {
      const user = await account();
      const waits: number[] = [];
      let offset = 0;
      for (let lock = 0; lock < 3; lock++) {
        t.services.clock = at(offset);
        await failTimes(client(), user, 3);
        const res = await login(client(), user, PASSWORD);
        expect(res.status).toBe(429);
        waits.push(res.body.retryAfterSeconds);
        offset += res.body.retryAfterSeconds * 1000 + 1_000;
      }
      expect(waits).toEqual([60, 120, 240]);
      t.services.clock = at(offset);
      expect((await login(client(), user, PASSWORD)).status).toBe(200);
    });

    it('lets the owner in from a browser they signed in on before, while the account is locked for everyone else', async () => {
      const user = await account();
      const owner = client();
      const first = await login(owner, user, PASSWORD);
      expect(first.status).toBe(200);
      const name = deviceCookieName(t.config, user);
      const deviceCookie = first.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
      // httpOnly, and sent with login requests only.
      expect(deviceCookie).toMatch(/httponly/i);
      expect(deviceCookie).toMatch(/path=\/api\/v1\/staff\/login/i);
      expect(deviceCookie).not.toContain(user);

      const attacker = client();
      await failTimes(attacker, user, 3, '203.0.113.50');
      expect((await login(attacker, user, PASSWORD, '203.0.113.50')).status).toBe(429);
      expect((await login(client(), user, PASSWORD)).status).toBe(429);

      const res = await login(owner, user, PASSWORD);
      expect(res.status).toBe(200);
      // The owner's success does not reopen the account for the others.
      expect((await login(attacker, user, PASSWORD, '203.0.113.50')).status).toBe(429);
    });

    it('does not let one address lock out the other accounts used there', async () => {
      const victim = await account();
      const bystander = await account();
      const owner = client();
      expect((await login(owner, victim, PASSWORD, '192.0.2.9')).status).toBe(200);

      // Many failures from one address (a station's shared NAT), on many accounts including the victim's.
      const shared = '192.0.2.9';
      for (let i = 0; i < 5; i++) await failTimes(client(), `ghost${i}`, 3, shared);
      await failTimes(client(), victim, 3, shared);

      // The victim's owner, on their own browser behind the same address, gets in; so does a bystander.
      expect((await login(owner, victim, PASSWORD, shared)).status).toBe(200);
      expect((await login(client(), bystander, PASSWORD, shared)).status).toBe(200);
    });

    it('judges a trusted browser by its own failures, then as any other client', async () => {
      const user = await account();
      const owner = client();
      expect((await login(owner, user, PASSWORD)).status).toBe(200);
      // The owner mistypes past the limit: their browser is locked, the account is not.
      await failTimes(owner, user, 3);
      expect((await login(client(), user, PASSWORD)).status).toBe(200);
      // Its own budget spent, the browser is judged like any other: the account is open, so it gets in.
      expect((await login(owner, user, PASSWORD)).status).toBe(200);
    });

    it('honours a device cookie only for the account it names, and only when signed by us', async () => {
      const user = await account();
      const other = await account();
      const owner = client();
      expect((await login(owner, user, PASSWORD)).status).toBe(200);
      const stolen = owner.cookie(deviceCookieName(t.config, user))!;

      await failTimes(client(), other, 3);
      const foreign = await client().post('/api/v1/staff/login', { username: other, password: PASSWORD }, { headers: { cookie: `${deviceCookieName(t.config, other)}=${stolen}` } });
      expect(foreign.status).toBe(429);
      const forged = await client().post('/api/v1/staff/login', { username: other, password: PASSWORD }, { headers: { cookie: `${deviceCookieName(t.config, other)}=not.a.token` } });
      expect(forged.status).toBe(429);
    });
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
      loginDeviceTtlSeconds: 60,
      now: () => Date.now() - (t.config.STAFF_SESSION_TTL_SECONDS + 60) * 1000,
    });
    const { token } = past.signStaffSession(String(staff._id), 'ops', staff.sessionVersion);
    const res = await client().get('/api/v1/staff/me', { headers: { cookie: `qh_staff=${token}` } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses a staff session that never expires (no exp claim)', async () => {
    const staff = (await Staff.findOne({ username: 'ops01' }).lean())!;
    const forever = jwt.sign({ typ: 'staff_session', role: 'ops', ver: staff.sessionVersion }, t.config.JWT_SECRET, {
      algorithm: 'HS256',
      issuer: t.config.JWT_ISSUER,
      subject: String(staff._id),
    });
    const res = await client().get('/api/v1/staff/me', { headers: { cookie: `qh_staff=${forever}` } });
    expect(res.status).toBe(401);
  });

  it('does not accept a staff session token as a driver Bearer token', async () => {
    const staff = (await Staff.findOne({ username: 'ops01' }).lean())!;
    const { token } = t.services.tokens.signStaffSession(String(staff._id), 'ops', staff.sessionVersion);
    const res = await client().get('/api/v1/me', { token });
    expect(res.status).toBe(401);
  });

  it('audits a sign-in and a sign-out as the staff member, never a failed guess', async () => {
    const http = client();
    const staff = (await Staff.findOne({ username: 'ops01' }).lean())!;
    const before = await AuditEntry.countDocuments({ actorId: String(staff._id) });
    expect((await http.post('/api/v1/staff/login', { username: 'ops01', password: 'not-the-password' })).status).toBe(401);
    expect((await http.post('/api/v1/staff/login', { username: 'ops01', password: PASSWORD })).status).toBe(200);
    expect((await http.post('/api/v1/staff/logout', {}, WRITE)).status).toBe(200);
    const entries = await AuditEntry.find({ actorId: String(staff._id) }).sort({ _id: 1 }).lean();
    expect(entries.slice(before).map((e) => [e.action, e.actor?.role, e.target?.id])).toEqual([
      ['staff.login', 'ops', String(staff._id)],
      ['staff.logout', 'ops', String(staff._id)],
    ]);
    expect(JSON.stringify(entries)).not.toContain(PASSWORD);
  });

  it('never logs a password', () => {
    expect(t.rawLogs()).not.toContain(PASSWORD);
    expect(t.rawLogs()).not.toContain('another-long-password');
  });
});
