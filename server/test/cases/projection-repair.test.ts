import mongoose from 'mongoose';
import { Case } from '../../src/cases/case.model';
import { OpenCase } from '../../src/cases/open-case.model';
import { reconcileOpenCases } from '../../src/cases/reconcile-open-cases';
import { setFaultHook } from '../../src/platform/faults';
import { startTestServer, type TestServer } from '../harness';
import { dispatcher } from '../call/call-fixtures';
import { caseDoc, DURING_HOURS, report, seedBrigades, verifiedDriver } from './fixtures';

class SimulatedCrash extends Error {}

/** The next write sequence to reach `point` stops there, as if the process had died. */
function crashOnceAt(point: string) {
  setFaultHook((reached) => {
    if (reached !== point) return;
    setFaultHook(null);
    throw new SimulatedCrash(`simulated crash at ${point}`);
  });
}

/**
 * A case and its open_cases row are two writes. Killed in between, the row must still converge: a
 * queued case visible to dispatchers, a finished case no longer blocking its driver — through the
 * start-up/periodic reconcile and through any read of the case.
 */
describe('open_cases converges after a crash between the case and its row', () => {
  let t: TestServer;
  let desk: Awaited<ReturnType<typeof dispatcher>>;
  const queueIds = async () => ((await desk.http.get('/api/v1/queue')).body.items as { caseId: string }[]).map((i) => i.caseId);

  beforeAll(async () => {
    t = await startTestServer();
    t.services.clock = DURING_HOURS;
    await seedBrigades();
    desk = await dispatcher(t, 'desk-repair');
  });
  afterAll(async () => {
    setFaultHook(null);
    await t.close();
  });

  it('a queued case whose row was never written: the reconcile makes it visible, answerable and closable', async () => {
    const driver = await verifiedDriver(t);
    crashOnceAt('case-applied:queued');
    const crashed = await report(driver);
    expect(crashed.status).toBe(500);
    const stuck = await Case.findOne({ initiatorId: driver.id }).lean();
    expect(stuck?.state).toBe('queued');
    expect(await OpenCase.exists({ _id: stuck!._id })).toBeNull();
    const caseId = String(stuck!._id);
    expect(await queueIds()).not.toContain(caseId);

    const { repaired } = await reconcileOpenCases();
    expect(repaired).toContain(caseId);
    expect(await queueIds()).toContain(caseId);
    expect((await desk.post(caseId, '/answer')).status).toBe(200);
    const closed = await desk.post(caseId, '/redirect', { reason: '需民警到场处理', alternatives: ['officer_on_scene'] });
    expect(closed.body.state).toBe('redirected');
    expect(await OpenCase.exists({ _id: stuck!._id })).toBeNull();
    expect((await reconcileOpenCases()).repaired).toEqual([]);
  });

  it('the waiting phone asking for its case is enough to put the row back', async () => {
    const driver = await verifiedDriver(t);
    crashOnceAt('case-applied:queued');
    expect((await report(driver, { key: 'phone-retry-key-0001' })).status).toBe(500);
    const stuck = await Case.findOne({ initiatorId: driver.id }).lean();
    expect(await OpenCase.exists({ _id: stuck!._id })).toBeNull();
    // The phone retries the report with the same key, as it does after any failed answer.
    const retried = await report(driver, { key: 'phone-retry-key-0001' });
    expect(retried.status).toBe(200);
    expect(retried.body.caseId).toBe(String(stuck!._id));
    expect(await queueIds()).toContain(String(stuck!._id));
  });

  it('a finished case whose row still says in_call no longer refuses its driver a new report', async () => {
    const driver = await verifiedDriver(t);
    const caseId = (await report(driver)).body.caseId as string;
    expect((await desk.post(caseId, '/answer')).status).toBe(200);
    crashOnceAt('case-applied:redirected');
    expect((await desk.post(caseId, '/redirect', { reason: '有人受伤', alternatives: ['call_122'] })).status).toBe(500);
    expect((await Case.findById(caseId).lean())?.state).toBe('redirected');
    expect((await OpenCase.findById(caseId).lean())?.state).toBe('in_call');

    const again = await report(driver);
    expect(again.status).toBe(201);
    expect(again.body.caseId).not.toBe(caseId);
    expect(await OpenCase.exists({ _id: caseId })).toBeNull();
    expect((await driver.get('/api/v1/cases/current')).body.case.caseId).toBe(again.body.caseId);
  });

  it('a repaired row without a location (a case written without one) breaks neither reports nearby nor the queue', async () => {
    const bare = await Case.create(caseDoc({ reportedAt: DURING_HOURS(), location: undefined }));
    await Case.updateOne({ _id: bare._id }, { $unset: { location: 1 } });
    expect((await reconcileOpenCases()).repaired).toContain(String(bare._id));
    const driver = await verifiedDriver(t);
    expect((await report(driver)).status).toBe(201);
    const queue = await desk.http.get('/api/v1/queue');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { caseId: string }) => i.caseId)).toContain(String(bare._id));
  });

  it("drops a finished case's signs of life, so call_presence holds only the cases at the scene", async () => {
    const driver = await verifiedDriver(t);
    const caseId = (await report(driver)).body.caseId as string;
    await driver.get(`/api/v1/cases/${caseId}`); // the waiting phone's poll is a sign of life
    const presence = mongoose.connection.collection<{ _id: string }>('call_presence');
    expect(await presence.findOne({ _id: `${caseId}:A` })).not.toBeNull();
    expect((await driver.post(`/api/v1/cases/${caseId}/cancel`, {})).body.state).toBe('cancelled');
    expect(await presence.findOne({ _id: `${caseId}:A` })).toBeNull();
  });

  it('the reconcile drops a row left for a finished case even if nobody reads it', async () => {
    const driver = await verifiedDriver(t);
    const caseId = (await report(driver)).body.caseId as string;
    crashOnceAt('case-applied:cancelled');
    expect((await driver.post(`/api/v1/cases/${caseId}/cancel`, {})).status).toBe(500);
    expect((await OpenCase.findById(caseId).lean())?.state).toBe('queued');
    expect(await queueIds()).toContain(caseId);
    expect((await reconcileOpenCases()).repaired).toContain(caseId);
    expect(await queueIds()).not.toContain(caseId);
  });
});
