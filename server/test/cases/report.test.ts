import { randomUUID } from 'node:crypto';
import { Case } from '../../src/cases/case.model';
import { OpenCase } from '../../src/cases/open-case.model';
import { caseHistory } from '../../src/cases/case-revisions';
import { DISTRICTS } from '../../src/brigades/districts';
import { SafetyCheck } from '../../src/eligibility/safety-check.model';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, PENGJIANG, QUALIFYING_ANSWERS, pointIn, report, seedBrigades, verifiedDriver } from './fixtures';

const SAFE = { hazardLightsOn: true, warningTrianglePlaced: true, peopleInSafePlace: true };

describe('reporting an accident: safety, eligibility, POST /cases', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedBrigades();
  });
  beforeEach(() => {
    t.services.clock = DURING_HOURS;
  });
  afterAll(() => t.close());

  const check = (driver: Awaited<ReturnType<typeof verifiedDriver>>, at: { lat: number; lng: number }, answers = {}, accuracyM = 15) =>
    driver.post('/api/v1/eligibility/check', { location: { ...at, coordType: 'gcj02', accuracyM }, answers: { ...QUALIFYING_ANSWERS, ...answers } });

  it('records the safety confirmation with the server time; an unticked item is refused with its reason', async () => {
    const driver = await verifiedDriver(t);
    const res = await driver.post('/api/v1/safety-checks', SAFE);
    expect(res.status).toBe(201);
    expect(res.body.confirmedAt).toBe(DURING_HOURS().toISOString());
    expect(await SafetyCheck.findById(res.body.safetyCheckId).lean()).toMatchObject({ driverId: expect.anything(), hazardLightsOn: true });

    const missing = await driver.post('/api/v1/safety-checks', { ...SAFE, warningTrianglePlaced: false });
    expect(missing.status).toBe(400);
    expect(missing.body.issues[0]).toMatchObject({ path: 'warningTrianglePlaced', message: expect.stringContaining('50–100 米') });
  });

  it.each(DISTRICTS.map((d) => [d.name, d.adcode]))('routes a point in %s to its brigade', async (_name, adcode) => {
    const res = await check(await verifiedDriver(t), pointIn(adcode));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ eligible: true, failed: [], place: { district: { adcode }, brigade: { code: expect.stringMatching(/^JM-/) } } });
    const brigade = res.body.place.brigade.code;
    expect((await t.http.get(`/api/v1/service-hours?brigade=${brigade}`)).status).toBe(200);
  });

  it('reports every failed rule at once: outside hours, an injury and four vehicles', async () => {
    t.services.clock = () => new Date('2026-11-25T20:15:00+08:00');
    const res = await check(await verifiedDriver(t), PENGJIANG, { anyoneInjured: true, vehicleCount: 4 });
    expect(res.body.eligible).toBe(false);
    expect(res.body.failed.map((f: { rule: string; code: string }) => `${f.rule}:${f.code}`)).toEqual(['hours:OUTSIDE_HOURS', 'case:TOO_MANY_VEHICLES', 'case:INJURY']);
    expect(res.body.failed[0]).toMatchObject({ nextOpenAt: '2026-11-25T23:30:00.000Z', alternatives: expect.arrayContaining(['call_122']) });
  });

  it('asks for a map-pin confirmation when the GPS fix is poor, and will not open a case until then', async () => {
    const driver = await verifiedDriver(t);
    expect((await check(driver, PENGJIANG, {}, 500)).body.needsMapConfirmation).toBe(true);
    const refused = await report(driver, { accuracyM: 500 });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('LOCATION_UNCONFIRMED');
    expect(await Case.countDocuments({ initiatorId: driver.id })).toBe(0);
  });

  it('queues an eligible report with place, brigade, answers, the reporter as party A and a join code; history says who and when', async () => {
    t.fakes.tencentMap.addPlace({ ...PENGJIANG, radiusM: 50, street: '建设三路', streetNumber: '8号', district: '蓬江区', adcode: '440703' });
    const driver = await verifiedDriver(t);
    const res = await report(driver, { plate: '粤j 12345' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      state: 'queued',
      place: { district: { adcode: '440703', name: '蓬江区' }, brigade: { code: 'JM-PJ' }, address: expect.stringContaining('建设三路') },
      parties: [{ label: 'A', plate: '粤J12345', isMe: true }],
      joinCode: expect.stringMatching(/^[A-HJ-NP-Z2-9]{6}$/),
      wait: { position: expect.any(Number), estimatedSeconds: null, dispatchersOnDuty: 0, offerAlternatives: true },
      failed: [],
      refreshAfterSeconds: 5,
    });
    expect(await OpenCase.findById(res.body.caseId).lean()).toMatchObject({ state: 'queued', rev: 1, brigadeCode: 'JM-PJ', plates: ['粤J12345'] });
    const stored = await Case.findById(res.body.caseId).lean();
    expect(stored).toMatchObject({ brigadeCode: 'JM-PJ', answers: QUALIFYING_ANSWERS, safety: { confirmedAt: DURING_HOURS() }, queuedAt: DURING_HOURS() });
    const history = await caseHistory(res.body.caseId);
    expect(history).toEqual([expect.objectContaining({ rev: 1, event: 'submit', from: 'draft', to: 'queued', actor: { kind: 'driver', id: driver.id } })]);
  });

  it('opens a not-eligible report as redirected, with every reason kept on the case', async () => {
    const driver = await verifiedDriver(t);
    const res = await report(driver, { answers: { factsDisputed: true, drinkOrDrugs: true } });
    expect(res.status).toBe(201);
    expect(res.body.state).toBe('redirected');
    expect(res.body.failed.map((f: { code: string }) => f.code)).toEqual(['FACTS_DISPUTED', 'DRINK_OR_DRUGS']);
    expect(res.body.joinCode).toBeNull();
    expect(await caseHistory(res.body.caseId)).toEqual([expect.objectContaining({ event: 'refuse', to: 'redirected', actor: { kind: 'system', id: null }, reason: 'FACTS_DISPUTED,DRINK_OR_DRUGS' })]);
    // Not at the scene as far as the queue is concerned: never in open_cases, and the driver may report again.
    expect(await OpenCase.exists({ _id: res.body.caseId })).toBeNull();
    expect((await report(driver)).status).toBe(201);
  });

  it('makes one case of concurrent reports with the same Idempotency-Key, and answers every retry with it', async () => {
    const driver = await verifiedDriver(t);
    const safety = (await driver.post('/api/v1/safety-checks', SAFE)).body;
    const key = randomUUID();
    const send = () =>
      driver.post('/api/v1/cases', { safetyCheckId: safety.safetyCheckId, location: { ...PENGJIANG, coordType: 'gcj02', accuracyM: 10 }, answers: QUALIFYING_ANSWERS, plate: '粤J66666' }, { 'idempotency-key': key });
    const results = await Promise.all([send(), send(), send(), send(), send()]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.caseId)).size).toBe(1);
    expect(await Case.countDocuments({ initiatorId: driver.id })).toBe(1);
    expect(await caseHistory(results[0]!.body.caseId)).toHaveLength(1);
    const later = await send();
    expect(later.status).toBe(200);
    expect(later.body.caseId).toBe(results[0]!.body.caseId);
  });

  it('refuses a second open case for the same driver, pointing at the first', async () => {
    const driver = await verifiedDriver(t);
    const first = await report(driver);
    const second = await report(driver);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'OPEN_CASE_EXISTS', caseId: first.body.caseId });
    expect((await driver.get('/api/v1/cases/current')).body.case.caseId).toBe(first.body.caseId);
  });

  it('requires a recent safety confirmation of this driver', async () => {
    const driver = await verifiedDriver(t);
    const other = await verifiedDriver(t);
    const othersCheck = (await other.post('/api/v1/safety-checks', SAFE)).body.safetyCheckId;
    const body = { safetyCheckId: othersCheck, location: { ...PENGJIANG, coordType: 'gcj02', accuracyM: 10 }, answers: QUALIFYING_ANSWERS, plate: '粤J10001' };
    expect((await driver.post('/api/v1/cases', body)).body.code).toBe('SAFETY_CHECK_REQUIRED');
    const own = (await driver.post('/api/v1/safety-checks', SAFE)).body.safetyCheckId;
    t.services.clock = () => new Date(DURING_HOURS().getTime() + 31 * 60_000);
    const stale = await driver.post('/api/v1/cases', { ...body, safetyCheckId: own });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('SAFETY_CHECK_EXPIRED');
  });

  it('refuses malformed reports with the field, and unverified drivers with 403, writing nothing', async () => {
    const driver = await verifiedDriver(t);
    const bad = await report(driver, { plate: 'ABC' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0]).toMatchObject({ path: 'plate', message: expect.stringContaining('车牌号') });
    const badKey = await driver.post('/api/v1/cases', {}, { 'idempotency-key': 'x' });
    expect(badKey.status).toBe(400);

    const session = (await t.http.post('/api/v1/auth/wechat-login', { code: t.fakes.wechat.issueCode('not-verified') })).body;
    const denied = await t.http.post('/api/v1/cases', {}, { token: session.accessToken });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('VERIFICATION_REQUIRED');
    expect(await Case.countDocuments({ initiatorId: { $in: [driver.id, session.driver.id] } })).toBe(0);
  });

  it('lets the reporter cancel while queued (kept, with the reason), and nobody else', async () => {
    const driver = await verifiedDriver(t);
    const { caseId } = (await report(driver)).body;
    const stranger = await verifiedDriver(t);
    expect((await stranger.post(`/api/v1/cases/${caseId}/cancel`, {})).status).toBe(404);
    const cancelled = await driver.post(`/api/v1/cases/${caseId}/cancel`, { reason: '已自行协商' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', joinCode: null, wait: null });
    expect((await caseHistory(caseId)).at(-1)).toMatchObject({ event: 'cancel', to: 'cancelled', reason: '已自行协商' });
    expect((await driver.get('/api/v1/cases/current')).body.case).toBeNull();
    expect(await OpenCase.exists({ _id: caseId })).toBeNull();
    expect(await Case.findById(caseId).lean()).toMatchObject({ state: 'cancelled' });
  });
});
