import { AuditEntry } from '../src/platform/audit/audit';
import { Staff } from '../src/staff/staff.model';
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

  const login = async (username: string, password: string) => {
    const http = new HttpClient(t.url);
    expect((await http.post('/api/v1/staff/login', { username, password })).status).toBe(200);
    return http;
  };
  const idOf = async (username: string) => String((await Staff.findOne({ username }).lean())!._id);
  const patch = (by: HttpClient, id: string, change: Record<string, unknown>) => by.request('PATCH', `/api/v1/admin/staff/${id}`, change, WRITE);

  it('changes a dispatcher’s role to officer: its sessions end at once (the old cookie gets 401), it logs in as an officer; audited with the role before', async () => {
    await createStaff({ username: 'role-desk', displayName: '转岗接警', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'role-desk-password' }, t.config.PASSWORD_HASH_COST);
    const desk = await login('role-desk', 'role-desk-password');
    const id = await idOf('role-desk');

    const changed = await patch(ops, id, { role: 'officer' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ role: 'officer', brigadeCode: 'JM-PJ', disabled: false });
    expect((await desk.get('/api/v1/staff/me')).status).toBe(401);
    expect((await desk.get('/api/v1/queue')).status).toBe(401);
    expect((await (await login('role-desk', 'role-desk-password')).get('/api/v1/staff/me')).body).toMatchObject({ role: 'officer', brigadeCode: 'JM-PJ' });
    const entry = await AuditEntry.findOne({ action: 'staff.update', 'target.id': id }).lean();
    expect(entry?.details).toEqual({ username: 'role-desk', before: { role: 'dispatcher' }, after: { role: 'officer' } });

    // To the city's 复核 desk (no brigade), and back: a dispatcher needs a brigade again.
    expect((await patch(ops, id, { role: 'reviewer', brigadeCode: null })).body).toMatchObject({ role: 'reviewer', brigadeCode: null });
    const refused = await patch(ops, id, { role: 'dispatcher' });
    expect(refused.status).toBe(400);
    expect(refused.body.issues[0].path).toBe('brigadeCode');
    expect((await patch(ops, id, { role: 'dispatcher', brigadeCode: 'JM-EP' })).body).toMatchObject({ role: 'dispatcher', brigadeCode: 'JM-EP' });
    // A rename alone leaves its sessions alone.
    const again = await login('role-desk', 'role-desk-password');
    expect((await patch(ops, id, { displayName: '恩平接警' })).status).toBe(200);
    expect((await again.get('/api/v1/staff/me')).body.displayName).toBe('恩平接警');
  });

  it('resets a password: a generated one shown once, the old one and the old session dead, the new one works; audited without it, never logged', async () => {
    await createStaff({ username: 'forgetful', displayName: '忘密码', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'forgetful-old-password' }, t.config.PASSWORD_HASH_COST);
    const desk = await login('forgetful', 'forgetful-old-password');
    const id = await idOf('forgetful');

    const reset = await ops.post(`/api/v1/admin/staff/${id}/password-reset`, undefined, WRITE);
    expect(reset.status).toBe(200);
    expect(reset.headers.get('cache-control')).toBe('no-store');
    const { password } = reset.body;
    expect(reset.body).toEqual({ username: 'forgetful', password: expect.stringMatching(/^[A-HJ-NP-Za-km-z2-9]{16}$/) });
    expect((await desk.get('/api/v1/staff/me')).status).toBe(401);
    expect((await new HttpClient(t.url).post('/api/v1/staff/login', { username: 'forgetful', password: 'forgetful-old-password' })).status).toBe(401);
    expect((await (await login('forgetful', password)).get('/api/v1/staff/me')).body.username).toBe('forgetful');

    // Shown once: the list and a second reset never give it back (a second reset makes another).
    expect(JSON.stringify((await ops.get('/api/v1/admin/staff')).body)).not.toContain(password);
    const entries = await AuditEntry.find({ action: 'staff.password_reset', 'target.id': id }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toEqual({ username: 'forgetful' });
    expect(JSON.stringify(await AuditEntry.find().lean())).not.toContain(password);
    expect(t.rawLogs()).not.toContain(password);
    expect(t.rawLogs()).toContain('staff password reset');

    expect((await ops.post('/api/v1/admin/staff/0123456789abcdef01234567/password-reset', undefined, WRITE)).status).toBe(404);
    const own = await ops.post(`/api/v1/admin/staff/${await idOf('brigade-ops')}/password-reset`, undefined, WRITE);
    expect(own.status).toBe(403);
    expect(own.body).toMatchObject({ code: 'SELF_CHANGE_REFUSED', message: '不能重置自己的密码，请由另一位运维操作' });
    const desk2 = await login('forgetful', password);
    expect((await desk2.post(`/api/v1/admin/staff/${id}/password-reset`, undefined, WRITE)).status).toBe(403);
  });

  it('the last enabled ops account cannot be demoted or disabled; with a colleague, ops still cannot demote or disable themselves', async () => {
    const me = await idOf('brigade-ops');
    const alone = await patch(ops, me, { role: 'reviewer' });
    expect(alone.status).toBe(409);
    expect(alone.body).toMatchObject({ code: 'LAST_OPS_ACCOUNT', message: '这是最后一个启用的运维账号，不能改为其他角色或停用：请先为另一位运维建号' });
    expect((await patch(ops, me, { disabled: true })).body.code).toBe('LAST_OPS_ACCOUNT');

    // A second ops account: the first one is no longer the last, but still cannot demote or disable itself.
    const colleague = await ops.post('/api/v1/admin/staff', { username: 'second-ops', displayName: '二号运维', role: 'ops', brigadeCode: null, password: 'second-ops-password' }, WRITE);
    expect(colleague.status).toBe(201);
    const demote = await patch(ops, me, { role: 'reviewer' });
    expect(demote.status).toBe(403);
    expect(demote.body).toMatchObject({ code: 'SELF_CHANGE_REFUSED', message: '不能更改自己的角色，请由另一位运维操作' });
    expect((await patch(ops, me, { disabled: true })).body).toMatchObject({ code: 'SELF_CHANGE_REFUSED', message: '不能停用自己的账号，请由另一位运维操作' });
    expect(await Staff.findById(me).lean()).toMatchObject({ role: 'ops', disabled: false });
    // Renaming oneself is fine, and the session goes on.
    expect((await patch(ops, me, { displayName: '大队运维' })).status).toBe(200);
    expect((await ops.get('/api/v1/staff/me')).body.displayName).toBe('大队运维');

    // Demoting a colleague is fine while one ops account remains (this one): theirs is now the last but one.
    const second = await login('second-ops', 'second-ops-password');
    expect((await patch(ops, colleague.body.id, { role: 'reviewer' })).body.role).toBe('reviewer');
    expect((await second.get('/api/v1/admin/staff')).status).toBe(401);
    expect((await (await login('second-ops', 'second-ops-password')).get('/api/v1/admin/staff')).status).toBe(403);
  });

  it('rate-limits account changes and password resets per ops user: a 429 with the code, a Chinese message and the wait', async () => {
    await createStaff({ username: 'limit-ops', displayName: '限速运维', role: 'ops', password: 'limit-ops-password' }, t.config.PASSWORD_HASH_COST);
    await createStaff({ username: 'limit-desk', displayName: '限速接警', role: 'dispatcher', brigadeCode: 'JM-PJ', password: 'limit-desk-password' }, t.config.PASSWORD_HASH_COST);
    const busy = await login('limit-ops', 'limit-ops-password');
    const id = await idOf('limit-desk');
    const resets = [];
    for (let i = 0; i < 10; i++) resets.push((await busy.post(`/api/v1/admin/staff/${id}/password-reset`, undefined, WRITE)).status);
    expect(resets).toEqual(Array(10).fill(200));
    const throttled = await busy.post(`/api/v1/admin/staff/${id}/password-reset`, undefined, WRITE);
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ code: 'EDIT_RATE_LIMITED', message: expect.stringMatching(/^操作太频繁，请 \d+ 秒后再试$/), retryAfterSeconds: expect.any(Number) });
    expect(await AuditEntry.countDocuments({ action: 'staff.password_reset', 'target.id': id })).toBe(10);

    // Resets count as changes too: 30 a minute in all, then renames are refused as well.
    const renames = [];
    for (let i = 0; i < 20; i++) renames.push((await patch(busy, id, { displayName: `限速接警${i}` })).status);
    expect(renames).toEqual(Array(20).fill(200));
    expect((await patch(busy, id, { displayName: '再改一次' })).body.code).toBe('EDIT_RATE_LIMITED');
    expect((await busy.post('/api/v1/admin/staff', { username: 'one-more', displayName: '再建一个', role: 'ops', password: 'one-more-password' }, WRITE)).status).toBe(429);
    // Per person: a colleague is not held back.
    expect((await patch(ops, id, { displayName: '限速接警' })).status).toBe(200);
  });

  it('two ops demoting each other at the same moment never leave the city without an enabled ops account', async () => {
    // Only two ops accounts are enabled from here on: this one and 'duel-ops'.
    await Staff.updateMany({ role: 'ops', username: { $nin: ['brigade-ops'] } }, { $set: { disabled: true } });
    await createStaff({ username: 'duel-ops', displayName: '对手运维', role: 'ops', password: 'duel-ops-password' }, t.config.PASSWORD_HASH_COST);
    const [me, other] = [await idOf('brigade-ops'), await idOf('duel-ops')];
    for (let round = 0; round < 4; round++) {
      // Both are ops and signed in at the start of every round.
      await Staff.updateMany({ _id: { $in: [me, other] } }, { $set: { role: 'ops', disabled: false } });
      const [a, b] = [await login('brigade-ops', 'brigade-ops-password'), await login('duel-ops', 'duel-ops-password')];
      const [ab, ba] = await Promise.all([patch(a, other, { role: 'reviewer' }), patch(b, me, { role: 'reviewer' })]);
      expect(await Staff.countDocuments({ role: 'ops', disabled: false })).toBeGreaterThanOrEqual(1);
      for (const res of [ab, ba]) if (res.status !== 200) expect(['LAST_OPS_ACCOUNT', 'UNAUTHENTICATED', 'CONFLICT']).toContain(res.body.code);
      expect([ab, ba].filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    }
  });
});
