import { Brigade } from '../../src/brigades/brigade.model';
import { createStaff, dutyHours, recordDutyHour, StaffDutyHour } from '../../src/staff';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';

/** The duty log: who had the console open in which hour — what statistics and staffing read as "on duty". */
describe('staff duty log', () => {
  let t: TestServer;
  const password = 'duty-log-password';
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestServer();
    await Brigade.create([
      { code: 'JM-PJ', name: '蓬江大队', districtAdcodes: ['440703'] },
      { code: 'JM-XH', name: '新会大队', districtAdcodes: ['440705'] },
    ]);
    for (const [username, role, brigadeCode] of [
      ['duty-a', 'dispatcher', 'JM-PJ'],
      ['duty-b', 'dispatcher', 'JM-PJ'],
      ['duty-c', 'officer', 'JM-XH'],
      ['duty-ops', 'ops', null],
    ] as const) {
      const staff = await createStaff({ username, displayName: username, role, brigadeCode, password }, t.config.PASSWORD_HASH_COST);
      ids[username] = staff.id;
    }
  });
  afterAll(() => t.close());

  const signedIn = async (username: string) => {
    const http = new HttpClient(t.url);
    expect((await http.post('/api/v1/staff/login', { username, password })).status).toBe(200);
    return http;
  };

  it('records a dispatcher who opens the queue once for the hour, however often they poll; ops are not counted', async () => {
    const a = await signedIn('duty-a');
    const ops = await signedIn('duty-ops');
    for (let i = 0; i < 3; i++) {
      expect((await a.get('/api/v1/queue')).status).toBe(200);
      expect((await ops.get('/api/v1/queue')).status).toBe(200);
    }
    const rows = await StaffDutyHour.find({}).lean();
    expect(rows.map((r) => [String(r.staffId), r.brigadeCode, r.role])).toEqual([[ids['duty-a'], 'JM-PJ', 'dispatcher']]);
    expect(rows[0]!.hourStart.getTime() % 3_600_000).toBe(0);
    expect(Date.now() - rows[0]!.hourStart.getTime()).toBeLessThan(3_600_000);
  });

  it('counts distinct staff per brigade and hour, over a range, concurrent writes of one hour included', async () => {
    await StaffDutyHour.deleteMany({});
    const h = (iso: string) => new Date(iso);
    const b = { id: ids['duty-b']!, role: 'dispatcher', brigadeCode: 'JM-PJ' };
    const a = { id: ids['duty-a']!, role: 'dispatcher', brigadeCode: 'JM-PJ' };
    const c = { id: ids['duty-c']!, role: 'officer', brigadeCode: 'JM-XH' };
    // 09:05 and 09:50 Beijing time (01:05Z, 01:50Z) are one hour; 10:10 the next.
    await Promise.all([recordDutyHour(a, h('2026-11-02T01:05:00Z')), recordDutyHour(a, h('2026-11-02T01:50:00Z')), recordDutyHour(b, h('2026-11-02T01:20:00Z'))]);
    await recordDutyHour(a, h('2026-11-02T02:10:00Z'));
    await recordDutyHour(c, h('2026-11-02T01:30:00Z'));
    await recordDutyHour(c, h('2026-11-03T01:30:00Z')); // outside the range asked below

    const all = await dutyHours({ from: h('2026-11-02T00:00:00Z'), to: h('2026-11-03T00:00:00Z') });
    expect(all.map((d) => [d.brigadeCode, d.hourStart.toISOString(), d.staffCount])).toEqual([
      ['JM-PJ', '2026-11-02T01:00:00.000Z', 2],
      ['JM-XH', '2026-11-02T01:00:00.000Z', 1],
      ['JM-PJ', '2026-11-02T02:00:00.000Z', 1],
    ]);
    const pj = await dutyHours({ brigadeCode: 'JM-XH', from: h('2026-11-01T00:00:00Z'), to: h('2026-11-04T00:00:00Z') });
    expect(pj.map((d) => d.hourStart.toISOString())).toEqual(['2026-11-02T01:00:00.000Z', '2026-11-03T01:00:00.000Z']);
  });
});
