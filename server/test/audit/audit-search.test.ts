import { DateTime } from 'luxon';
import { caseHistory } from '../../src/cases/case-revisions';
import { AuditAnchor, AuditEntry, audit, auditHash, forgetAuditHead, verifyAuditChain } from '../../src/platform/audit/audit';
import { Staff } from '../../src/staff';
import type { AuditEntryView } from '../../../typings/api/audit';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, seedBrigades } from '../cases/fixtures';
import { signedInStaff } from '../decisions/decision-fixtures';
import { dispatcher, twoPartyCase, WRITE } from '../call/call-fixtures';
import { waitUntil } from '../wait';
import { parseCsv } from './parse-csv';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  await seedBrigades();
});
afterAll(() => t.close());

/** The chain entry a request wrote, by the request id the response carried. */
async function entryOfRequest(requestId: string) {
  return AuditEntry.findOne({ requestId }).lean();
}

describe('what an audit entry records', () => {
  it('carries the request id and the role of the staff member who acted', async () => {
    const ops = await signedInStaff(t, 'ops', null);
    const res = await ops.post('/admin/suspensions', { brigadeCode: null, reason: '大雾，能见度低' });
    expect(res.status).toBe(201);
    const requestId = res.headers.get('x-request-id')!;
    const entry = await entryOfRequest(requestId);
    expect(entry).toMatchObject({ action: 'service.suspend', requestId, actor: { role: 'ops' } });
  });

  it('never stores an ID number whole, not even a first-generation 15-digit one', async () => {
    const ops = await signedInStaff(t, 'ops', null);
    // A duty phone field takes digits and dashes: an old 15-digit ID number fits.
    const res = await ops.post('/admin/brigades', { code: 'JM-TEST', name: '测试大队', districtAdcodes: [], dutyPhone: '440703900101123' });
    expect(res.status).toBe(201);
    const stored = JSON.stringify(await AuditEntry.findOne({ action: 'brigade.create' }).lean());
    expect(stored).toContain('4407');
    expect(stored).not.toContain('440703900101123');
  });

  it('keeps verifying entries written before these fields existed, and notices one removed from a newer entry', async () => {
    const last = (await AuditEntry.findOne().sort({ _id: -1 }).lean())!;
    const older = { _id: last._id + 1, prevHash: last.hash, at: new Date(), actor: { kind: 'ops', id: 'x', username: null }, action: 'test.older', target: { kind: 'test', id: '1' }, details: {} };
    await AuditEntry.collection.insertOne({ ...older, hash: auditHash(older) } as never);
    expect((await verifyAuditChain()).ok).toBe(true);

    await AuditEntry.updateOne({ _id: last._id }, { $unset: { requestId: 1 } });
    expect(await verifyAuditChain()).toMatchObject({ ok: false, problem: { seq: last._id, reason: 'altered' } });
    await AuditEntry.updateOne({ _id: last._id }, { $set: { requestId: last.requestId } });
    await AuditEntry.deleteOne({ _id: older._id });
    expect((await verifyAuditChain()).ok).toBe(true);
  });
});

type Staff = Awaited<ReturnType<typeof signedInStaff>>;
/** One thing done through the API, as the chain must show it. */
interface Done {
  by: Staff;
  action: string;
  targetId: string;
  requestId: string;
  /** When the response came back: the entry was written before it. */
  after: number;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 15));

describe('searching and exporting the audit log', () => {
  let opsA: Staff;
  let opsB: Staff;
  let officer: Staff;
  const done: Done[] = [];
  /** Instants between the three batches of actions. */
  const marks: Date[] = [];
  let caseId: string;
  let answerRequestId: string;
  let deskId: string;

  async function did(by: Staff, action: string, res: { status: number; headers: Headers; body: any }, targetId: string) {
    expect(res.status).toBeLessThan(300);
    done.push({ by, action, targetId, requestId: res.headers.get('x-request-id')!, after: Date.now() });
    await tick();
  }

  beforeAll(async () => {
    // This block's chain starts empty, so what it expects is exactly what it does.
    await AuditEntry.deleteMany({});
    await AuditAnchor.deleteMany({});
    forgetAuditHead(); // the chain was wiped behind the app's back
    opsA = await signedInStaff(t, 'ops', null);
    opsB = await signedInStaff(t, 'ops', null);
    officer = await signedInStaff(t, 'officer');
    t.services.clock = DURING_HOURS;

    marks.push(new Date());
    await tick();
    const s1 = await opsA.post('/admin/suspensions', { brigadeCode: null, reason: '暴雨，视频看不清' });
    await did(opsA, 'service.suspend', s1, s1.body.id);
    await did(opsA, 'service.lift_suspension', await opsA.post(`/admin/suspensions/${s1.body.id}/lift`, {}), s1.body.id);
    const library = (await opsB.get('/scenarios')).body;
    const saved = await opsB.put('/admin/scenarios', { baseRev: library.rev, scenarios: library.scenarios });
    await did(opsB, 'scenario_library.save', saved, String(saved.body.rev));

    marks.push(new Date());
    await tick();
    const s2 = await opsB.post('/admin/suspensions', { brigadeCode: 'JM-PJ', reason: '大雾' });
    await did(opsB, 'service.suspend', s2, s2.body.id);
    await did(opsA, 'brigade.create', await opsA.post('/admin/brigades', { code: 'JM-AUD', name: '审计测试大队', districtAdcodes: [], dutyPhone: null }), 'JM-AUD');
    await did(opsB, 'service.lift_suspension', await opsB.post(`/admin/suspensions/${s2.body.id}/lift`, {}), s2.body.id);

    marks.push(new Date());
    await tick();
    const desk = await dispatcher(t, 'audit-desk');
    deskId = String((await Staff.findOne({ username: 'audit-desk' }).lean())!._id);
    await did(opsA, 'staff.update', await opsA.http.request('PATCH', `/api/v1/admin/staff/${deskId}`, { displayName: '审计接警员' }, WRITE), deskId);
    ({ caseId } = await twoPartyCase(t));
    // Entries about the case besides its own log, one each way an entry names a case, around its answer.
    const someone = { kind: 'officer', id: 'f'.repeat(24) };
    await audit({ actor: someone, action: 'test.about_case', target: { kind: 'note', id: 'before-answer' }, details: { caseId } });
    await tick();
    const answered = await desk.post(caseId, '/answer');
    expect(answered.status).toBe(200);
    answerRequestId = answered.headers.get('x-request-id')!;
    // The recorder starts on the answer and says so on the case: wait until the case's log is still.
    await waitUntil(async () => (await caseHistory(caseId)).some((e) => e.event === 'recording_started' || e.event === 'recording_failed'));
    await tick();
    await audit({ actor: someone, action: 'test.about_case', target: { kind: 'case', id: caseId } });
    marks.push(new Date());
  });

  const search = (query: Record<string, string>, as: Staff = opsA) => as.get(`/admin/audit?${new URLSearchParams(query).toString()}`);
  /** The chain's entries of a search that API actions wrote, as (who, what, target) — the order newest first. Sign-ins are staff-auth.test's. */
  const SIGN_IN_OUT = ['staff.login', 'staff.logout'];
  const seen = (items: AuditEntryView[]) => items.filter((i) => i.source === 'chain' && !i.action.startsWith('test.') && !SIGN_IN_OUT.includes(i.action)).map((i) => `${i.actor.username} ${i.action} ${i.target.id}`);
  const expected = (which: (d: Done) => boolean) => done.filter(which).reverse().map((d) => `${d.by.username} ${d.action} ${d.targetId}`);

  it('finds by actor, by username or account id, newest first, each in words', async () => {
    const res = await search({ actor: opsA.username });
    expect(res.status).toBe(200);
    expect(seen(res.body.items)).toEqual(expected((d) => d.by === opsA));
    const accountId = String((await Staff.findOne({ username: opsB.username }).lean())!._id);
    expect(seen((await search({ actor: accountId })).body.items)).toEqual(expected((d) => d.by === opsB));

    const suspended = (res.body.items as AuditEntryView[]).find((i) => i.action === 'service.suspend')!;
    const doneIt = done.find((d) => d.by === opsA && d.action === 'service.suspend')!;
    expect(suspended).toMatchObject({
      source: 'chain',
      actor: { name: expect.stringMatching(/^员\d+$/), role: 'ops', roleLabel: '运维' },
      actionLabel: '暂停服务',
      target: { kind: 'suspension', label: `服务暂停 ${doneIt.targetId}` },
      requestId: doneIt.requestId,
      details: { reason: '暴雨，视频看不清', brigadeCode: null },
    });
    const renamed = (res.body.items as AuditEntryView[]).find((i) => i.action === 'staff.update')!;
    expect(renamed).toMatchObject({ actionLabel: '修改工作人员账号', target: { label: '工作人员账号 审计接警员（audit-desk）' } });
    // Before → after in words.
    expect(renamed.changes).toEqual([{ field: 'displayName', label: '姓名', before: '接警员audit-desk', after: '审计接警员' }]);
  });

  it('finds by exact action and by prefix', async () => {
    expect(seen((await search({ action: 'service.suspend' })).body.items)).toEqual(expected((d) => d.action === 'service.suspend'));
    expect(seen((await search({ action: 'service.' })).body.items)).toEqual(expected((d) => d.action.startsWith('service.')));
    expect(seen((await search({ action: 'service.lift' })).body.items)).toEqual([]);
    expect(seen((await search({ action: 'service.', actor: opsB.username })).body.items)).toEqual(expected((d) => d.action.startsWith('service.') && d.by === opsB));
  });

  it('finds by time range, as instants and as Beijing days', async () => {
    const between = (a: Date, b: Date) => expected((d) => d.after > a.getTime() && d.after < b.getTime() + 5);
    const second = await search({ from: marks[1]!.toISOString(), to: marks[2]!.toISOString() });
    expect(seen(second.body.items)).toEqual(between(marks[1]!, marks[2]!));
    expect(seen(second.body.items)).toHaveLength(3);
    // The same instants written in Beijing time with their offset.
    const beijing = (d: Date) => DateTime.fromJSDate(d).setZone('Asia/Shanghai').toISO()!;
    expect(seen((await search({ from: beijing(marks[0]!), to: beijing(marks[1]!) })).body.items)).toEqual(between(marks[0]!, marks[1]!));

    // A Beijing day: everything this block did falls on the day(s) it ran; the day before holds none of it.
    const first = DateTime.fromJSDate(marks[0]!).setZone('Asia/Shanghai');
    const last = DateTime.fromJSDate(marks[3]!).setZone('Asia/Shanghai');
    expect(seen((await search({ from: first.toISODate()!, to: last.toISODate()! })).body.items)).toEqual(expected(() => true));
    const dayBefore = first.minus({ days: 1 }).toISODate()!;
    expect((await search({ from: dayBefore, to: dayBefore })).body.items).toEqual([]);
  });

  it('finds by case: the case’s own state changes with who did them, and entries naming the case', async () => {
    const res = await search({ caseId });
    expect(res.status).toBe(200);
    const items = res.body.items as AuditEntryView[];
    const history = await caseHistory(caseId);
    expect(items.filter((i) => i.source === 'case_event').map((i) => i.action).sort()).toEqual(history.map((e) => `case.${e.event}`).sort());
    expect(items.filter((i) => i.source === 'chain').map((i) => i.target.id)).toEqual([caseId, 'before-answer']);
    // Each where it happened: the entry before the answer sits below it, the later one above.
    const at = (p: (i: AuditEntryView) => boolean) => items.findIndex(p);
    expect(at((i) => i.target.id === caseId && i.source === 'chain')).toBeLessThan(at((i) => i.action === 'case.answer'));
    expect(at((i) => i.target.id === 'before-answer')).toBeGreaterThan(at((i) => i.action === 'case.answer'));
    expect(at((i) => i.target.id === 'before-answer')).toBeLessThan(at((i) => i.action === 'case.join'));
    // Newest first across both.
    const times = items.map((i) => Date.parse(i.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const answer = items.find((i) => i.action === 'case.answer')!;
    expect(answer).toMatchObject({
      actor: { id: deskId, name: '审计接警员', role: 'dispatcher', roleLabel: '接警员' },
      actionLabel: '接听视频',
      target: { kind: 'case', id: caseId, label: `案件 ${caseId.slice(-8).toUpperCase()}` },
      caseNo: caseId.slice(-8).toUpperCase(),
      changes: [{ field: 'state', label: '状态', before: '排队中', after: '通话中' }],
      requestId: answerRequestId,
    });
    // The same by the case number people read, and with the case's own filter narrowed by action and actor.
    expect((await search({ caseId: caseId.slice(-8).toUpperCase() })).body.items).toEqual(items);
    expect((await search({ caseId, action: 'case.answer' })).body.items.map((i: AuditEntryView) => i.action)).toEqual(['case.answer']);
    expect((await search({ caseId, actor: 'audit-desk' })).body.items.map((i: AuditEntryView) => i.action)).toEqual(['case.answer']);
  });

  it('pages by entry number: every entry exactly once, newest first', async () => {
    const all: AuditEntryView[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const res: { body: { items: AuditEntryView[]; nextBefore: number | null } } = await search({ limit: '2', ...(before ? { before: String(before) } : {}) });
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      all.push(...res.body.items);
      before = res.body.nextBefore;
      pages++;
    } while (before !== null && pages < 50);
    const seqs = all.map((i) => i.seq!);
    const stored = (await AuditEntry.find({}, { _id: 1 }).sort({ _id: -1 }).lean()).map((e) => e._id);
    expect(seqs).toEqual(stored);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('pages a case search too: the case’s events each once, with the chain’s entries', async () => {
    const one = await search({ caseId });
    const all: AuditEntryView[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const res: { body: { items: AuditEntryView[]; nextBefore: number | null } } = await search({ caseId, limit: '1', ...(before ? { before: String(before) } : {}) });
      all.push(...res.body.items);
      before = res.body.nextBefore;
      pages++;
    } while (before !== null && pages < 50);
    expect(pages).toBe(2);
    expect(all).toEqual(one.body.items);
  });

  it('exports the same search as CSV: BOM, Chinese headers, the rows in words', async () => {
    const res = await fetch(`${t.url}/api/v1/admin/audit/export.csv?action=service.`, { headers: { cookie: cookieOf(opsA) } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; .*filename\*=UTF-8''%E5%AE%A1%E8%AE%A1/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(Object.keys(rows[0]!)).toEqual(['序号', '时间（北京时间）', '操作人', '用户名', '角色', '操作', '操作代码', '对象', '案件号', '变更（前 → 后）', '详情', '请求号']);
    expect(rows.map((r) => `${r['用户名']} ${r['操作代码']}`)).toEqual(done.filter((d) => d.action.startsWith('service.')).reverse().map((d) => `${d.by.username} ${d.action}`));
    const first = done.find((d) => d.action === 'service.suspend')!;
    const row = rows.find((r) => r['请求号'] === first.requestId)!;
    expect(row).toMatchObject({ 角色: '运维', 操作: '暂停服务', 对象: `服务暂停 ${first.targetId}`, 详情: '大队：—；原因：暴雨，视频看不清；恢复时间：—' });
    expect(row['时间（北京时间）']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const at = DateTime.fromFormat(row['时间（北京时间）']!, 'yyyy-MM-dd HH:mm:ss', { zone: 'Asia/Shanghai' });
    expect(Math.abs(at.toMillis() - first.after)).toBeLessThan(2000);

    // A case's export carries its state changes in words.
    const caseRows = parseCsv((await (await fetch(`${t.url}/api/v1/admin/audit/export.csv?caseId=${caseId}`, { headers: { cookie: cookieOf(opsA) } })).text()).replace(/^\uFEFF/, ''));
    expect(caseRows.find((r) => r['操作代码'] === 'case.answer')).toMatchObject({ 序号: '案件记录', 操作人: '审计接警员', 角色: '接警员', 操作: '接听视频', '变更（前 → 后）': '状态：排队中 → 通话中', 请求号: answerRequestId });
  });

  it('records each export in the log itself: who took which records out', async () => {
    const res = await fetch(`${t.url}/api/v1/admin/audit/export.csv?action=service.&from=2026-01-01`, { headers: { cookie: cookieOf(opsB) } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const exports = (await search({ action: 'audit.export', actor: opsB.username })).body.items as AuditEntryView[];
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({ actionLabel: '导出审计日志', actor: { role: 'ops' }, requestId: res.headers.get('x-request-id'), details: { action: 'service.', from: '2026-01-01' } });
  });

  it('caps the export and says so in a last row', async () => {
    const text = await (await fetch(`${t.url}/api/v1/admin/audit/export.csv?limit=3`, { headers: { cookie: cookieOf(opsA) } })).text();
    const rows = parseCsv(text.replace(/^\uFEFF/, ''));
    expect(rows).toHaveLength(4);
    expect(rows.slice(0, 3).map((r) => Number(r['序号']))).toEqual((await AuditEntry.find({}, { _id: 1 }).sort({ _id: -1 }).limit(3).lean()).map((e) => e._id));
    expect(rows[3]!['序号']).toMatch(/已达导出上限 3 行/);
    expect((await fetch(`${t.url}/api/v1/admin/audit/export.csv?limit=50001`, { headers: { cookie: cookieOf(opsA) } })).status).toBe(400);
  });

  it('is for ops only', async () => {
    expect((await search({}, officer)).status).toBe(403);
    expect((await officer.get('/admin/audit/export.csv')).status).toBe(403);
    expect((await t.http.get('/api/v1/admin/audit')).status).toBe(401);
  });

  it('refuses bad filters with 400 AUDIT_FILTER_INVALID and says which', async () => {
    const bad: [Record<string, string>, string][] = [
      [{ actor: 'nobody-here' }, 'actor'],
      [{ actor: 'a b' }, 'actor'],
      [{ caseId: 'not-a-case' }, 'caseId'],
      [{ caseId: 'FFFFFFFF' }, 'caseId'],
      [{ action: 'Service.Suspend' }, 'action'],
      [{ from: '2026-13-01' }, 'from'],
      [{ from: '2026-11-30T10:00:00' }, 'from'],
      [{ from: '2026-11-30', to: '2026-11-29' }, 'to'],
      [{ before: '0' }, 'before'],
      [{ limit: '201' }, 'limit'],
      [{ limit: 'many' }, 'limit'],
    ];
    for (const [query, path] of bad) {
      const res = await search(query);
      expect([JSON.stringify(query), res.status, res.body.code]).toEqual([JSON.stringify(query), 400, 'AUDIT_FILTER_INVALID']);
      expect(res.body.issues[0].path).toBe(path);
      expect(res.body.message).toMatch(/^筛选条件有误：/);
    }
    const repeated = await opsA.get('/admin/audit?actor=a&actor=b');
    expect([repeated.status, repeated.body.code]).toEqual([400, 'AUDIT_FILTER_INVALID']);
  });

  it('never shows an ID number whole, also from an entry stored before masking covered it', async () => {
    // As an older version stored it: a 15-digit ID number whole in the details.
    const last = (await AuditEntry.findOne().sort({ _id: -1 }).lean())!;
    const older = { _id: last._id + 1, prevHash: last.hash, at: new Date(), actor: { kind: 'ops', id: 'y'.repeat(24), username: null }, action: 'brigade.update', target: { kind: 'brigade', id: 'JM-OLD' }, details: { dutyPhone: '440703900101123' } };
    await AuditEntry.collection.insertOne({ ...older, hash: auditHash(older) } as never);
    const shown = JSON.stringify((await search({ action: 'brigade.update' })).body);
    expect(shown).toContain('4407');
    expect(shown).not.toContain('440703900101123');
    const csv = await (await fetch(`${t.url}/api/v1/admin/audit/export.csv?action=brigade.update`, { headers: { cookie: cookieOf(opsA) } })).text();
    expect(csv).toContain('4407');
    expect(csv).not.toContain('440703900101123');
    // It stays: a well-formed older entry (and the export has appended after it).
  });

  it('leaves the chain whole', async () => {
    expect((await opsA.get('/admin/audit/verify')).body).toMatchObject({ ok: true, problem: null });
  });
});

/** The session cookie of a signed-in client, for a plain fetch (the export is read as bytes). */
function cookieOf(staff: Staff): string {
  return [...(staff.http as unknown as { cookies: Map<string, string> }).cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}
