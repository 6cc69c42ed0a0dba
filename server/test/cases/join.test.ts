import destination from '@turf/destination';
import { caseHistory } from '../../src/cases/case-revisions';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, PENGJIANG, QUALIFYING_ANSWERS, report, seedBrigades, verifiedDriver, type TestDriver } from './fixtures';

const move = (p: { lat: number; lng: number }, metres: number) => {
  const [lng, lat] = destination([p.lng, p.lat], metres, 90, { units: 'meters' }).geometry.coordinates as [number, number];
  return { lat, lng };
};

describe('other parties join: by the code only; at most 3 vehicles', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { JOIN_MAX_FAILURES: '3' } });
    await seedBrigades();
  });
  beforeEach(() => {
    t.services.clock = DURING_HOURS;
  });
  afterAll(() => t.close());

  const join = (driver: TestDriver, body: Record<string, unknown>) => driver.post('/api/v1/cases/join', { factsConfirmed: true, ...body });

  it('joins by code as party B; both phones see both plates; the 4th vehicle is refused', async () => {
    const a = await verifiedDriver(t);
    const reported = (await report(a, { answers: { vehicleCount: 3 }, plate: '粤J11111' })).body;
    const b = await verifiedDriver(t);
    const joined = await join(b, { code: reported.joinCode.toLowerCase(), plate: '粤J22222' });
    expect(joined.status).toBe(200);
    expect(joined.body.parties).toEqual([
      expect.objectContaining({ label: 'A', plate: '粤J11111', isMe: false }),
      expect.objectContaining({ label: 'B', plate: '粤J22222', isMe: true }),
    ]);
    expect((await a.get(`/api/v1/cases/${reported.caseId}`)).body.parties.map((p: { plate: string }) => p.plate)).toEqual(['粤J11111', '粤J22222']);

    // A retry of the same join (the answer was lost on a weak signal) changes nothing.
    expect((await join(b, { code: reported.joinCode, plate: '粤J22222' })).body.parties).toHaveLength(2);

    const c = await verifiedDriver(t);
    expect((await join(c, { code: `https://example.invalid/j?code=${reported.joinCode}`, plate: '粤J33333' })).status).toBe(200);
    const d = await verifiedDriver(t);
    const fourth = await join(d, { code: reported.joinCode, plate: '粤J44444' });
    expect(fourth.status).toBe(409);
    expect(fourth.body.code).toBe('CASE_FULL');
    // The retried join wrote nothing: a repeatable request must not grow the history.
    expect((await caseHistory(reported.caseId)).map((e) => e.event)).toEqual(['submit', 'join', 'join']);
  });

  it('gives the last place to exactly one of two racing joiners', async () => {
    const a = await verifiedDriver(t);
    const { joinCode } = (await report(a, { answers: { vehicleCount: 3 } })).body;
    await join(await verifiedDriver(t), { code: joinCode, plate: '粤J20001' });
    const racers = await Promise.all([verifiedDriver(t), verifiedDriver(t)]);
    const results = await Promise.all(racers.map((r, i) => join(r, { code: joinCode, plate: `粤J3000${i}` })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('refuses an expired code, a plate already in the case, and a case that is over', async () => {
    const a = await verifiedDriver(t);
    const reported = (await report(a, { plate: '粤J50000' })).body;
    const b = await verifiedDriver(t);
    const samePlate = await join(b, { code: reported.joinCode, plate: '粤J50000' });
    expect(samePlate.body.code).toBe('PLATE_ALREADY_IN_CASE');

    t.services.clock = () => new Date(DURING_HOURS().getTime() + 31 * 60_000);
    const late = await join(b, { code: reported.joinCode, plate: '粤J50001' });
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('JOIN_CODE_EXPIRED');
  });

  it('answers a wrong code plainly, then makes a guesser wait', async () => {
    const guesser = await verifiedDriver(t);
    for (let i = 0; i < 3; i++) {
      const wrong = await join(guesser, { code: 'ZZZZZ2', plate: '粤J60000' });
      expect(wrong.status).toBe(404);
      expect(wrong.body).toMatchObject({ code: 'JOIN_CODE_INVALID', message: expect.stringContaining('6 位案件码') });
    }
    const blocked = await join(guesser, { code: 'ZZZZZ3', plate: '粤J60000' });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'JOIN_RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
  });

  it('tells a driver 60 m away an accident was just reported there, without handing out anything to join it by', async () => {
    const a = await verifiedDriver(t);
    const here = move(PENGJIANG, 2000);
    const reported = (await report(a, { at: here })).body;
    const b = await verifiedDriver(t);
    const near = move(here, 60);
    const offer = await b.post('/api/v1/eligibility/check', { location: { ...near, coordType: 'gcj02', accuracyM: 10 }, answers: QUALIFYING_ANSWERS });
    expect(offer.body.nearbyOpenCases).toEqual([{ distanceM: expect.any(Number), createdAt: expect.any(String), vehicleCount: 2, partyCount: 1 }]);
    expect(offer.body.nearbyOpenCases[0].distanceM).toBeGreaterThan(50);
    expect(offer.body.nearbyOpenCases[0].distanceM).toBeLessThan(70);
    // Neither the id nor the code, anywhere in the answer.
    const text = JSON.stringify(offer.body);
    expect(text).not.toContain(reported.caseId);
    expect(text).not.toContain(reported.joinCode);

    // Much later the same spot is no longer "the same accident".
    t.services.clock = () => new Date(DURING_HOURS().getTime() + 60 * 60_000);
    const c = await verifiedDriver(t);
    const later = await c.post('/api/v1/eligibility/check', { location: { ...near, coordType: 'gcj02', accuracyM: 10 }, answers: QUALIFYING_ANSWERS });
    expect(later.body.nearbyOpenCases).toEqual([]);
  });

  it('never lets a stranger join by a case id and a location: only the code does', async () => {
    const a = await verifiedDriver(t);
    const here = move(PENGJIANG, 2500);
    const reported = (await report(a, { at: here, answers: { vehicleCount: 3 } })).body;
    const stranger = await verifiedDriver(t);
    const standingThere = { ...move(here, 10), coordType: 'gcj02', accuracyM: 5 };
    const refused = await join(stranger, { caseId: reported.caseId, location: standingThere, plate: '粤J70001' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('6 位案件码') });
    // Not a party: the case is not theirs to see, and it still has only the reporter.
    expect((await stranger.get(`/api/v1/cases/${reported.caseId}`)).status).not.toBe(200);
    expect((await stranger.get(`/api/v1/cases/${reported.caseId}/call`)).status).not.toBe(200);
    expect((await a.get(`/api/v1/cases/${reported.caseId}`)).body.parties).toHaveLength(1);
    expect((await caseHistory(reported.caseId)).map((e) => e.event)).toEqual(['submit']);

    // The id alongside a code does not help either: the code alone decides which case.
    const wrongCode = await join(stranger, { code: 'ZZZZZ2', caseId: reported.caseId, location: standingThere, plate: '粤J70001' });
    expect(wrongCode.status).toBe(404);
    expect((await a.get(`/api/v1/cases/${reported.caseId}`)).body.parties).toHaveLength(1);
  });
});
