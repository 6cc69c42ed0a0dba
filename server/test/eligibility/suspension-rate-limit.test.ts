import { AuditEntry } from '../../src/platform/audit/audit';
import { ServiceSuspension } from '../../src/eligibility/service-calendar.model';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades } from '../cases/fixtures';

/**
 * Suspending and lifting are audited writes a person makes a few times a day: a script (or a stuck
 * button) repeating them is stopped with a 429 before anything is written, per ops user, suspending
 * and lifting counted apart so a burst of one never holds back the other.
 */
const WRITE = { headers: { 'x-console-request': '1' } };
const PER_MINUTE = 20;

describe('suspend and lift are rate-limited per ops user', () => {
  let t: TestServer;
  const signIn = async (username: string) => {
    await createStaff({ username, displayName: username, role: 'ops', password: 'limit-ops-password' }, t.config.PASSWORD_HASH_COST);
    const http = new HttpClient(t.url);
    expect((await http.post('/api/v1/staff/login', { username, password: 'limit-ops-password' })).status).toBe(200);
    return http;
  };
  beforeAll(async () => {
    t = await startTestServer();
    await seedBrigades();
  });
  afterAll(() => t.close());

  it(`${PER_MINUTE} suspensions a minute, then a 429 in Chinese with the wait, nothing written; lifting has its own ${PER_MINUTE}; a colleague is not held back`, async () => {
    const ops = await signIn('busy-ops');
    const suspend = (by: HttpClient) => by.post('/api/v1/admin/suspensions', { brigadeCode: 'JM-EP', reason: '大雾，能见度不足 50 米' }, WRITE);
    const ids: string[] = [];
    for (let i = 0; i < PER_MINUTE; i++) {
      const res = await suspend(ops);
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const refused = await suspend(ops);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'EDIT_RATE_LIMITED', message: expect.stringMatching(/^操作太频繁，请 \d+ 秒后再试$/), retryAfterSeconds: expect.any(Number) });
    expect(refused.body.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.body.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(refused.headers.get('retry-after')).toBe(String(refused.body.retryAfterSeconds));
    expect(await ServiceSuspension.countDocuments()).toBe(PER_MINUTE);
    expect(await AuditEntry.countDocuments({ action: 'service.suspend' })).toBe(PER_MINUTE);

    // Lifting is counted apart: all twenty come off, then the next lift is refused the same way.
    for (const id of ids) expect((await ops.post(`/api/v1/admin/suspensions/${id}/lift`, {}, WRITE)).status).toBe(200);
    const tooMany = await ops.post(`/api/v1/admin/suspensions/${ids[0]}/lift`, {}, WRITE);
    expect(tooMany.status).toBe(429);
    expect(tooMany.body.code).toBe('EDIT_RATE_LIMITED');
    expect(await AuditEntry.countDocuments({ action: 'service.lift_suspension' })).toBe(PER_MINUTE);

    const colleague = await signIn('calm-ops');
    const theirs = await suspend(colleague);
    expect(theirs.status).toBe(201);
    expect((await colleague.post(`/api/v1/admin/suspensions/${theirs.body.id}/lift`, {}, WRITE)).status).toBe(200);
  });
});
