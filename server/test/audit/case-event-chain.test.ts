import { verifyAllCaseEvents, verifyCaseEvents } from '../../src/cases';
import { CaseEvent } from '../../src/cases/case-event.model';
import { Case } from '../../src/cases/case.model';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, seedBrigades } from '../cases/fixtures';
import { signedInStaff } from '../decisions/decision-fixtures';
import { dispatcher, twoPartyCase } from '../call/call-fixtures';

/** Every state change is in the case's own hash chain: an altered, deleted or relinked one is found. */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  t.services.clock = DURING_HOURS;
  await seedBrigades();
});
afterAll(() => t.close());

/** A case reported, joined, answered and handed back through the real API: several events, several actors. */
async function caseWithHistory(name: string): Promise<string> {
  const { caseId } = await twoPartyCase(t);
  const desk = await dispatcher(t, name);
  const answered = await desk.post(caseId, '/answer');
  expect(answered.status).toBe(200);
  expect((await desk.post(caseId, '/hand-back')).status).toBe(200);
  return caseId;
}

describe("a case's event chain", () => {
  it('links every event written through the API, and verifies', async () => {
    const caseId = await caseWithHistory('chain-desk-1');
    const events = await CaseEvent.find({ caseId }).sort({ rev: 1 }).lean();
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(events.every((e) => typeof e.hash === 'string' && e.hash.length === 64)).toBe(true);
    expect(events[0]!.prevHash).toBe('case-event-genesis');
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    expect((await Case.findById(caseId).lean())!.eventHash).toBe(events.at(-1)!.hash);
    expect(await verifyCaseEvents(caseId)).toEqual({ ok: true, checked: events.length, unchained: 0, problem: null });
  });

  it('finds an altered event, a deleted one in the middle or at the end, a stripped hash, and a relinked one', async () => {
    const caseId = await caseWithHistory('chain-desk-2');
    const events = await CaseEvent.find({ caseId }).sort({ rev: 1 }).lean();
    const second = events[1]!;
    const last = events.at(-1)!;

    await CaseEvent.updateOne({ _id: second._id }, { $set: { reason: '改过的原因' } });
    expect((await verifyCaseEvents(caseId)).problem).toEqual({ rev: 2, reason: 'altered' });
    await CaseEvent.updateOne({ _id: second._id }, { $set: { reason: second.reason } });
    expect((await verifyCaseEvents(caseId)).ok).toBe(true);

    await CaseEvent.updateOne({ _id: second._id }, { $set: { 'actor.id': 'someone-else' } });
    expect((await verifyCaseEvents(caseId)).problem).toEqual({ rev: 2, reason: 'altered' });
    await CaseEvent.updateOne({ _id: second._id }, { $set: { actor: second.actor } });

    await CaseEvent.updateOne({ _id: second._id }, { $set: { hash: null } });
    expect((await verifyCaseEvents(caseId)).problem).toEqual({ rev: 2, reason: 'altered' });
    await CaseEvent.updateOne({ _id: second._id }, { $set: { hash: second.hash } });

    await CaseEvent.updateOne({ _id: last._id }, { $set: { prevHash: events[0]!.hash } });
    expect((await verifyCaseEvents(caseId)).problem).toEqual({ rev: last.rev, reason: 'relinked' });
    await CaseEvent.updateOne({ _id: last._id }, { $set: { prevHash: last.prevHash } });
    expect((await verifyCaseEvents(caseId)).ok).toBe(true);

    await CaseEvent.deleteOne({ _id: second._id });
    expect((await verifyCaseEvents(caseId)).problem).toEqual({ rev: 2, reason: 'missing' });
    await CaseEvent.collection.insertOne(second as never);

    await CaseEvent.deleteOne({ _id: last._id });
    expect((await verifyCaseEvents(caseId)).problem).toEqual({ rev: last.rev, reason: 'missing' });
    await CaseEvent.collection.insertOne(last as never);
    expect((await verifyCaseEvents(caseId)).ok).toBe(true);
  });

  it('reads events from before the chain as not chained, and the verify command names a broken case', async () => {
    const legacy = await caseWithHistory('chain-desk-3');
    await CaseEvent.updateMany({ caseId: legacy }, { $set: { hash: null, prevHash: null } });
    await Case.updateOne({ _id: legacy }, { $set: { eventHash: null } });
    const before = await verifyCaseEvents(legacy);
    expect(before).toMatchObject({ ok: true, checked: 0 });
    expect(before.unchained).toBeGreaterThanOrEqual(4);

    const all = await verifyAllCaseEvents();
    expect(all.broken).toBeNull();
    expect(all.cases).toBeGreaterThanOrEqual(3);

    const victim = await caseWithHistory('chain-desk-4');
    await CaseEvent.updateOne({ caseId: victim, rev: 1 }, { $set: { to: 'released' } });
    expect((await verifyAllCaseEvents()).broken).toEqual({ caseId: victim, problem: { rev: 1, reason: 'altered' } });
  });

  it('ops ask for one case over HTTP; an officer may not', async () => {
    const caseId = await caseWithHistory('chain-desk-5');
    const ops = await signedInStaff(t, 'ops', null);
    const res = await ops.get(`/admin/audit/cases/${caseId}/verify`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, problem: null });
    expect(res.body.checked).toBeGreaterThanOrEqual(4);
    expect((await ops.get('/admin/audit/cases/not-an-id/verify')).status).toBe(400);
    const officer = await signedInStaff(t, 'officer');
    expect((await officer.get(`/admin/audit/cases/${caseId}/verify`)).status).toBe(403);
  });
});
