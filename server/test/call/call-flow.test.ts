import { Case } from '../../src/cases/case.model';
import { caseHistory, transition } from '../../src/cases/case-revisions';
import { sweepCalls } from '../../src/call/sweeper';
import { startTestServer, type TestServer } from '../harness';
import { waitUntil } from '../wait';
import { DURING_HOURS, seedBrigades, verifiedDriver } from '../cases/fixtures';
import { decodeRtcToken, dispatcher, twoPartyCase } from './call-fixtures';

const later = (ms: number) => () => new Date(DURING_HOURS().getTime() + ms);

describe('the call through HTTP: answer, tokens, live view, information, checks, release, drops', () => {
  let t: TestServer;
  let desk: Awaited<ReturnType<typeof dispatcher>>;
  let other: Awaited<ReturnType<typeof dispatcher>>;
  beforeAll(async () => {
    t = await startTestServer();
    await seedBrigades();
    desk = await dispatcher(t, 'call-desk-1');
    other = await dispatcher(t, 'call-desk-2');
  });
  beforeEach(() => {
    t.services.clock = DURING_HOURS;
  });
  afterAll(() => t.close());

  it('lets exactly one of two dispatchers answer; the other gets 409 ALREADY_ANSWERED', async () => {
    const { caseId } = await twoPartyCase(t);
    const [first, second] = await Promise.all([desk.post(caseId, '/answer'), other.post(caseId, '/answer')]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body).toMatchObject({ code: 'ALREADY_ANSWERED', message: expect.stringContaining('已被其他接警员接听') });
    expect((await caseHistory(caseId)).filter((e) => e.event === 'answer')).toHaveLength(1);
  });

  it('issues RTC tokens only after recording consent, for the case channel and the party’s seat, with an expiry', async () => {
    const { caseId, a, b } = await twoPartyCase(t);
    expect((await a.post(`/api/v1/cases/${caseId}/rtc-token`)).body.code).toBe('RECORDING_CONSENT_REQUIRED');
    await a.post(`/api/v1/cases/${caseId}/recording-consent`);
    expect((await a.post(`/api/v1/cases/${caseId}/rtc-token`)).body.code).toBe('CASE_NOT_IN_CALL');

    const answered = await desk.post(caseId, '/answer');
    expect(answered.body).toMatchObject({ state: 'in_call', answeredBy: { name: '接警员call-desk-1' }, members: expect.arrayContaining([{ uid: 101, who: 'A', label: 'A 车' }]) });
    const token = (await a.post(`/api/v1/cases/${caseId}/rtc-token`)).body;
    expect(token).toMatchObject({ appId: t.config.AGORA_APP_ID, channel: `case-${caseId}`, uid: 101 });
    const decoded = decodeRtcToken(token.token, t.config.AGORA_APP_ID, t.config.AGORA_APP_CERTIFICATE, `case-${caseId}`, 101);
    expect(decoded.valid).toBe(true);
    expect(decoded.expiresAt).toBe(Math.floor(DURING_HOURS().getTime() / 1000) + t.config.RTC_TOKEN_TTL_SECONDS);
    expect(new Date(token.expiresAt).getTime()).toBe(decoded.expiresAt * 1000);
    // Not valid for another seat or channel.
    expect(decodeRtcToken(token.token, t.config.AGORA_APP_ID, t.config.AGORA_APP_CERTIFICATE, `case-${caseId}`, 102).valid).toBe(false);

    // Renewal: a later request is a fresh token with a later expiry. B has not consented: refused.
    t.services.clock = later(50 * 60_000);
    const renewed = (await a.post(`/api/v1/cases/${caseId}/rtc-token`)).body;
    expect(new Date(renewed.expiresAt).getTime()).toBeGreaterThan(new Date(token.expiresAt).getTime());
    expect((await b.post(`/api/v1/cases/${caseId}/rtc-token`)).status).toBe(409);
    const deskToken = (await desk.post(caseId, '/rtc-token')).body;
    expect(decodeRtcToken(deskToken.token, t.config.AGORA_APP_ID, t.config.AGORA_APP_CERTIFICATE, `case-${caseId}`, 1).valid).toBe(true);
  });

  it('starts cloud recording on answer and texts every party', async () => {
    const { caseId } = await twoPartyCase(t);
    await desk.post(caseId, '/answer');
    await waitUntil(async () => (await Case.findById(caseId).lean())?.recording?.state === 'recording');
    expect(t.fakes.agoraRecording.running().map((s) => s.cname)).toContain(`case-${caseId}`);
    await waitUntil(async () => t.fakes.sms.outbox.filter((m) => m.template === 'case_answered').length >= 2);
  });

  it('pushes a shot request to the party’s long poll at once, and only to that party', async () => {
    const { caseId, a, b } = await twoPartyCase(t);
    await desk.post(caseId, '/answer');
    let view = (await a.get(`/api/v1/cases/${caseId}/call`)).body;
    const started = Date.now();
    const waiting = a.get(`/api/v1/cases/${caseId}/call?since=${view.rev}`);
    await new Promise((r) => setTimeout(r, 150));
    const shot = await desk.post(caseId, '/shot-requests', { party: 'A', kind: 'plate' });
    expect(shot.status).toBe(201);
    // The phone polls on with the rev it got until the request is there (one or two round trips).
    view = (await waiting).body;
    while (view.pendingShots.length === 0 && Date.now() - started < 5000) view = (await a.get(`/api/v1/cases/${caseId}/call?since=${view.rev}`)).body;
    const pushed = view;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(pushed.state).toBe('collecting');
    expect(pushed.pendingShots).toEqual([expect.objectContaining({ id: shot.body.id, kind: 'plate', instruction: expect.stringContaining('号牌') })]);
    expect((await b.get(`/api/v1/cases/${caseId}/call`)).body.pendingShots).toEqual([]);
  });

  it('keeps information and chat; a party’s confirmation is cleared by a later change', async () => {
    const { caseId, a } = await twoPartyCase(t);
    await desk.post(caseId, '/answer');
    await desk.put(caseId, '/parties/A', { driverName: '张三', licenceNo: a.idNumber, plateType: '02', phone: '13800138000' });
    const confirmed = await a.put(`/api/v1/cases/${caseId}/my-info`, { confirm: true });
    expect(confirmed.body.myInfo).toMatchObject({ driverName: '张三', confirmedAt: expect.any(String) });
    const changed = await desk.put(caseId, '/parties/A', { insurer: '中国人保' });
    expect(changed.body.parties[0].info).toMatchObject({ insurer: '中国人保', confirmedAt: null });

    await a.post(`/api/v1/cases/${caseId}/messages`, { text: '我这边信号不好，打字沟通' });
    await desk.post(caseId, '/messages', { text: '好的，请拍摄车牌' });
    expect((await desk.get(caseId)).body.messages.map((m: { from: string; text: string }) => `${m.from}:${m.text}`)).toEqual(['A:我这边信号不好，打字沟通', 'dispatcher:好的，请拍摄车牌']);
    expect((await desk.put(caseId, '/parties/A', { phone: '12345' })).status).toBe(400);
  });

  it('keeps the licence number (an ID number) sealed and masked, and fails the licence check when it is not the verified driver’s', async () => {
    const { caseId, a } = await twoPartyCase(t);
    await desk.post(caseId, '/answer');
    const someoneElse = '440703198502021231';
    const view = (await desk.put(caseId, '/parties/A', { licenceNo: someoneElse, plateType: '02' })).body;
    expect(view.parties[0].info.licenceNo).toBe('4407**********1231');
    expect(JSON.stringify(await Case.findById(caseId).lean())).not.toContain(someoneElse);
    const [licence] = (await desk.post(caseId, '/checks', { party: 'A' })).body;
    expect(licence).toMatchObject({ kind: 'licence', ok: false, detail: expect.stringContaining('不一致') });
    // Their own number: the registry is asked (and has no licence for this made-up person).
    await desk.put(caseId, '/parties/A', { licenceNo: a.idNumber });
    expect((await desk.post(caseId, '/checks', { party: 'A' })).body[0].detail).toContain('未查到');
  });

  it('checks licence, vehicle and 交强险 against the registry; a failed check blocks release', async () => {
    const { caseId } = await twoPartyCase(t);
    await desk.post(caseId, '/answer');
    t.fakes.registry.addVehicle({ plate: '粤J10001', plateType: '02', vehicleType: 'K33', ownerName: '甲', status: 'seized', inspectionValidUntil: '2027-06-30', reservedPhone: '13800000001' });
    t.fakes.registry.addPolicy({ policyNo: 'PDZA2026001', insurer: '中国人保', plate: '粤J10001', validFrom: '2026-01-01', validUntil: '2026-12-31' });
    await desk.put(caseId, '/parties/A', { plateType: '02' });
    const results = (await desk.post(caseId, '/checks', { party: 'A' })).body;
    expect(results).toEqual([
      expect.objectContaining({ kind: 'licence', ok: false, detail: expect.stringContaining('未查到') }),
      expect.objectContaining({ kind: 'vehicle', ok: false, detail: expect.stringContaining('查封') }),
      expect.objectContaining({ kind: 'insurance', ok: true, detail: expect.stringContaining('PDZA2026001'), source: expect.any(String), checkedAt: DURING_HOURS().toISOString() }),
    ]);
    const blocked = await desk.post(caseId, '/release');
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({ code: 'RELEASE_BLOCKED', message: expect.stringContaining('A 车车辆核查未通过') });
    expect((await desk.get(caseId)).body.releaseBlockers).toEqual(expect.arrayContaining([expect.stringContaining('A 车车辆核查未通过：车辆状态异常：查封')]));
  });

  it('redirects a case that does not qualify; the parties see why at once', async () => {
    const { caseId, a } = await twoPartyCase(t);
    await desk.post(caseId, '/answer');
    const redirected = await desk.post(caseId, '/redirect', { reason: '一方对事实有异议', alternatives: ['officer_on_scene', 'call_122'] });
    expect(redirected.body).toMatchObject({ state: 'redirected', redirect: { reason: '一方对事实有异议', alternatives: ['officer_on_scene', 'call_122'] } });
    expect((await a.get(`/api/v1/cases/${caseId}/call`)).body).toMatchObject({ state: 'redirected', redirect: { reason: '一方对事实有异议' } });
    expect((await desk.post(caseId, '/redirect', { reason: 'x', alternatives: [] })).status).toBe(400);
  });

  it('hands a case back to the head of the queue when the console goes silent, and parks it when everyone does; 继续处理 resumes it', async () => {
    const { caseId, a } = await twoPartyCase(t);
    await desk.post(caseId, '/answer');
    // Phones keep polling, the console is gone for two minutes.
    t.services.clock = later(2 * 60_000);
    await a.get(`/api/v1/cases/${caseId}/call`);
    expect((await sweepCalls(t.services)).handedBack).toContain(caseId);
    const back = await Case.findById(caseId).lean();
    expect(back).toMatchObject({ state: 'queued', requeued: true, answeredAt: null });
    expect((await caseHistory(caseId)).at(-1)).toMatchObject({ event: 'dispatcher_dropped', actor: { kind: 'system' } });
    const queue = (await desk.http.get('/api/v1/queue')).body;
    // (The other desks' calls of this file were silent too, so they are back in the queue as well.)
    expect(queue.items.find((i: { caseId: string }) => i.caseId === caseId)).toMatchObject({ requeued: true });

    // Answered again, then nobody is heard from for eleven minutes: parked.
    await desk.post(caseId, '/answer');
    t.services.clock = later(14 * 60_000);
    expect((await sweepCalls(t.services)).abandoned).toContain(caseId);
    expect((await a.get('/api/v1/cases/current')).body.case).toMatchObject({ caseId, state: 'abandoned' });
    const resumed = await a.post(`/api/v1/cases/${caseId}/resume`);
    expect(resumed.body.state).toBe('queued');
    expect((await a.post(`/api/v1/cases/${caseId}/resume`)).body.code).toBe('NOT_RESUMABLE');
  });

  it('parks a queued case nobody is waiting for any more, and keeps one whose phone still asks', async () => {
    const watched = await twoPartyCase(t);
    const left = await twoPartyCase(t);
    for (const minutes of [4, 8, 12]) {
      t.services.clock = later(minutes * 60_000);
      expect((await watched.a.get(`/api/v1/cases/${watched.caseId}`)).status).toBe(200);
    }
    const { abandoned } = await sweepCalls(t.services);
    expect(abandoned).toContain(left.caseId);
    expect(abandoned).not.toContain(watched.caseId);
    expect((await left.b.get('/api/v1/cases/current')).body.case).toMatchObject({ state: 'abandoned' });
    expect((await caseHistory(left.caseId)).at(-1)).toMatchObject({ event: 'time_out', from: 'queued', reason: '排队中无人等待' });
  });

  it('will not resume a parked case after the window', async () => {
    const { caseId, a } = await twoPartyCase(t);
    await desk.post(caseId, '/answer');
    await transition(caseId, 'time_out', { kind: 'system', id: null }, { set: { abandonedAt: DURING_HOURS() } });
    t.services.clock = later(3 * 3600_000);
    expect((await a.post(`/api/v1/cases/${caseId}/resume`)).body).toMatchObject({ code: 'NOT_RESUMABLE', message: expect.stringContaining('超过') });
  });

  it('hides a case from other brigades’ desks and from drivers who are not parties', async () => {
    const { caseId } = await twoPartyCase(t);
    const xinhui = await dispatcher(t, 'call-desk-xh', 'JM-XH');
    expect((await xinhui.post(caseId, '/answer')).status).toBe(404);
    const stranger = await verifiedDriver(t);
    expect((await stranger.get(`/api/v1/cases/${caseId}/call`)).status).toBe(404);
  });
});
