import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, PENGJIANG, report, seedBrigades, verifiedDriver } from './fixtures';

/**
 * The dispatcher's queue as a dispatch console reads it: where each case is, its number, who else is
 * on duty and the brigade's day so far.
 */
describe('the dispatch queue (GET /api/v1/queue)', () => {
  let t: TestServer;
  const password = 'dispatch-queue-password';
  let desk: HttpClient;

  beforeAll(async () => {
    t = await startTestServer();
    await seedBrigades();
    await createStaff({ username: 'dq-pj', displayName: '陈接警', role: 'dispatcher', brigadeCode: 'JM-PJ', password }, t.config.PASSWORD_HASH_COST);
    desk = new HttpClient(t.url);
    await desk.post('/api/v1/staff/login', { username: 'dq-pj', password });
  });
  beforeEach(() => {
    t.fakes.tencentMap.reset();
    t.services.clock = DURING_HOURS;
  });
  afterAll(() => t.close());

  const itemOf = async (caseId: string) => {
    const queue = await desk.get('/api/v1/queue');
    expect(queue.status).toBe(200);
    return queue.body.items.find((i: { caseId: string }) => i.caseId === caseId);
  };

  describe('where the case is', () => {
    it("reads the geocoder's address when it has one", async () => {
      t.fakes.tencentMap.addPlace({ ...PENGJIANG, radiusM: 100, street: '建设三路', streetNumber: '38号', district: '蓬江区', adcode: '440703' });
      const reported = await report(await verifiedDriver(t));
      expect(reported.status).toBe(201);
      expect((await itemOf(reported.body.caseId)).address).toBe('蓬江区建设三路');
    });

    // The queue read 未定位 whenever the reverse geocoder had no address for the point (its answer 347,
    // which the geocoder fake gives for every point it does not know) or was down when the case was
    // reported: the case has its GCJ-02 point and its district from our own outlines all the same.
    it.each([
      ['has no address for the point', () => undefined],
      ['is down', () => t.fakes.tencentMap.failNext('geocoder', { status: 503, body: 'down' }, 5)],
    ])('names the district and the point when the geocoder %s', async (_why, arrange) => {
      arrange();
      const reported = await report(await verifiedDriver(t));
      expect(reported.status).toBe(201);
      const item = await itemOf(reported.body.caseId);
      expect(item.address).toBe(`蓬江区（${PENGJIANG.lat.toFixed(5)}, ${PENGJIANG.lng.toFixed(5)}）`);
      // The driver's and the desk's views say the same.
      expect(reported.body.place.address).toBe(item.address);
    });
  });
});
