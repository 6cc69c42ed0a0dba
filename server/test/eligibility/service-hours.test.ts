import { createStaff } from '../../src/staff/staff.service';
import { AuditEntry } from '../../src/platform/audit/audit';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades } from '../cases/fixtures';

const beijing = (isoLocal: string) => new Date(`${isoLocal}+08:00`);

describe('service hours through HTTP: the public answer and the ops calendar', () => {
  let t: TestServer;
  let ops: HttpClient;
  const WRITE = { headers: { 'x-console-request': '1' } };
  beforeAll(async () => {
    t = await startTestServer();
    // A suspension names a brigade that exists.
    await seedBrigades();
    await createStaff({ username: 'hours-ops', displayName: '运维', role: 'ops', password: 'hours-ops-password' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    await ops.post('/api/v1/staff/login', { username: 'hours-ops', password: 'hours-ops-password' });
  });
  afterAll(() => t.close());

  const at = async (time: string, brigade?: string) => {
    t.services.clock = () => beijing(time);
    return (await t.http.get(`/api/v1/service-hours${brigade ? `?brigade=${brigade}` : ''}`)).body.verdict;
  };

  it.each([
    ['2026-11-25T07:29:00', false],
    ['2026-11-25T07:30:00', true],
    ['2026-11-25T19:30:00', false],
    ['2026-11-25T19:31:00', false],
  ])('answers at %s Beijing time: open %s', async (time, open) => {
    expect((await at(time)).ok).toBe(open);
  });

  it('lets ops close a day (audited); a stale edit is refused with 409', async () => {
    const { calendar } = (await ops.get('/api/v1/admin/service-calendar')).body;
    expect(calendar.rev).toBe(0);
    const edit = { basedOnRev: 0, opensAt: '07:30', closesAt: '19:30', trialStartsOn: '2026-05-28', launchOn: '2026-06-01', exceptions: [{ date: '2026-11-26', closed: true, reason: '系统升级' }] };
    const saved = await ops.request('PUT', '/api/v1/admin/service-calendar', edit, WRITE);
    expect(saved.status).toBe(200);
    expect(saved.body.calendar.rev).toBe(1);
    expect((await at('2026-11-26T10:00:00')).ok).toBe(false);
    expect((await at('2026-11-27T10:00:00')).ok).toBe(true);
    expect((await ops.request('PUT', '/api/v1/admin/service-calendar', edit, WRITE)).status).toBe(409);
    expect(await AuditEntry.countDocuments({ action: 'service_calendar.save' })).toBe(1);
  });

  it('refuses a calendar whose day ends before it starts (400 with the field)', async () => {
    const res = await ops.request('PUT', '/api/v1/admin/service-calendar', { basedOnRev: 1, opensAt: '19:30', closesAt: '07:30', trialStartsOn: '2026-05-28', launchOn: '2026-06-01', exceptions: [] }, WRITE);
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('closesAt');
  });

  it('suspends one brigade at once and lifts it again', async () => {
    t.services.clock = () => new Date();
    const created = await ops.post('/api/v1/admin/suspensions', { brigadeCode: 'JM-TS', reason: '大雾' }, WRITE);
    expect(created.status).toBe(201);
    const suspended = (await t.http.get('/api/v1/service-hours?brigade=JM-TS')).body.verdict;
    expect(suspended).toMatchObject({ ok: false, code: 'SUSPENDED', reason: expect.stringContaining('大雾') });
    const other = (await t.http.get('/api/v1/service-hours?brigade=JM-PJ')).body.verdict;
    expect(other.code).not.toBe('SUSPENDED');
    expect((await ops.post(`/api/v1/admin/suspensions/${created.body.id}/lift`, {}, WRITE)).status).toBe(200);
    expect((await t.http.get('/api/v1/service-hours?brigade=JM-TS')).body.verdict.code).not.toBe('SUSPENDED');
  });

  it('keeps the calendar to ops: 401 for nobody, 403 for a driver', async () => {
    expect((await new HttpClient(t.url).get('/api/v1/admin/service-calendar')).status).toBe(401);
    const driver = (await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode('hours-driver') })).body;
    expect((await t.http.get('/api/v1/admin/service-calendar', { token: driver.accessToken })).status).toBe(403);
  });
});
