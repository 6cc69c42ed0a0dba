import { Staff } from '../../src/staff/staff.model';
import { forgetDesk } from '../../src/cases/desk-reads';
import { StaffPresence } from '../../src/staff/presence.model';
import { createStaff } from '../../src/staff/staff.service';
import { HttpClient } from '../http';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, PENGJIANG, insertCase, pointIn, report, seedBrigades, verifiedDriver } from './fixtures';

/** Cookie writes from the console carry this header (the CSRF guard). */
const WRITE = { headers: { 'x-console-request': '1' } };

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

  const signIn = async (username: string) => {
    const http = new HttpClient(t.url);
    expect((await http.post('/api/v1/staff/login', { username, password })).status).toBe(200);
    return http;
  };

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
  describe('the case number', () => {
    it('is on the row, on the desk view and in the SMS the parties get: one number', async () => {
      const reporter = await verifiedDriver(t);
      const { caseId } = (await report(reporter)).body;
      const expected = caseId.slice(-8).toUpperCase();
      const item = await itemOf(caseId);
      expect(item.caseNo).toBe(expected);
      expect(item.location).toEqual({ lat: PENGJIANG.lat, lng: PENGJIANG.lng });

      const answered = await desk.post(`/api/v1/desk/cases/${caseId}/answer`, undefined, WRITE);
      expect(answered.status).toBe(200);
      expect(answered.body.caseNo).toBe(expected);
      expect((await desk.get(`/api/v1/desk/cases/${caseId}`)).body.caseNo).toBe(expected);
      let sms = t.fakes.sms.lastTo(reporter.phone);
      for (let i = 0; i < 50 && !sms; i++) {
        await new Promise((r) => setTimeout(r, 50));
        sms = t.fakes.sms.lastTo(reporter.phone);
      }
      expect(sms).toMatchObject({ template: 'case_answered', params: { caseNo: expected } });

      // On the call now: off the queue, on the map as an active case with who has it.
      const queue = (await desk.get('/api/v1/queue')).body;
      expect(queue.items.some((i: { caseId: string }) => i.caseId === caseId)).toBe(false);
      expect(queue.active.find((a: { caseId: string }) => a.caseId === caseId)).toMatchObject({
        caseNo: expected,
        state: 'in_call',
        address: `蓬江区（${PENGJIANG.lat.toFixed(5)}, ${PENGJIANG.lng.toFixed(5)}）`,
        location: { lat: PENGJIANG.lat, lng: PENGJIANG.lng },
        answeredBy: { name: '陈接警' },
      });
      expect(queue.onDuty.find((p: { name: string }) => p.name === '陈接警')).toMatchObject({ role: 'dispatcher', onCall: { caseId, caseNo: expected } });
    });
  });

  describe('who is on duty', () => {
    it('names the dispatchers and officers of the brigade whose console is open, and nobody else', async () => {
      const people = [
        { username: 'dq-li', displayName: '李接警', role: 'dispatcher' as const, brigadeCode: 'JM-PJ' },
        { username: 'dq-wang', displayName: '王民警', role: 'officer' as const, brigadeCode: 'JM-PJ' },
        { username: 'dq-zhao', displayName: '赵接警', role: 'dispatcher' as const, brigadeCode: 'JM-XH' },
        { username: 'dq-qian', displayName: '钱接警', role: 'dispatcher' as const, brigadeCode: 'JM-PJ' },
        { username: 'dq-sun', displayName: '孙接警', role: 'dispatcher' as const, brigadeCode: 'JM-PJ' },
      ];
      for (const person of people) {
        await createStaff({ ...person, password }, t.config.PASSWORD_HASH_COST);
        expect((await (await signIn(person.username)).get('/api/v1/queue')).status).toBe(200);
      }
      // 钱 was disabled since; 孙 closed the console ten minutes ago (past the on-duty window).
      await Staff.updateOne({ username: 'dq-qian' }, { $set: { disabled: true } });
      const sun = await Staff.findOne({ username: 'dq-sun' }).lean();
      await StaffPresence.updateOne({ staffId: sun!._id }, { $set: { lastSeenAt: new Date(DURING_HOURS().getTime() - 10 * 60_000) } });
      // Edited behind the app's back (time passing, an account changed elsewhere), which the brigade's
      // shared on-duty read would see within a few seconds: read afresh now.
      forgetDesk(undefined, 'both');

      const queue = (await desk.get('/api/v1/queue')).body;
      const named = queue.onDuty.map((p: { name: string; role: string }) => `${p.name}/${p.role}`).sort();
      expect(named).toEqual(['李接警/dispatcher', '王民警/officer', '陈接警/dispatcher'].sort());
      expect(queue.dispatchersOnDuty).toBe(3);
    });
  });

  describe("today's figures (Asia/Shanghai day)", () => {
    /** A case of the 江海 brigade as the test states it; the expected figures are counted from these. */
    interface Spec {
      at: string;
      state: string;
      brigadeCode?: string;
      answeredAfterS?: number;
      handlingS?: number;
    }
    const NOW = '2026-12-02T23:55:00+08:00';
    const TODAY = '2026-12-02';
    const JIANGHAI = pointIn('440704');
    const specs: Spec[] = [
      { at: '2026-12-02T23:50:00+08:00', state: 'queued' }, // 15:50 UTC: today either way
      { at: '2026-12-02T00:05:00+08:00', state: 'released', answeredAfterS: 60, handlingS: 200 }, // 1 Dec by UTC: today in Beijing
      { at: '2026-12-01T23:50:00+08:00', state: 'released', answeredAfterS: 30, handlingS: 100 }, // yesterday in Beijing
      { at: '2026-12-02T08:00:00+08:00', state: 'determined', answeredAfterS: 20, handlingS: 420 }, // released late
      { at: '2026-12-02T09:00:00+08:00', state: 'in_call', answeredAfterS: 30 }, // clock still running
      { at: '2026-12-02T10:00:00+08:00', state: 'redirected', answeredAfterS: 40 }, // redirected on the call
      { at: '2026-12-02T12:00:00+08:00', state: 'cancelled' },
      { at: '2026-12-02T14:00:00+08:00', state: 'released', answeredAfterS: 10, handlingS: 300 }, // exactly 5 minutes
      { at: '2026-12-02T13:00:00+08:00', state: 'released', answeredAfterS: 10, handlingS: 90, brigadeCode: 'JM-XH' },
    ];

    function expectedFor(all: Spec[], brigadeCode: string) {
      const today = all.filter((s) => (s.brigadeCode ?? 'JM-JH') === brigadeCode && s.at.slice(0, 10) === TODAY && s.at.endsWith('+08:00'));
      const answered = today.filter((s) => s.answeredAfterS !== undefined);
      const ended = answered.filter((s) => s.state !== 'in_call' && s.state !== 'collecting');
      const within = ended.filter((s) => s.handlingS !== undefined && s.handlingS <= 300);
      return {
        date: TODAY,
        reported: today.length,
        answered: answered.length,
        released: today.filter((s) => s.handlingS !== undefined).length,
        serviceLevel: { targetSeconds: 300, eligible: ended.length, releasedWithin: within.length, share: ended.length ? within.length / ended.length : null },
      };
    }

    it('counts the cases reported today in Beijing, with a case at 23:50 on the right day, and the 5-minute share', async () => {
      t.services.clock = () => new Date(NOW);
      for (const spec of specs) {
        const reportedAt = new Date(spec.at);
        const answeredAt = spec.answeredAfterS !== undefined ? new Date(reportedAt.getTime() + spec.answeredAfterS * 1000) : null;
        await insertCase({
          state: spec.state,
          brigadeCode: spec.brigadeCode ?? 'JM-JH',
          districtName: '江海区',
          location: { ...JIANGHAI, accuracyM: 10, reportedAs: 'gcj02', confirmedOnMap: false },
          reportedAt,
          answeredAt,
          answeredBy: answeredAt ? { id: null, name: '某接警员' } : undefined,
          releasedAt: spec.handlingS !== undefined ? new Date(answeredAt!.getTime() + spec.handlingS * 1000) : null,
          handlingSeconds: spec.handlingS ?? null,
        });
      }
      await createStaff({ username: 'dq-jh', displayName: '江海接警', role: 'dispatcher', brigadeCode: 'JM-JH', password }, t.config.PASSWORD_HASH_COST);
      const jh = await signIn('dq-jh');

      // Through the case core as well: a report at 23:55 is refused (out of hours) and still counts
      // as reported; a case the desk answers and redirects counts as answered and ended.
      const late = await report(await verifiedDriver(t), { at: JIANGHAI });
      expect(late.body.state).toBe('redirected');
      const all: Spec[] = [...specs, { at: NOW, state: 'redirected' }];
      const waiting = await insertCase({ brigadeCode: 'JM-JH', districtName: '江海区', reportedAt: new Date('2026-12-02T23:52:00+08:00'), location: { ...JIANGHAI, accuracyM: 10, reportedAs: 'gcj02', confirmedOnMap: false } });
      const id = String(waiting._id);
      expect((await jh.post(`/api/v1/desk/cases/${id}/answer`, undefined, WRITE)).status).toBe(200);
      expect((await jh.post(`/api/v1/desk/cases/${id}/redirect`, { reason: '一方车辆无法移动', alternatives: ['call_122'] }, WRITE)).status).toBe(200);
      all.push({ at: '2026-12-02T23:52:00+08:00', state: 'redirected', answeredAfterS: 180 });

      const queue = (await jh.get('/api/v1/queue')).body;
      expect(queue.today).toEqual({ ...expectedFor(all, 'JM-JH'), waiting: 1 });
      expect(queue.today.waiting).toBe(queue.items.length);
      expect(queue.items[0].address).toContain('江海区');
      // The city's figures, as ops see them, take in every brigade.
      await createStaff({ username: 'dq-ops', displayName: '运维', role: 'ops', password }, t.config.PASSWORD_HASH_COST);
      const city = (await (await signIn('dq-ops')).get('/api/v1/queue')).body.today;
      expect(city.reported).toBe(expectedFor(all, 'JM-JH').reported + expectedFor(all, 'JM-XH').reported);
    });
  });

  describe('the area outline (GET /api/v1/queue/area)', () => {
    it("gives a dispatcher their brigade's districts, cacheable, and ops every district", async () => {
      const mine = await desk.get('/api/v1/queue/area');
      expect(mine.status).toBe(200);
      expect(mine.headers.get('cache-control')).toBe('private, max-age=3600');
      expect(mine.body.brigade.code).toBe('JM-PJ');
      expect(mine.body.area.type).toBe('FeatureCollection');
      expect(mine.body.area.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['蓬江区']);
      expect(['Polygon', 'MultiPolygon']).toContain(mine.body.area.features[0].geometry.type);
      const ops = (await (await signIn('dq-ops')).get('/api/v1/queue/area')).body;
      expect(ops.area.features).toHaveLength(7);
      expect((await new HttpClient(t.url).get('/api/v1/queue/area')).status).toBe(401);
    });
  });
});
