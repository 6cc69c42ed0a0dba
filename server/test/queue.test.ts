import { Brigade } from '../src/brigades/brigade.model';
import { createStaff } from '../src/staff/staff.service';
import { HttpClient } from './http';
import { startTestServer, type TestServer } from './harness';
import { insertCase } from './cases/fixtures';

describe('GET /api/v1/queue', () => {
  let t: TestServer;
  const password = 'queue-test-password';
  beforeAll(async () => {
    t = await startTestServer();
    await Brigade.create([
      { code: 'JM-PJ', name: '蓬江大队', districtAdcodes: ['440703'] },
      { code: 'JM-XH', name: '新会大队', districtAdcodes: ['440705'] },
    ]);
    await createStaff({ username: 'pj', displayName: '蓬江接警', role: 'dispatcher', brigadeCode: 'JM-PJ', password }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'boss', displayName: '运维', role: 'ops', password }, t.config.PASSWORD_HASH_COST);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    // Inserted newest first, so the order in the answer comes from the query, not the insert.
    await insertCase({ state: 'queued', brigadeCode: 'JM-PJ', districtName: '蓬江区', address: '建设路 1 号', reportedAt: minutesAgo(1) });
    await insertCase({ state: 'queued', brigadeCode: 'JM-PJ', districtName: '蓬江区', address: '港口路 8 号', reportedAt: minutesAgo(4) });
    await insertCase({ state: 'in_call', brigadeCode: 'JM-PJ', address: '正在通话', reportedAt: minutesAgo(9) });
    await insertCase({ state: 'queued', brigadeCode: 'JM-XH', districtName: '新会区', address: '会城', reportedAt: minutesAgo(2) });
  });
  afterAll(() => t.close());

  const loggedIn = async (username: string) => {
    const http = new HttpClient(t.url);
    await http.post('/api/v1/staff/login', { username, password });
    return http;
  };

  it("shows a dispatcher only their brigade's waiting cases, oldest first, with waiting time", async () => {
    const res = await (await loggedIn('pj')).get('/api/v1/queue');
    expect(res.status).toBe(200);
    expect(res.body.brigade).toEqual({ code: 'JM-PJ', name: '蓬江大队' });
    expect(res.body.items.map((i: { address: string }) => i.address)).toEqual(['港口路 8 号', '建设路 1 号']);
    expect(res.body.items[0].waitingSeconds).toBeGreaterThanOrEqual(4 * 60 - 5);
    expect(res.body.items[0]).toMatchObject({ state: 'queued', districtName: '蓬江区', vehicleCount: 2 });
  });

  it('shows ops every brigade', async () => {
    const res = await (await loggedIn('boss')).get('/api/v1/queue');
    expect(res.body.brigade).toBeNull();
    expect(res.body.items).toHaveLength(3);
  });

  it('is closed to anyone not logged in', async () => {
    expect((await new HttpClient(t.url).get('/api/v1/queue')).status).toBe(401);
  });
});
