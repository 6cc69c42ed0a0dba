import { Types } from 'mongoose';
import { Case } from '../../src/cases/case.model';
import { sweepDecisions } from '../../src/decisions';
import { startTestServer, type TestServer } from '../harness';
import { insertCase, seedBrigades } from '../cases/fixtures';
import { waitUntil } from '../wait';
import { decision, party, releasedCase, signedInStaff } from './decision-fixtures';

let t: TestServer;
/** Monday 30 November 2026, 10:00 in Jiangmen: the 复核 window ends at 24:00 on Thursday 3 December. */
const MONDAY = new Date('2026-11-30T10:00:00+08:00');
const WINDOW_END = new Date('2026-12-04T00:00:00+08:00');

beforeAll(async () => {
  t = await startTestServer();
  await seedBrigades();
});
afterAll(() => t.close());
beforeEach(() => {
  t.services.clock = () => MONDAY;
});

describe('released → determined → delivered → closed', () => {
  it('the decision numbers and signs the certificate, delivers it to every party with the 复核 deadline, and texts them', async () => {
    const caseId = await releasedCase();
    const officer = await signedInStaff(t, 'officer');
    const res = await officer.post(`/decisions/cases/${caseId}/decision`, decision({ A: 'full', B: 'none' }, '追尾前车'));
    expect(res.status).toBe(201);
    expect(res.body.case.state).toBe('delivered');
    const certificate = res.body.decision.certificate;
    expect(certificate.number).toMatch(/^JM-PJ-2026-\d{6}$/);
    expect(certificate.verifyUrl).toMatch(new RegExp(`/verify/${certificate.number}$`));
    expect(res.body.timeline.map((e: { event: string }) => e.event).slice(-3)).toEqual(['determine', 'certificate_issued', 'deliver']);

    const stored = await Case.findById(caseId).lean();
    expect(stored?.deliveredAt).toEqual(MONDAY);
    expect(stored?.reviewDeadline).toEqual(WINDOW_END);
    expect(stored?.deliveries.map((d) => d.party)).toEqual(['A', 'B']);
    for (const p of stored!.parties) {
      await waitUntil(async () => t.fakes.sms.lastTo(p.info!.phone!)?.template === 'case_decided');
      expect(t.fakes.sms.lastTo(p.info!.phone!)?.params).toMatchObject({ number: certificate.number });
    }

    const verified = await t.http.get(`/api/v1/certificates/${certificate.number}/verify`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ number: certificate.number, status: 'valid' });
  });

  it('closes a delivered case once its window has passed, not a minute before, and only once', async () => {
    const caseId = await releasedCase();
    await (await signedInStaff(t, 'officer')).post(`/decisions/cases/${caseId}/decision`, decision({ A: 'equal', B: 'equal' }, '双方均未注意观察'));
    t.services.clock = () => new Date(WINDOW_END.getTime() - 60_000);
    expect((await sweepDecisions(t.services)).closed).not.toContain(caseId);
    expect((await Case.findById(caseId).lean())?.state).toBe('delivered');
    t.services.clock = () => WINDOW_END;
    expect((await sweepDecisions(t.services)).closed).toContain(caseId);
    expect((await Case.findById(caseId).lean())?.state).toBe('closed');
    expect((await sweepDecisions(t.services)).closed).not.toContain(caseId);
  });

  it('finishes a decision a stopped process left undelivered', async () => {
    const decided = await insertCase({
      state: 'determined',
      stateChangedAt: new Date(MONDAY.getTime() - 5 * 60_000),
      releasedAt: new Date(MONDAY.getTime() - 10 * 60_000),
      parties: [party('A', '粤J70007'), party('B', '粤J80008')],
      decision: {
        proposal: { rule: 'undecided', parties: null, explanation: '' },
        scenarioLibraryRev: 0,
        parties: [
          { label: 'A', liability: 'none', basis: '无过错', damages: 'insurance' },
          { label: 'B', liability: 'full', basis: '倒车未察明车后情况', damages: 'insurance' },
        ],
        reason: 'B 车倒车',
        differsFromProposal: true,
        weather: '阴',
        accidentType: '倒车',
        facts: 'B 车在停车场出口倒车，撞上 A 车前部。',
        officer: { id: String(new Types.ObjectId()), name: '民警甲' },
        decidedAt: new Date(MONDAY.getTime() - 5 * 60_000),
      },
    });
    const swept = await sweepDecisions(t.services);
    expect(swept.delivered).toContain(String(decided._id));
    const stored = await Case.findById(decided._id).lean();
    expect(stored?.state).toBe('delivered');
    expect(stored?.decision?.certificateNumber).toMatch(/^JM-PJ-2026-\d{6}$/);
  });
});

describe('an issue interrupted after the certificate was signed', () => {
  it('is finished with that certificate even if evidence arrived meanwhile (the head hash it printed stands)', async () => {
    const caseId = await releasedCase();
    const officer = await signedInStaff(t, 'officer');
    const decided = await officer.post(`/decisions/cases/${caseId}/decision`, decision({ A: 'full', B: 'none' }, '追尾前车'));
    expect(decided.status).toBe(201);
    const number = decided.body.decision.certificate.number as string;
    // Rewind the case to "signed but not recorded", then fix one more evidence item, as a late recording manifest would.
    await Case.updateOne({ _id: caseId }, { $set: { state: 'determined', 'decision.certificateNumber': null, 'decision.certificateIssuedAt': null, deliveredAt: null, stateChangedAt: new Date(MONDAY.getTime() - 5 * 60_000) }, $push: { evidence: { id: `${caseId}:000001`, seq: 1, kind: 'recording', party: null, shotRequestId: null, mimeType: 'application/json', size: 10, sha256: 'a'.repeat(64), prevChainHash: '', chainHash: 'b'.repeat(64), fixedAt: MONDAY } } });
    const swept = await sweepDecisions(t.services);
    expect(swept.delivered).toContain(caseId);
    const stored = await Case.findById(caseId).lean();
    expect(stored?.state).toBe('delivered');
    expect(stored?.decision?.certificateNumber).toBe(number);
  });
});

describe('certificate numbers', () => {
  it('stay unique when 20 officers decide 20 cases at the same moment', async () => {
    const cases = await Promise.all(Array.from({ length: 20 }, () => releasedCase()));
    const officers = await Promise.all(cases.map(() => signedInStaff(t, 'officer')));
    const answers = await Promise.all(cases.map((id, i) => officers[i]!.post(`/decisions/cases/${id}/decision`, decision({ A: 'full', B: 'none' }, '追尾前车'))));
    expect(answers.map((a) => a.status)).toEqual(cases.map(() => 201));
    const numbers = answers.map((a) => a.body.decision.certificate.number as string);
    expect(new Set(numbers).size).toBe(20);
    for (const n of numbers) expect(n).toMatch(/^JM-PJ-2026-\d{6}$/);
  }, 60_000);
});
