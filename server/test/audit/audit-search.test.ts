import { AuditEntry, auditHash, verifyAuditChain } from '../../src/platform/audit/audit';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades } from '../cases/fixtures';
import { signedInStaff } from '../decisions/decision-fixtures';

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
