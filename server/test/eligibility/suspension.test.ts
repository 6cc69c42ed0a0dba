import { AuditEntry } from '../../src/platform/audit/audit';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { PENGJIANG, QUALIFYING_ANSWERS, pointIn, report, seedBrigades, verifiedDriver } from '../cases/fixtures';

/**
 * A suspension (fog, storm, low light) as drivers meet it, through HTTP: ops suspend the service and the
 * very next report is refused with the reason and the other ways of handling it; lifting it lets the very
 * next report through. A brigade's suspension refuses its own area only; one past its `until` refuses
 * nothing. The server's clock is fixed inside service hours, so only the suspension decides.
 */
const WRITE = { headers: { 'x-console-request': '1' } };
const OPENING_DAY_10AM = new Date('2026-11-25T10:00:00+08:00');
/** 恩平区 (JM-EP): another brigade's area than 蓬江 (JM-PJ). */
const ENPING = pointIn('440785');

describe('suspensions reach drivers at once', () => {
  let t: TestServer;
  let ops: HttpClient;
  let now: Date;

  beforeAll(async () => {
    t = await startTestServer();
    await seedBrigades();
    await createStaff({ username: 'suspend-ops', displayName: '陈运维', role: 'ops', password: 'suspend-ops-password' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    expect((await ops.post('/api/v1/staff/login', { username: 'suspend-ops', password: 'suspend-ops-password' })).status).toBe(200);
  });
  beforeEach(() => {
    now = OPENING_DAY_10AM;
    t.services.clock = () => now;
  });
  afterAll(() => t.close());

  const check = async (at: { lat: number; lng: number }) => {
    const driver = await verifiedDriver(t);
    const res = await driver.post('/api/v1/eligibility/check', { location: { ...at, coordType: 'gcj02', accuracyM: 15 }, answers: QUALIFYING_ANSWERS });
    expect(res.status).toBe(200);
    return res.body as { eligible: boolean; failed: { rule: string; code: string; reason: string; alternatives: string[]; nextOpenAt?: string | null }[] };
  };
  const suspendedBy = (body: Awaited<ReturnType<typeof check>>) => body.failed.filter((f) => f.code === 'SUSPENDED');
  const suspend = (input: { brigadeCode: string | null; reason: string; until?: string | null }) => ops.post('/api/v1/admin/suspensions', input, WRITE);
  const lift = (id: string) => ops.post(`/api/v1/admin/suspensions/${id}/lift`, {}, WRITE);

  it('a city-wide suspension refuses the very next check and report with its reason and the alternatives; lifting it accepts the next one', async () => {
    // Open before: whatever the server may keep between requests has seen an open service.
    expect((await check(PENGJIANG)).eligible).toBe(true);

    const created = await suspend({ brigadeCode: null, reason: '大雾，能见度不足 50 米' });
    expect(created.status).toBe(201);

    const refused = await check(PENGJIANG);
    expect(refused.eligible).toBe(false);
    expect(refused.failed).toEqual([
      expect.objectContaining({ rule: 'hours', code: 'SUSPENDED', reason: expect.stringContaining('大雾，能见度不足 50 米'), alternatives: ['call_122', 'officer_on_scene'] }),
    ]);
    // The report itself goes through the same rules: it is opened as redirected with the reason kept.
    const reported = await report(await verifiedDriver(t));
    expect(reported.status).toBe(201);
    expect(reported.body).toMatchObject({ state: 'redirected', failed: [expect.objectContaining({ code: 'SUSPENDED', reason: expect.stringContaining('大雾') })] });
    // The public service-hours answer says so too, for every brigade.
    expect((await t.http.get('/api/v1/service-hours?brigade=JM-EP')).body.verdict).toMatchObject({ ok: false, code: 'SUSPENDED' });

    expect((await lift(created.body.id)).status).toBe(200);
    expect((await check(PENGJIANG)).eligible).toBe(true);
    expect((await report(await verifiedDriver(t))).body.state).toBe('queued');
    // Lifted once: a second lift says there is nothing to lift.
    expect((await lift(created.body.id)).status).toBe(404);
    expect(await AuditEntry.countDocuments({ action: { $in: ['service.suspend', 'service.lift_suspension'] }, 'target.id': created.body.id })).toBe(2);
  });

  it('a brigade suspension refuses only that brigade’s area', async () => {
    const created = await suspend({ brigadeCode: 'JM-PJ', reason: '暴雨' });
    expect(created.status).toBe(201);
    expect(suspendedBy(await check(PENGJIANG))).toEqual([expect.objectContaining({ reason: expect.stringContaining('暴雨') })]);
    const elsewhere = await check(ENPING);
    expect(elsewhere.eligible).toBe(true);
    await lift(created.body.id);
  });

  it('a suspension until a time refuses until then and nothing after; the ops list shows who, since and until', async () => {
    const until = new Date(now.getTime() + 30 * 60_000);
    const created = await suspend({ brigadeCode: null, reason: '光线不足', until: until.toISOString() });
    expect(created.status).toBe(201);

    const refused = suspendedBy(await check(PENGJIANG));
    expect(refused).toEqual([expect.objectContaining({ reason: expect.stringContaining('光线不足'), nextOpenAt: until.toISOString() })]);
    const listed = (await ops.get('/api/v1/admin/service-calendar')).body.suspensions;
    expect(listed).toEqual([
      { id: created.body.id, brigadeCode: null, reason: '光线不足', since: OPENING_DAY_10AM.toISOString(), until: until.toISOString(), by: { id: expect.any(String), name: '陈运维' } },
    ]);

    now = new Date(until.getTime() + 60_000);
    expect((await check(PENGJIANG)).eligible).toBe(true);
    expect((await ops.get('/api/v1/admin/service-calendar')).body.suspensions).toEqual([]);
    // The next test's clock starts at 10:00 again, when this one would still be in force.
    await lift(created.body.id);
  });

  it('refuses a suspension that would already be over, or for a brigade that does not exist (400, nothing stored)', async () => {
    const past = await suspend({ brigadeCode: null, reason: '大雾', until: new Date(now.getTime() - 60_000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.issues[0]).toMatchObject({ path: 'until', message: expect.stringContaining('晚于') });
    const unknown = await suspend({ brigadeCode: 'JM-NONE', reason: '大雾' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues[0]).toMatchObject({ path: 'brigadeCode' });
    expect((await check(PENGJIANG)).eligible).toBe(true);
  });
});
