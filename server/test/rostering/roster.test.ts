import { AuditEntry } from '../../src/platform/audit/audit';
import { createStaff } from '../../src/staff/staff.service';
import { seedBrigades } from '../cases/fixtures';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';

/** Monday 09:00 is hour 9 of the week, Wednesday 14:00 is 2 × 24 + 14. */
const MONDAY_9 = 9;
const WEDNESDAY_14 = 2 * 24 + 14;

describe('rosters: /api/v1/admin/rosters/:brigadeCode (ops, versioned, audited)', () => {
  let t: TestServer;
  let ops: HttpClient;
  let desk: HttpClient;
  const WRITE = { headers: { 'x-console-request': '1' } };
  const week = (set: Record<number, number> = {}) => Array.from({ length: 168 }, (_, i) => set[i] ?? 0);
  const put = (client: HttpClient, code: string, body: unknown) => client.request('PUT', `/api/v1/admin/rosters/${code}`, body, WRITE);

  beforeAll(async () => {
    t = await startTestServer();
    await seedBrigades();
    await createStaff({ username: 'roster-ops', displayName: '运维', role: 'ops', password: 'roster-ops-password' }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'roster-desk', displayName: '蓬江接警', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'roster-ops-password' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    await ops.post('/api/v1/staff/login', { username: 'roster-ops', password: 'roster-ops-password' });
    desk = new HttpClient(t.url);
    await desk.post('/api/v1/staff/login', { username: 'roster-desk', password: 'roster-ops-password' });
  });
  afterAll(() => t.close());

  it('reads as empty (every hour 0, not saved) before anyone saves one', async () => {
    const res = await ops.get('/api/v1/admin/rosters/JM-PJ');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ brigadeCode: 'JM-PJ', rev: 0, saved: false, dispatchers: week(), changedBy: null, changedAt: null });
  });

  it('saves on top of the revision read, reads it back, and audits the hours that changed', async () => {
    const saved = await put(ops, 'JM-PJ', { basedOnRev: 0, dispatchers: week({ [MONDAY_9]: 3, [WEDNESDAY_14]: 2 }) });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ brigadeCode: 'JM-PJ', rev: 1, saved: true, changedBy: 'roster-ops' });
    const read = (await ops.get('/api/v1/admin/rosters/JM-PJ')).body;
    expect(read).toMatchObject({ rev: 1, saved: true, changedBy: 'roster-ops' });
    expect(read.dispatchers).toEqual(week({ [MONDAY_9]: 3, [WEDNESDAY_14]: 2 }));
    // Other brigades keep their own (still empty) roster.
    expect((await ops.get('/api/v1/admin/rosters/JM-TS')).body).toMatchObject({ rev: 0, saved: false });

    const entries = await AuditEntry.find({ action: 'roster.save', 'target.id': 'JM-PJ' }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor).toMatchObject({ kind: 'ops', username: 'roster-ops' });
    expect(entries[0]!.details).toEqual({
      rev: 1,
      changes: [
        { weekday: 1, hour: 9, from: 0, to: 3 },
        { weekday: 3, hour: 14, from: 0, to: 2 },
      ],
    });
  });

  it('refuses a save on a stale revision (409) and keeps the roster saved first', async () => {
    const stale = await put(ops, 'JM-PJ', { basedOnRev: 0, dispatchers: week({ [MONDAY_9]: 9 }) });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('他人') });
    expect((await ops.get('/api/v1/admin/rosters/JM-PJ')).body.dispatchers[MONDAY_9]).toBe(3);
  });

  it('lets one of two saves on the same revision through and refuses the other', async () => {
    const [a, b] = await Promise.all([
      put(ops, 'JM-PJ', { basedOnRev: 1, dispatchers: week({ [MONDAY_9]: 4 }) }),
      put(ops, 'JM-PJ', { basedOnRev: 1, dispatchers: week({ [MONDAY_9]: 5 }) }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? 4 : 5;
    expect((await ops.get('/api/v1/admin/rosters/JM-PJ')).body).toMatchObject({ rev: 2 });
    expect((await ops.get('/api/v1/admin/rosters/JM-PJ')).body.dispatchers[MONDAY_9]).toBe(winner);
  });

  it.each([
    ['167 hours', { basedOnRev: 2, dispatchers: week().slice(1) }, 'dispatchers'],
    ['169 hours', { basedOnRev: 2, dispatchers: [...week(), 0] }, 'dispatchers'],
    ['a negative count', { basedOnRev: 2, dispatchers: week({ 5: -1 }) }, 'dispatchers.5'],
    ['more than 50', { basedOnRev: 2, dispatchers: week({ 7: 51 }) }, 'dispatchers.7'],
    ['a fraction', { basedOnRev: 2, dispatchers: week({ 8: 1.5 }) }, 'dispatchers.8'],
    ['text', { basedOnRev: 2, dispatchers: week().map((n, i) => (i === 3 ? '2' : n)) }, 'dispatchers.3'],
    ['no revision', { dispatchers: week() }, 'basedOnRev'],
  ])('refuses %s (400 naming the field)', async (_name, body, path) => {
    const res = await put(ops, 'JM-PJ', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.issues[0].path).toBe(path);
  });

  it('says 404 for a brigade that does not exist and 400 for a malformed code', async () => {
    expect((await ops.get('/api/v1/admin/rosters/JM-XX')).status).toBe(404);
    expect((await put(ops, 'JM-XX', { basedOnRev: 0, dispatchers: week() })).status).toBe(404);
    expect((await ops.get('/api/v1/admin/rosters/jm-pj')).status).toBe(400);
  });

  it('is for ops only: 401 without a session, 403 for a dispatcher and a driver, CSRF header required', async () => {
    expect((await new HttpClient(t.url).get('/api/v1/admin/rosters/JM-PJ')).status).toBe(401);
    expect((await desk.get('/api/v1/admin/rosters/JM-PJ')).status).toBe(403);
    expect((await put(desk, 'JM-PJ', { basedOnRev: 2, dispatchers: week() })).status).toBe(403);
    expect((await desk.get('/api/v1/admin/staffing?brigade=JM-PJ')).status).toBe(403);
    const driver = (await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode('roster-driver') })).body;
    expect((await t.http.get('/api/v1/admin/rosters/JM-PJ', { token: driver.accessToken })).status).toBe(403);
    const noHeader = await ops.request('PUT', '/api/v1/admin/rosters/JM-PJ', { basedOnRev: 2, dispatchers: week() });
    expect(noHeader.status).toBe(403);
    expect((await ops.get('/api/v1/admin/rosters/JM-PJ')).body.rev).toBe(2);
  });
});
