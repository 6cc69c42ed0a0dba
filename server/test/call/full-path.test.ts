import { createHash } from 'node:crypto';
import { Case } from '../../src/cases/case.model';
import { caseHistory } from '../../src/cases/case-revisions';
import { startTestServer, type TestServer } from '../harness';
import { waitUntil } from '../wait';
import { DURING_HOURS, seedBrigades, type TestDriver } from '../cases/fixtures';
import { dispatcher, twoPartyCase } from './call-fixtures';
import { jpegOfSize } from '../evidence/evidence-fixtures';

/** A real JPEG of 600 KB (the server decodes it before fixing it), made in beforeAll. */
let JPEG: Buffer;

async function uploadShot(t: TestServer, driver: TestDriver, caseId: string, shotRequestId: string) {
  const session = (await driver.post(`/api/v1/cases/${caseId}/uploads`, { uploadKey: `shot-${shotRequestId}`, shotRequestId, kind: 'plate', mimeType: 'image/jpeg', size: JPEG.length })).body;
  for (let index = 0; index < session.totalChunks; index++) {
    const chunk = JPEG.subarray(index * session.chunkSize, (index + 1) * session.chunkSize);
    const res = await fetch(`${t.url}/api/v1/uploads/${session.uploadId}/chunks/${index}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${driver.token}`, 'content-type': 'application/octet-stream' },
      body: chunk,
    });
    expect(res.status).toBe(200);
  }
  return (await driver.post(`/api/v1/uploads/${session.uploadId}/complete`)).body;
}

describe('the whole call: queued → in_call → collecting → released', () => {
  let t: TestServer;
  beforeAll(async () => {
    JPEG = await jpegOfSize(600_006);
    t = await startTestServer();
    await seedBrigades();
  });
  afterAll(() => t.close());

  it('answers, collects information and evidence, checks both parties, releases, and stops the 5-minute clock', async () => {
    t.services.clock = DURING_HOURS;
    const desk = await dispatcher(t, 'full-path-desk');
    const { caseId, a, b } = await twoPartyCase(t);
    for (const [party, plate] of [[a, '粤J10001'], [b, '粤J20002']] as const) {
      t.fakes.registry.addLicence(party.idNumber, { licenceNo: party.idNumber, name: '当事人', classes: ['C1'], status: 'valid', validFrom: '2016-01-01', validUntil: '2032-01-01', reservedPhone: party.phone });
      t.fakes.registry.addVehicle({ plate, plateType: '02', vehicleType: 'K33', ownerName: '当事人', status: 'normal', inspectionValidUntil: '2027-12-31', reservedPhone: party.phone });
      t.fakes.registry.addPolicy({ policyNo: `PDZA${plate.slice(-5)}`, insurer: '中国人保', plate, validFrom: '2026-01-01', validUntil: '2026-12-31' });
    }

    expect((await desk.post(caseId, '/answer')).body.state).toBe('in_call');
    for (const [label, party] of [['A', a], ['B', b]] as const) {
      await party.post(`/api/v1/cases/${caseId}/recording-consent`);
      await desk.put(caseId, `/parties/${label}`, { driverName: `${label}司机`, licenceNo: party.idNumber, plateType: '02', vehicleType: '小型轿车', insurer: '中国人保', policyNo: `PDZA${label}00001`, phone: party.phone });
      expect((await desk.post(caseId, '/checks', { party: label })).body.every((r: { ok: boolean }) => r.ok)).toBe(true);
    }
    expect((await desk.get(caseId)).body.state).toBe('collecting');

    const shot = (await desk.post(caseId, '/shot-requests', { party: 'A', kind: 'plate' })).body;
    expect((await desk.post(caseId, '/release')).body.message).toContain('还有 1 张照片未上传');
    const uploaded = await uploadShot(t, a, caseId, shot.id);
    expect(uploaded.evidence).toMatchObject({ seq: 1, party: 'A', sha256: createHash('sha256').update(JPEG).digest('hex') });

    t.services.clock = () => new Date(DURING_HOURS().getTime() + 4 * 60_000 + 12_000);
    const released = await desk.post(caseId, '/release');
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ state: 'released', handlingSeconds: 252, releaseBlockers: [] });
    const phone = (await a.get(`/api/v1/cases/${caseId}/call`)).body;
    expect(phone).toMatchObject({ state: 'released', releaseNotice: expect.stringContaining('请立即撤离') });

    expect((await caseHistory(caseId)).map((e) => e.event)).toEqual(
      expect.arrayContaining(['submit', 'join', 'answer', 'start_collecting', 'shot_requested', 'evidence_fixed', 'checks', 'release']),
    );
    await waitUntil(async () => (await Case.findById(caseId).lean())?.recording?.state === 'stopped');
    expect((await Case.findById(caseId).lean())?.recording?.files).toEqual([expect.stringMatching(/\.m3u8$/), expect.stringMatching(/\.ts$/)]);
    // The recording's manifest is fixed in the evidence chain after the photo, and the chain verifies.
    await waitUntil(async () => ((await Case.findById(caseId).lean())?.evidence ?? []).some((e) => e.kind === 'recording'));
    const evidence = (await desk.get(caseId)).body.evidence;
    expect(evidence.map((e: { seq: number; kind: string }) => `${e.seq}:${e.kind}`)).toEqual(['1:plate', '2:recording']);
    const manifest = await (await fetch(`${t.url}${evidence[1].contentUrl}`, { headers: { cookie: `qh_staff=${desk.http.cookie('qh_staff')}` } })).json();
    expect(manifest).toMatchObject({ channel: `case-${caseId}`, files: [expect.stringMatching(/\.m3u8$/), expect.stringMatching(/\.ts$/)] });
    expect((await desk.get(caseId, '/evidence/verify')).body).toMatchObject({ ok: true, items: [expect.objectContaining({ seq: 1 }), expect.objectContaining({ seq: 2, fileOk: true, chainOk: true })] });
    await waitUntil(async () => t.fakes.sms.outbox.filter((m) => m.template === 'case_released').length === 2);
  });
});
