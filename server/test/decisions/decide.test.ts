import { Case } from '../../src/cases/case.model';
import { AuditEntry } from '../../src/platform/audit/audit';
import { startTestServer, type TestServer } from '../harness';
import { insertCase, seedBrigades } from '../cases/fixtures';
import { decision, party, releasedCase, signedInStaff } from './decision-fixtures';

let t: TestServer;
const staff = (role: 'dispatcher' | 'officer' | 'ops', brigadeCode: string | null = 'JM-PJ') => signedInStaff(t, role, brigadeCode);

beforeAll(async () => {
  t = await startTestServer();
  await seedBrigades();
});
afterAll(() => t.close());

describe('待认定: released cases waiting for an officer', () => {
  it('lists the brigade’s released cases oldest first, not another brigade’s, and not cases still on the call', async () => {
    const older = await releasedCase({ releasedAt: new Date(Date.now() - 3_600_000) });
    const newer = await releasedCase();
    const elsewhere = await releasedCase({ brigadeCode: 'JM-XH' });
    const onCall = await insertCase({ state: 'collecting', parties: [party('A', '粤J30003'), party('B', '粤J40004')] });
    const officer = await staff('officer');
    const res = await officer.get('/decisions/pending');
    expect(res.status).toBe(200);
    const ids = res.body.items.map((i: { caseId: string }) => i.caseId);
    expect(ids.indexOf(older)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(older)).toBeLessThan(ids.indexOf(newer));
    expect(ids).not.toContain(elsewhere);
    expect(ids).not.toContain(String(onCall._id));
    const item = res.body.items.find((i: { caseId: string }) => i.caseId === newer);
    expect(item).toMatchObject({ caseNo: newer.slice(-8).toUpperCase(), address: '江门市蓬江区建设路', parties: [{ label: 'A', plate: '粤J10001' }, { label: 'B', plate: '粤J20002' }], tagged: false });
  });

  it('is the officer’s and ops’ list: a dispatcher is refused', async () => {
    expect((await (await staff('dispatcher')).get('/decisions/pending')).status).toBe(403);
    expect((await (await staff('ops', null)).get('/decisions/pending')).status).toBe(200);
  });
});

describe('scenario tags and the proposal', () => {
  it('one party fits → that party full, the other none; both fit → equal; the case file shows both and the timeline', async () => {
    const caseId = await releasedCase();
    const desk = await staff('dispatcher');
    const one = await desk.put(`/decisions/cases/${caseId}/tags`, { party: 'A', scenarioCodes: ['rear_end'] });
    expect(one.status).toBe(200);
    expect(one.body.proposal.rule).toBe('one_fits');
    expect(one.body.proposal.parties).toEqual([
      { label: 'A', liability: 'full', basis: expect.stringContaining('《中华人民共和国道路交通安全法》第四十三条') },
      { label: 'B', liability: 'none', basis: '无过错' },
    ]);
    const both = await desk.put(`/decisions/cases/${caseId}/tags`, { party: 'B', scenarioCodes: ['lane_change'] });
    expect(both.body.proposal).toMatchObject({ rule: 'all_fit', parties: [{ label: 'A', liability: 'equal' }, { label: 'B', liability: 'equal' }] });
    const cleared = await desk.put(`/decisions/cases/${caseId}/tags`, { party: 'B', scenarioCodes: [] });
    expect(cleared.body.proposal.rule).toBe('one_fits');

    const file = await (await staff('officer')).get(`/decisions/cases/${caseId}`);
    expect(file.status).toBe(200);
    expect(file.body.caseNo).toBe(caseId.slice(-8).toUpperCase());
    // The dispatcher's call screen reads the same tags and proposal back.
    expect((await desk.get(`/decisions/cases/${caseId}/tags`)).body).toEqual({ tags: file.body.tags, proposal: file.body.proposal });
    expect(file.body.tags).toEqual([{ party: 'A', scenarioCodes: ['rear_end'] }, { party: 'B', scenarioCodes: [] }]);
    expect(file.body.case.parties.map((p: { label: string }) => p.label)).toEqual(['A', 'B']);
    expect(file.body.timeline.filter((e: { event: string }) => e.event === 'scenario_tags')).toHaveLength(3);
    expect(file.body.decision).toBeNull();
  });

  it('refuses a scenario the library does not have, and a party the case does not have', async () => {
    const caseId = await releasedCase();
    const officer = await staff('officer');
    const unknown = await officer.put(`/decisions/cases/${caseId}/tags`, { party: 'A', scenarioCodes: ['flying_car'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('flying_car');
    const nobody = await officer.put(`/decisions/cases/${caseId}/tags`, { party: 'C', scenarioCodes: ['rear_end'] });
    expect(nobody.status).toBe(400);
  });
});

describe('the decision', () => {
  it('confirming the proposal needs no reason; the case is determined with proposal, decision, officer and time', async () => {
    const caseId = await releasedCase();
    const officer = await staff('officer');
    await officer.put(`/decisions/cases/${caseId}/tags`, { party: 'A', scenarioCodes: ['rear_end'] });
    const res = await officer.post(`/decisions/cases/${caseId}/decision`, decision({ A: 'full', B: 'none' }));
    expect(res.status).toBe(201);
    expect(res.body.case.state).toBe('delivered');
    expect(res.body.decision).toMatchObject({
      proposal: { rule: 'one_fits' },
      parties: [{ label: 'A', liability: 'full' }, { label: 'B', liability: 'none' }],
      reason: null,
      differsFromProposal: false,
      officer: { name: expect.stringMatching(/^民警/) },
      weather: '晴',
      accidentType: '追尾',
    });
    const stored = await Case.findById(caseId).lean();
    expect(stored?.decision?.scenarioLibraryRev).toBe(0);
    expect(stored?.decision?.decidedAt).toBeInstanceOf(Date);
  });

  it('a decision that differs from the proposal, or has none to follow, needs a written reason', async () => {
    const caseId = await releasedCase();
    const officer = await staff('officer');
    await officer.put(`/decisions/cases/${caseId}/tags`, { party: 'A', scenarioCodes: ['rear_end'] });
    const silent = await officer.post(`/decisions/cases/${caseId}/decision`, decision({ A: 'main', B: 'minor' }));
    expect(silent.status).toBe(400);
    expect(silent.body.code).toBe('REASON_REQUIRED');
    const explained = await officer.post(`/decisions/cases/${caseId}/decision`, decision({ A: 'main', B: 'minor' }, 'B 车制动灯损坏，对事故发生亦有过错'));
    expect(explained.status).toBe(201);
    expect(explained.body.decision).toMatchObject({ differsFromProposal: true, reason: 'B 车制动灯损坏，对事故发生亦有过错' });

    const untagged = await releasedCase();
    expect((await officer.post(`/decisions/cases/${untagged}/decision`, decision({ A: 'equal', B: 'equal' }))).body.code).toBe('REASON_REQUIRED');
  });

  it('refuses grades that cannot stand together, and a decision that leaves a party out', async () => {
    const caseId = await releasedCase();
    const officer = await staff('officer');
    const twoFull = await officer.post(`/decisions/cases/${caseId}/decision`, decision({ A: 'full', B: 'full' }, '双方均有全部过错'));
    expect(twoFull.status).toBe(400);
    expect(twoFull.body).toMatchObject({ code: 'LIABILITY_INCONSISTENT', message: '不能有两方都负全部责任' });
    const mainAlone = await officer.post(`/decisions/cases/${caseId}/decision`, decision({ A: 'main', B: 'none' }, '理由'));
    expect(mainAlone.body.code).toBe('LIABILITY_INCONSISTENT');
    const partial = await officer.post(`/decisions/cases/${caseId}/decision`, { ...decision({ A: 'full', B: 'none' }, '理由'), parties: decision({ A: 'full', B: 'none' }).parties.slice(0, 1) });
    expect(partial.status).toBe(400);
    expect((await Case.findById(caseId).lean())?.state).toBe('released');
  });

  it('two officers deciding at once: one decides, the other is told the case is decided', async () => {
    const caseId = await releasedCase();
    const [first, second] = [await staff('officer'), await staff('officer')];
    const answers = await Promise.all([
      first.post(`/decisions/cases/${caseId}/decision`, decision({ A: 'full', B: 'none' }, '追尾')),
      second.post(`/decisions/cases/${caseId}/decision`, decision({ A: 'none', B: 'full' }, '倒车')),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const loser = answers.find((a) => a.status === 409)!;
    expect(loser.body).toMatchObject({ code: 'ALREADY_DECIDED', message: '该案件已由其他民警认定' });
    const stored = await Case.findById(caseId).lean();
    const winner = answers.find((a) => a.status === 201)!;
    expect(stored?.decision?.parties.map((p) => p.liability)).toEqual(winner.body.decision.parties.map((p: { liability: string }) => p.liability));
  });

  it('only an officer decides, only a released case, only of their brigade', async () => {
    const caseId = await releasedCase();
    expect((await (await staff('dispatcher')).post(`/decisions/cases/${caseId}/decision`, decision({ A: 'full', B: 'none' }, '理由'))).status).toBe(403);
    expect((await (await staff('officer', 'JM-XH')).post(`/decisions/cases/${caseId}/decision`, decision({ A: 'full', B: 'none' }, '理由'))).status).toBe(404);
    const onCall = String((await insertCase({ state: 'collecting', parties: [party('A', '粤J50005'), party('B', '粤J60006')] }))._id);
    const early = await (await staff('officer')).post(`/decisions/cases/${onCall}/decision`, decision({ A: 'full', B: 'none' }, '理由'));
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('CASE_NOT_RELEASED');
  });
});

describe('the scenario library', () => {
  it('ships the 20 standard scenarios, each with its legal basis; ops save a new revision, audited; a stale one is refused', async () => {
    const officer = await staff('officer');
    const library = (await officer.get('/scenarios')).body;
    expect(library.rev).toBe(0);
    expect(library.scenarios).toHaveLength(20);
    for (const s of library.scenarios) expect(s.basis).toMatch(/^《中华人民共和国道路交通安全法(实施条例)?》第/);

    const ops = await staff('ops', null);
    const scenarios = [...library.scenarios, { code: 'parking_lot_exit', title: '驶出停车场未让行', description: '驶出停车场时未让道路上正常行驶的车辆先行', basis: '《中华人民共和国道路交通安全法实施条例》第六十七条' }];
    const saved = await ops.put('/admin/scenarios', { baseRev: 0, scenarios });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ rev: 1, changedBy: expect.any(String) });
    expect(saved.body.scenarios).toHaveLength(21);
    expect(await AuditEntry.exists({ action: 'scenario_library.save', 'target.id': '1' })).not.toBeNull();
    const stale = await ops.put('/admin/scenarios', { baseRev: 0, scenarios });
    expect(stale.status).toBe(409);
    expect((await officer.put('/admin/scenarios', { baseRev: 1, scenarios })).status).toBe(403);
  });
});
