import { CaseEvent, caseEventId } from '../../src/cases/case-event.model';
import { OpenCase } from '../../src/cases/open-case.model';
import { Case } from '../../src/cases/case.model';
import { RevokedSession } from '../../src/auth/revoked-sessions';
import { startTestServer, type TestServer } from '../harness';
import { signedInStaff } from '../decisions/decision-fixtures';
import { DURING_HOURS, report, seedBrigades, verifiedDriver } from './fixtures';

/**
 * A waiting phone polls its case every 5 s. Each poll used to make ten database reads: whether the
 * session was revoked, the case, its pending event, its open_cases row, the brigade and five for the
 * wait estimate. What cannot have changed is now read once and shared (see shared-reads.ts), and a
 * change is still seen by the very next poll.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  t.services.clock = DURING_HOURS;
  await seedBrigades();
}, 60_000);
afterAll(() => t.close());

it('repeated polls of a queued case read neither its pending event, nor its row, nor the session again', async () => {
  const desk = await signedInStaff(t, 'dispatcher', 'JM-PJ');
  expect((await desk.get('/queue')).status).toBe(200);
  const driver = await verifiedDriver(t);
  const caseId = (await report(driver)).body.caseId as string;
  await t.services.caseListeners.settled();
  const spies = [jest.spyOn(CaseEvent, 'findById'), jest.spyOn(OpenCase, 'findById'), jest.spyOn(RevokedSession, 'exists')];
  try {
    for (let i = 0; i < 4; i++) {
      const poll = await driver.get(`/api/v1/cases/${caseId}`);
      expect([poll.status, poll.body.state, poll.body.wait.position]).toEqual([200, 'queued', 1]);
    }
    // Before: four of each.
    expect(spies.map((s) => s.mock.calls.length)).toEqual([0, 0, 0]);
  } finally {
    for (const s of spies) s.mockRestore();
  }
});

it('sees a change at once: the next poll after the desk answers shows the call, and a logout refuses the token', async () => {
  const desk = await signedInStaff(t, 'dispatcher', 'JM-PJ');
  const driver = await verifiedDriver(t);
  const caseId = (await report(driver)).body.caseId as string;
  expect((await driver.get(`/api/v1/cases/${caseId}`)).body.state).toBe('queued');
  expect((await desk.post(`/desk/cases/${caseId}/answer`, {})).status).toBe(200);
  expect((await driver.get(`/api/v1/cases/${caseId}`)).body.state).toBe('in_call');
  expect((await driver.post('/api/v1/auth/logout', { refreshToken: driver.refreshToken })).status).toBe(200);
  const refused = await driver.get(`/api/v1/cases/${caseId}`);
  expect([refused.status, refused.body.code]).toEqual([401, 'TOKEN_REVOKED']);
});

it('an event whose writer died is finished by the next write at once (reads finish it within 10 s)', async () => {
  const desk = await signedInStaff(t, 'dispatcher', 'JM-PJ');
  const driver = await verifiedDriver(t);
  const caseId = (await report(driver)).body.caseId as string;
  expect((await driver.get(`/api/v1/cases/${caseId}`)).body.state).toBe('queued');
  const { rev } = (await Case.findById(caseId).lean())!;
  // Another dispatcher's instance claimed the answer and died before applying it.
  await CaseEvent.create({ _id: caseEventId(caseId, rev + 1), caseId, rev: rev + 1, at: new Date(), event: 'answer', from: 'queued', to: 'in_call', actor: { kind: 'dispatcher', id: 'gone' }, set: { answeredAt: DURING_HOURS() } });
  const answered = await desk.post(`/desk/cases/${caseId}/answer`, {});
  // The desk's answer found the case already answered by the dead writer's event: finished first, then refused.
  expect([answered.status, answered.body.code]).toEqual([409, 'ALREADY_ANSWERED']);
  expect((await driver.get(`/api/v1/cases/${caseId}`)).body.state).toBe('in_call');
});

it('a photo request changes nothing the queue shows: the brigade’s shared read is kept, here and (by the hint) elsewhere', async () => {
  const desk = await signedInStaff(t, 'dispatcher', 'JM-PJ');
  const driver = await verifiedDriver(t);
  const caseId = (await report(driver)).body.caseId as string;
  expect((await desk.post(`/desk/cases/${caseId}/answer`, {})).status).toBe(200);
  // The first request of the call starts collecting (a state change, which the queue shows).
  expect((await desk.post(`/desk/cases/${caseId}/shot-requests`, { party: 'A', kind: 'impact_point' })).status).toBe(201);
  await t.services.caseListeners.settled();
  expect((await desk.get('/queue')).status).toBe(200);
  const published = jest.spyOn(t.services.pubsub, 'publish');
  const openReads = jest.spyOn(OpenCase, 'find');
  try {
    expect((await desk.post(`/desk/cases/${caseId}/shot-requests`, { party: 'A', kind: 'plate' })).status).toBe(201);
    const queue = await desk.get('/queue');
    expect(queue.body.active.map((a: { caseId: string }) => a.caseId)).toContain(caseId);
    expect(openReads.mock.calls.length).toBe(0);
    // Everyone is still told (the case files of 认定 and 复核 follow the queue topic), with the word
    // that the queue shows no difference: other instances keep their desk read too.
    const told = new Map(published.mock.calls.map(([topic, message]) => [topic, message as { queue?: boolean }]));
    expect([...told.keys()].sort()).toEqual([`case:${caseId}`, 'queue:*', 'queue:JM-PJ']);
    for (const message of told.values()) expect(message.queue).toBe(false);
  } finally {
    published.mockRestore();
    openReads.mockRestore();
  }
});
