import { AuditEntry } from '../src/platform/audit/audit';
import { createStaff } from '../src/staff/staff.service';
import { HttpClient } from './http';
import { startTestServer, type TestServer } from './harness';
import { insertCase, seedBrigades } from './cases/fixtures';

describe('ops edit brigades: /api/v1/admin/brigades', () => {
  let t: TestServer;
  let ops: HttpClient;
  const WRITE = { headers: { 'x-console-request': '1' } };
  beforeAll(async () => {
    t = await startTestServer();
    await seedBrigades();
    await createStaff({ username: 'brigade-ops', displayName: '运维', role: 'ops', password: 'brigade-ops-password' }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'pj-desk', displayName: '蓬江接警', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'brigade-ops-password' }, t.config.PASSWORD_HASH_COST);
    ops = new HttpClient(t.url);
    await ops.post('/api/v1/staff/login', { username: 'brigade-ops', password: 'brigade-ops-password' });
  });
  afterAll(() => t.close());

  it('lists the seeded brigade of every district with its dispatcher accounts, and the districts by name', async () => {
    const { items, districts } = (await ops.get('/api/v1/admin/brigades')).body;
    expect(items).toHaveLength(7);
    expect(districts).toHaveLength(7);
    expect(districts).toContainEqual({ adcode: '440703', name: '蓬江区' });
    expect(items.find((b: { code: string }) => b.code === 'JM-PJ')).toMatchObject({ districtAdcodes: ['440703'], staff: [expect.objectContaining({ username: 'pj-desk', role: 'dispatcher' })] });
  });

  it('changes name and duty phone, audited', async () => {
    const res = await ops.request('PUT', '/api/v1/admin/brigades/JM-EP', { name: '恩平市公安局交通警察大队（试点）', districtAdcodes: ['440785'], dutyPhone: '0750-7123456' }, WRITE);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: '恩平市公安局交通警察大队（试点）', dutyPhone: '0750-7123456' });
    expect(await AuditEntry.countDocuments({ action: 'brigade.update', 'target.id': 'JM-EP' })).toBe(1);
  });

  it('refuses a district another brigade answers for (409), an unknown adcode and a bad phone (400)', async () => {
    const taken = await ops.request('PUT', '/api/v1/admin/brigades/JM-EP', { name: '恩平大队', districtAdcodes: ['440785', '440703'], dutyPhone: null }, WRITE);
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'DISTRICT_TAKEN', message: '蓬江区（440703）已由「江门市公安局交通警察支队蓬江大队」负责，请先从该大队移除' });
    const unknown = await ops.request('PUT', '/api/v1/admin/brigades/JM-EP', { name: '恩平大队', districtAdcodes: ['110101'], dutyPhone: null }, WRITE);
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues[0].path).toBe('districtAdcodes.0');
    const phone = await ops.request('PUT', '/api/v1/admin/brigades/JM-EP', { name: '恩平大队', districtAdcodes: ['440785'], dutyPhone: 'call me' }, WRITE);
    expect(phone.status).toBe(400);
  });

  it('creates a brigade for a district handed over, 404s an unknown one, and is for ops only', async () => {
    await ops.request('PUT', '/api/v1/admin/brigades/JM-HS', { name: '鹤山市公安局交通警察大队', districtAdcodes: [], dutyPhone: null }, WRITE);
    const created = await ops.post('/api/v1/admin/brigades', { code: 'JM-HS2', name: '鹤山市公安局交通警察大队二中队', districtAdcodes: ['440784'], dutyPhone: null }, WRITE);
    expect(created.status).toBe(201);
    expect((await ops.post('/api/v1/admin/brigades', { code: 'JM-HS2', name: '重复', districtAdcodes: [], dutyPhone: null }, WRITE)).status).toBe(409);
    expect((await ops.request('PUT', '/api/v1/admin/brigades/JM-NONE', { name: '不存在', districtAdcodes: [], dutyPhone: null }, WRITE)).status).toBe(404);

    const desk = new HttpClient(t.url);
    await desk.post('/api/v1/staff/login', { username: 'pj-desk', password: 'brigade-ops-password' });
    expect((await desk.get('/api/v1/admin/brigades')).status).toBe(403);
  });

  it('manages dispatcher accounts: refuses an unknown brigade, moves one, and disabling ends its session at once (audited)', async () => {
    const unknown = await ops.post('/api/v1/admin/staff', { username: 'ghost-desk', displayName: '无', role: 'dispatcher', brigadeCode: 'JM-NONE', password: 'long-enough-password' }, WRITE);
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues[0].path).toBe('brigadeCode');

    const desk = new HttpClient(t.url);
    await desk.post('/api/v1/staff/login', { username: 'pj-desk', password: 'brigade-ops-password' });
    expect((await desk.get('/api/v1/queue')).body.brigade.code).toBe('JM-PJ');
    const id = (await desk.get('/api/v1/staff/me')).body.id;

    const moved = await ops.request('PATCH', `/api/v1/admin/staff/${id}`, { brigadeCode: 'JM-JH' }, WRITE);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ brigadeCode: 'JM-JH', disabled: false });
    // The move ended the old session: the desk logs in again and sees its new brigade.
    expect((await desk.get('/api/v1/queue')).status).toBe(401);
    await desk.post('/api/v1/staff/login', { username: 'pj-desk', password: 'brigade-ops-password' });
    expect((await desk.get('/api/v1/queue')).body.brigade.code).toBe('JM-JH');

    expect((await ops.request('PATCH', `/api/v1/admin/staff/${id}`, { brigadeCode: null }, WRITE)).status).toBe(400);
    expect((await ops.request('PATCH', `/api/v1/admin/staff/${id}`, { disabled: true }, WRITE)).body.disabled).toBe(true);
    expect((await desk.get('/api/v1/queue')).status).toBe(401);
    expect((await desk.post('/api/v1/staff/login', { username: 'pj-desk', password: 'brigade-ops-password' })).status).not.toBe(200);
    expect(await AuditEntry.countDocuments({ action: 'staff.update', 'target.id': id })).toBe(2);
  });

  it('creates a city-wide reviewer (no brigade) whose desk sees every brigade’s reviews; moves a reviewer to city-wide; a dispatcher or officer still needs a brigade', async () => {
    const receivedAt = new Date();
    const review = { status: 'received', applications: [], receivedAt, acceptBy: new Date(receivedAt.getTime() + 5 * 86_400_000) };
    const [pj, ep] = await Promise.all([
      insertCase({ brigadeCode: 'JM-PJ', state: 'review_requested', review }),
      insertCase({ brigadeCode: 'JM-EP', state: 'review_requested', review }),
    ]);

    const created = await ops.post('/api/v1/admin/staff', { username: 'city-reviewer', displayName: '市复核', role: 'reviewer', brigadeCode: null, password: 'city-reviewer-password' }, WRITE);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'reviewer', brigadeCode: null });
    const reviewer = new HttpClient(t.url);
    expect((await reviewer.post('/api/v1/staff/login', { username: 'city-reviewer', password: 'city-reviewer-password' })).status).toBe(200);
    const pending = (await reviewer.get('/api/v1/reviews/pending')).body.items.map((i: { caseId: string }) => i.caseId);
    expect(pending).toEqual(expect.arrayContaining([String(pj._id), String(ep._id)]));
    expect((await reviewer.get(`/api/v1/reviews/cases/${String(ep._id)}`)).status).toBe(200);

    // A brigade's reviewer sees its own brigade only, until moved to the city.
    const local = await ops.post('/api/v1/admin/staff', { username: 'pj-reviewer', displayName: '蓬江复核', role: 'reviewer', brigadeCode: 'JM-PJ', password: 'city-reviewer-password' }, WRITE);
    expect(local.status).toBe(201);
    const moved = await ops.request('PATCH', `/api/v1/admin/staff/${local.body.id}`, { brigadeCode: null }, WRITE);
    expect(moved.status).toBe(200);
    expect(moved.body.brigadeCode).toBeNull();

    for (const role of ['dispatcher', 'officer']) {
      const refused = await ops.post('/api/v1/admin/staff', { username: `no-brigade-${role}`, displayName: '无大队', role, brigadeCode: null, password: 'city-reviewer-password' }, WRITE);
      expect(refused.status).toBe(400);
      expect(refused.body.issues[0]).toMatchObject({ path: 'brigadeCode', message: '接警员和民警必须属于一个大队' });
    }
  });
});
