import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type LocalRedis } from '../../../scripts/lib/redis-server';
import { RateLimitEvent } from '../../src/platform/rate-limit/rate-limit.model';
import { createStaff } from '../../src/staff/staff.service';
import { report, verifiedDriver } from '../cases/fixtures';
import type { TestServer } from '../harness';
import { dispatcherCookie, driverPastFace, hasCase, openQueueStream, startTwoInstances, type QueueStream } from './redis-instances';

/**
 * Two instances over one Redis (this file's own, so it can be killed): a case reported through A is on
 * the live queue of a console connected to B; with Redis dead the service goes on (reports, limits as
 * chosen, no 500) and once Redis is back on its port B's console hears again and catches up.
 */
describe('the live queue across instances, through Redis', () => {
  let dataDir: string;
  let redis: LocalRedis;
  let a: TestServer;
  let b: TestServer;
  let onB: QueueStream;
  let onA: QueueStream;
  const statuses: number[] = [];
  const track = <T extends { status: number }>(res: T) => {
    statuses.push(res.status);
    return res;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'qh-redis-pubsub-'));
    redis = await startRedis({ dataDir, ephemeral: true });
    [a, b] = await startTwoInstances(redis.url, { FACE_MAX_FAILURES: '2', LOGIN_MAX_FAILURES: '3', CERT_VERIFY_MAX_PER_MINUTE: '2' });
    const cookie = await dispatcherCookie(b, 'redis-desk');
    onB = await openQueueStream(b, cookie);
    onA = await openQueueStream(a, cookie);
    await onB.next(() => true, 'the first snapshot on B');
  });
  afterAll(async () => {
    onA?.close();
    onB?.close();
    await b?.close();
    await a?.close();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a case reported through instance A appears on the live queue of a console connected to instance B', async () => {
    const driver = await verifiedDriver(a);
    const reported = track(await report(driver, { plate: '粤J70001' }));
    expect(reported.status).toBe(201);
    const shown = await onB.next(hasCase(reported.body.caseId), 'the case reported through A');
    expect(shown.items.find((i: any) => i.caseId === reported.body.caseId)).toMatchObject({ plates: ['粤J70001'] });
  });

  let reportedDuringOutage: string;
  it('with Redis killed, reports still succeed, brakes let requests through, rate limits count in the database, no 500', async () => {
    await redis.kill();
    const started = Date.now();
    const driver = await verifiedDriver(a);
    const reported = track(await report(driver, { plate: '粤J70002' }));
    expect(reported.status).toBe(201);
    reportedDuringOutage = reported.body.caseId;
    // A console on the instance that took the report hears at once: its own listeners do not need Redis.
    await onA.next(hasCase(reportedDuringOutage), 'the outage case on A', 5);

    // Burst brakes fail open: past CERT_VERIFY_MAX_PER_MINUTE (2), still answered.
    for (const t of [a, b, a, b]) expect(track(await t.http.get('/api/v1/certificates/JM-PJ-2026-000009/verify')).status).toBe(404);

    // Rate limits fall back to the database's count, which both instances share.
    const sms = await driverPastFace(a, '13977778888', [a, b]);
    expect(track(await sms.sendThrough(a)).status).toBe(200);
    const again = track(await sms.sendThrough(b));
    expect(again.status).toBe(429);
    expect(again.body.code).toBe('SMS_RATE_LIMITED');
    expect(await RateLimitEvent.countDocuments({ key: 'sms-send-minute/sms-send:13977778888' })).toBe(2);

    // The login lock-out never depended on Redis.
    await createStaff({ username: 'redis-outage', displayName: '锁定测试', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'redis-outage-password' }, a.config.PASSWORD_HASH_COST);
    for (const t of [a, a, b]) track(await t.http.post('/api/v1/staff/login', { username: 'redis-outage', password: 'wrong' }));
    const locked = track(await b.http.post('/api/v1/staff/login', { username: 'redis-outage', password: 'redis-outage-password' }));
    expect(locked.body.code).toBe('LOGIN_RATE_LIMITED');

    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // Nothing waited on the dead Redis for long (a command times out after 1 s; a known-dead one is skipped).
    expect(Date.now() - started).toBeLessThan(20_000);
    // Logged as a warning, once per connection: no unhandled 'error' event, no error storm.
    const warnings = [...a.logs, ...b.logs].filter((l) => l.msg === 'redis unreachable: retrying in the background');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(6);
  });

  it('Redis restarted on the same port: the console on B catches up on what it missed and hears new cases again', async () => {
    redis = await startRedis({ dataDir, port: redis.port, ephemeral: true });
    // The reconnect says "re-read" to B's open streams: the case reported during the outage shows up.
    await onB.next(hasCase(reportedDuringOutage), 'the case reported while Redis was down', 15);
    const driver = await verifiedDriver(a);
    const reported = track(await report(driver, { plate: '粤J70003' }));
    expect(reported.status).toBe(201);
    await onB.next(hasCase(reported.body.caseId), 'a case reported through A after the restart');
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });
});
