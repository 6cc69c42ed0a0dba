import { AuditAnchor, AuditEntry, audit, forgetAuditHead, purgeAuditBefore, verifyAuditChain } from '../../src/platform/audit/audit';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades } from '../cases/fixtures';
import { signedInStaff } from '../decisions/decision-fixtures';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  await seedBrigades();
});
afterAll(() => t.close());
beforeEach(async () => {
  await AuditEntry.deleteMany({});
  await AuditAnchor.deleteMany({});
  forgetAuditHead(); // the chain was wiped behind the app's back
});

const actor = { kind: 'staff', id: 'ops-1', username: 'ops' };

describe('the audit chain', () => {
  it('holds for what staff did through the API, and ops can ask', async () => {
    const ops = await signedInStaff(t, 'ops', null);
    const library = (await ops.get('/scenarios')).body;
    expect((await ops.put('/admin/scenarios', { baseRev: library.rev, scenarios: library.scenarios })).status).toBe(200);
    const verified = await ops.get('/admin/audit/verify');
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ ok: true, checked: await AuditEntry.countDocuments(), problem: null });
    expect(verified.body.checked).toBeGreaterThan(0);
    expect((await (await signedInStaff(t, 'officer')).get('/admin/audit/verify')).status).toBe(403);
  });

  it('detects an altered entry, a deleted one, and an entry put back in another place', async () => {
    for (let i = 0; i < 5; i++) await audit({ actor, action: 'test.action', target: { kind: 'case', id: `c${i}` }, details: { n: i } });
    expect(await verifyAuditChain()).toEqual({ ok: true, checked: 5, problem: null });

    await AuditEntry.updateOne({ _id: 3 }, { $set: { 'details.n': 99 } });
    expect(await verifyAuditChain()).toMatchObject({ ok: false, checked: 2, problem: { seq: 3, reason: 'altered' } });
    await AuditEntry.updateOne({ _id: 3 }, { $set: { 'details.n': 2 } });
    expect((await verifyAuditChain()).ok).toBe(true);

    const fourth = await AuditEntry.findById(4).lean();
    await AuditEntry.deleteOne({ _id: 4 });
    expect(await verifyAuditChain()).toMatchObject({ ok: false, problem: { seq: 4, reason: 'missing' } });
    // Put back with its hash recomputed over other content still fails: entry 5 names the original's hash.
    await AuditEntry.create({ ...fourth!, action: 'test.other' });
    expect((await verifyAuditChain()).problem).toMatchObject({ seq: 4 });
  });

  it('stays one unbroken chain when many append at once', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => audit({ actor, action: 'test.race', target: { kind: 'case', id: `r${i}` } })));
    expect(await verifyAuditChain()).toEqual({ ok: true, checked: 20, problem: null });
  });

  it('never stores an ID number whole', async () => {
    await audit({ actor, action: 'test.mask', target: { kind: 'driver', id: 'd1' }, details: { note: '身份证 440703199001011234' } });
    expect(JSON.stringify(await AuditEntry.findById(1).lean())).not.toContain('440703199001011234');
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it('after retention drops old entries, what is kept still verifies from the anchor, and appends follow on', async () => {
    for (let i = 0; i < 4; i++) await audit({ actor, action: 'test.old', target: { kind: 'case', id: `o${i}` } });
    const cutoff = new Date(Date.now() + 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await audit({ actor, action: 'test.new', target: { kind: 'case', id: 'n1' } });
    expect(await purgeAuditBefore(cutoff)).toBe(4);
    expect(await verifyAuditChain()).toEqual({ ok: true, checked: 1, problem: null });
    await audit({ actor, action: 'test.newer', target: { kind: 'case', id: 'n2' } });
    expect(await verifyAuditChain()).toEqual({ ok: true, checked: 2, problem: null });
    expect(await purgeAuditBefore(cutoff)).toBe(0);
  });
});
