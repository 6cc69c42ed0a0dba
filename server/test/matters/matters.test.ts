import { Case } from '../../src/cases/case.model';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades, verifiedDriver, type TestDriver } from '../cases/fixtures';
import { decision, party, releasedCase, signedInStaff } from '../decisions/decision-fixtures';

let t: TestServer;
const MONDAY = new Date('2026-11-30T10:00:00+08:00');

beforeAll(async () => {
  t = await startTestServer();
  await seedBrigades();
  t.services.clock = () => MONDAY;
});
afterAll(() => t.close());

/** A released case of two real drivers (A reported, B joined), decided A 主要 / B 次要 and delivered. */
async function decidedCaseOf(a: TestDriver, b: TestDriver, deliver = true) {
  const caseId = await releasedCase({ parties: [party('A', '粤J11111', a.id as never), party('B', '粤J22222', b.id as never)] });
  if (deliver) {
    const res = await (await signedInStaff(t, 'officer')).post(`/decisions/cases/${caseId}/decision`, decision({ A: 'main', B: 'minor' }, 'B 车变道时未打转向灯'));
    expect(res.status).toBe(201);
  }
  return caseId;
}

const pdfOf = async (driver: TestDriver, caseId: string) => fetch(`${t.url}/api/v1/matters/${caseId}/certificate.pdf`, { headers: { authorization: `Bearer ${driver.token}` } });

describe('网办进度', () => {
  it('lists a driver’s matter with its steps and the decision as they read it, their own grade first, with the 复核 deadline', async () => {
    const [a, b] = [await verifiedDriver(t), await verifiedDriver(t)];
    const caseId = await decidedCaseOf(a, b);
    const res = await b.get('/api/v1/matters');
    expect(res.status).toBe(200);
    const matter = res.body.items.find((m: { caseId: string }) => m.caseId === caseId);
    expect(matter).toMatchObject({ state: 'delivered', me: { label: 'B', plate: '粤J22222' }, otherPlates: ['粤J11111'], address: '江门市蓬江区建设路' });
    expect(matter.steps.map((s: { kind: string }) => s.kind)).toEqual(['reported', 'decided', 'delivered']);
    expect(matter.decision).toMatchObject({
      certificateNumber: expect.stringMatching(/^JM-PJ-2026-\d{6}$/),
      parties: [
        { label: 'B', plate: '粤J22222', liability: 'minor', words: '次要责任', mine: true },
        { label: 'A', plate: '粤J11111', liability: 'main', words: '主要责任', mine: false },
      ],
      review: { deadline: new Date('2026-12-04T00:00:00+08:00').toISOString(), open: true, requested: false },
    });
  });

  it('gives a party the 认定书 as a PDF; nobody else, and not before it is delivered', async () => {
    const [a, b, stranger] = [await verifiedDriver(t), await verifiedDriver(t), await verifiedDriver(t)];
    const caseId = await decidedCaseOf(a, b);
    const pdf = await pdfOf(a, caseId);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain(encodeURIComponent('道路交通事故认定书'));
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await pdfOf(stranger, caseId)).status).toBe(404);
    expect((await stranger.get('/api/v1/matters')).body.items.map((m: { caseId: string }) => m.caseId)).not.toContain(caseId);

    const undecided = await decidedCaseOf(a, b, false);
    const early = await pdfOf(a, undecided);
    expect(early.status).toBe(404);
    expect(((await early.json()) as { code: string }).code).toBe('CERTIFICATE_NOT_FOUND');
    expect((await a.get('/api/v1/matters')).body.items.find((m: { caseId: string }) => m.caseId === undecided).decision).toBeNull();
  });

  it('shows the window closed once the deadline passed', async () => {
    const [a, b] = [await verifiedDriver(t), await verifiedDriver(t)];
    const caseId = await decidedCaseOf(a, b);
    t.services.clock = () => new Date('2026-12-04T00:00:01+08:00');
    try {
      const matter = (await a.get('/api/v1/matters')).body.items.find((m: { caseId: string }) => m.caseId === caseId);
      expect(matter.decision.review.open).toBe(false);
    } finally {
      t.services.clock = () => MONDAY;
    }
    expect(await Case.exists({ _id: caseId })).not.toBeNull();
  });
});
