import { Redis } from 'ioredis';
import { RateLimitEvent } from '../../src/platform/rate-limit/rate-limit.model';
import { createStaff } from '../../src/staff/staff.service';
import { startTestServer, type TestServer } from '../harness';
import { driverPastFace, startTwoInstances } from './redis-instances';

/**
 * Rate limits, burst brakes and the staff login lock-out hold across instances: what is spent through
 * one instance is spent on the other (Redis here; the lock-out in the database, as always).
 */
const LIMITS = { FACE_MAX_FAILURES: '2', LOGIN_MAX_FAILURES: '3', CERT_VERIFY_MAX_PER_MINUTE: '3' };
const PASSWORD = 'redis-limits-password';
const verify = (t: TestServer) => t.http.get('/api/v1/certificates/JM-PJ-2026-000001/verify');

describe('limits shared through Redis by two instances', () => {
  let a: TestServer;
  let b: TestServer;
  let redis: Redis;
  beforeAll(async () => {
    [a, b] = await startTwoInstances(process.env.TEST_REDIS_URL!, LIMITS);
    redis = new Redis(process.env.TEST_REDIS_URL!);
  });
  afterAll(async () => {
    redis?.disconnect();
    await b?.close();
    await a?.close();
  });

  it('the SMS send limit: a code sent through A, the next one through B is refused 429 SMS_RATE_LIMITED', async () => {
    const driver = await driverPastFace(a, '13922223333', [a, b]);
    expect((await driver.sendThrough(a)).status).toBe(200);
    const again = await driver.sendThrough(b);
    expect(again.status).toBe(429);
    expect(again.body.code).toBe('SMS_RATE_LIMITED');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(b.fakes.sms.lastTo('13922223333')).toBeUndefined();
    // Counted in Redis, not in the database's fallback.
    expect(await redis.zcard(`qh:${a.config.MONGODB_DB}:rl:sms-send-minute/sms-send:13922223333`)).toBe(2);
    expect(await RateLimitEvent.countDocuments({ key: /^sms-send/ })).toBe(0);
  });

  it('the staff login lock-out: two wrong passwords through A, the third through B locks the account on both', async () => {
    await createStaff({ username: 'redis-lock', displayName: '锁定测试', role: 'dispatcher', brigadeCode: 'JM-PJ', password: PASSWORD }, a.config.PASSWORD_HASH_COST);
    const login = (t: TestServer, password: string) => t.http.post('/api/v1/staff/login', { username: 'redis-lock', password });
    for (let i = 0; i < 2; i++) expect((await login(a, `wrong-${i}`)).body).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    const third = await login(b, 'wrong-2');
    expect(third.status).toBe(401);
    expect(third.body.message).toMatch(/失败次数过多/);
    for (const t of [b, a]) {
      const blocked = await login(t, PASSWORD);
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('LOGIN_RATE_LIMITED');
    }
  });

  it('burst brakes: the per-address certificate check limit counts requests to both instances', async () => {
    expect((await verify(a)).status).toBe(404);
    expect((await verify(b)).status).toBe(404);
    expect((await verify(a)).status).toBe(404);
    const fourth = await verify(b);
    expect(fourth.status).toBe(429);
    expect(fourth.body.code).toBe('VERIFY_RATE_LIMITED');
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await verify(a)).status).toBe(429);
  });
});

describe('without REDIS_URL (the single-instance default)', () => {
  it('each instance brakes on its own count', async () => {
    const a = await startTestServer({ env: LIMITS });
    const b = await startTestServer({ env: LIMITS });
    try {
      for (let i = 0; i < 3; i++) expect((await verify(a)).status).toBe(404);
      expect((await verify(b)).status).toBe(404);
      expect((await verify(a)).status).toBe(429);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
