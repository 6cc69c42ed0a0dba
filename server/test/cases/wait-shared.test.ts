import { Brigade } from '../../src/brigades/brigade.model';
import { Case } from '../../src/cases/case.model';
import { OpenCase } from '../../src/cases/open-case.model';
import { startTestServer, type TestServer } from '../harness';
import { signedInStaff } from '../decisions/decision-fixtures';
import { DURING_HOURS, report, seedBrigades, verifiedDriver, type TestDriver } from './fixtures';

/**
 * Every waiting phone polls its case every few seconds, and each poll of a queued case read the
 * brigade's whole queue and three counts for its wait estimate. Polls of one brigade that arrive while
 * such a read is under way now share it — and each still gets its own case's place.
 */
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  t.services.clock = DURING_HOURS;
  await seedBrigades();
}, 60_000);
afterAll(() => t.close());

const CASES = 6;
const drivers: TestDriver[] = [];
const ids: string[] = [];

it('polls of one brigade arriving together share one read of its queue, each with its own place', async () => {
  // A dispatcher on duty (their console open), or the reports are sent elsewhere.
  const desk = await signedInStaff(t, 'dispatcher', 'JM-PJ');
  expect((await desk.get('/queue')).status).toBe(200);
  for (let i = 0; i < CASES; i++) {
    const driver = await verifiedDriver(t);
    const res = await report(driver, { plate: `粤J8000${i}` });
    expect(res.status).toBe(201);
    drivers.push(driver);
    ids.push(res.body.caseId);
  }
  await t.services.caseListeners.settled();
  const onCallCounts = jest.spyOn(OpenCase, 'countDocuments');
  let views: { status: number; body: any }[];
  try {
    views = await Promise.all(drivers.map((d, i) => d.get(`/api/v1/cases/${ids[i]}`)));
    // One read per poll before: six counts of the calls in progress.
    expect(onCallCounts.mock.calls.length).toBeLessThan(CASES);
  } finally {
    onCallCounts.mockRestore();
  }
  for (const v of views) expect([v.status, v.body.state, v.body.failed]).toEqual([200, 'queued', []]);
  expect(views.map((v) => v.body.wait.position)).toEqual([1, 2, 3, 4, 5, 6]);
});

it('polls arriving together share one lookup of their brigade', async () => {
  const lookups = jest.spyOn(Brigade, 'findOne');
  try {
    const views = await Promise.all(drivers.map((d, i) => d.get(`/api/v1/cases/${ids[i]}`)));
    for (const v of views) expect(v.body.place.brigade).toMatchObject({ code: 'JM-PJ' });
    // One lookup per poll before.
    expect(lookups.mock.calls.length).toBeLessThan(CASES);
  } finally {
    lookups.mockRestore();
  }
});

it('a poll reads its case once, and another driver’s poll of it is 404', async () => {
  const caseReads = jest.spyOn(Case, 'findOne');
  try {
    expect((await drivers[0]!.get(`/api/v1/cases/${ids[0]}`)).status).toBe(200);
    // exists() for the party, then the load, before: two.
    expect(caseReads).toHaveBeenCalledTimes(1);
  } finally {
    caseReads.mockRestore();
  }
  const stranger = await drivers[1]!.get(`/api/v1/cases/${ids[0]}`);
  expect(stranger.status).toBe(404);
  expect(stranger.body.code).toBe('NOT_FOUND');
});
