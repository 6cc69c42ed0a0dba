import { Case } from '../../src/cases/case.model';
import { caseHistory } from '../../src/cases/case-revisions';
import { startTestServer, type TestServer } from '../harness';
import { DURING_HOURS, seedBrigades } from '../cases/fixtures';
import { dispatcher, twoPartyCase } from './call-fixtures';

const ID_NUMBER = '44070319850202123X';
const CARD = '6222021234567890123';
const GROUPED_CARD = '6217 0012 3456 7890';

/** Every way the numbers could be shown whole: as typed, and with the grouping taken out. */
function expectNoWholeNumbers(body: unknown): void {
  const text = JSON.stringify(body);
  for (const whole of [ID_NUMBER, CARD, GROUPED_CARD, GROUPED_CARD.replace(/ /g, '')]) expect(text).not.toContain(whole);
}

describe('ID and bank-card numbers typed into free text are masked before anyone sees them', () => {
  let t: TestServer;
  let desk: Awaited<ReturnType<typeof dispatcher>>;
  beforeAll(async () => {
    t = await startTestServer();
    await seedBrigades();
    desk = await dispatcher(t, 'mask-desk-1');
  });
  beforeEach(() => {
    t.services.clock = DURING_HOURS;
  });
  afterAll(() => t.close());

  it('in chat: neither the desk nor the other party sees them whole; the phone number stays', async () => {
    const { caseId, a, b } = await twoPartyCase(t);
    await desk.post(caseId, '/answer');
    const sent = await a.post(`/api/v1/cases/${caseId}/messages`, { text: `我的身份证 ${ID_NUMBER}，赔款打到 ${CARD}，电话 13800138000` });
    expect(sent.status).toBe(201);
    await desk.post(caseId, '/messages', { text: `请对方把钱转到 ${GROUPED_CARD}` });

    const deskView = (await desk.get(caseId)).body;
    const otherView = (await b.get(`/api/v1/cases/${caseId}/call`)).body;
    for (const view of [deskView, otherView]) {
      expectNoWholeNumbers(view);
      expect(view.messages.map((m: { text: string }) => m.text)).toEqual([
        '我的身份证 4407**********123X，赔款打到 6222***********0123，电话 13800138000',
        '请对方把钱转到 6217 **** **** 7890',
      ]);
    }
  });

  it('in the facts, a shot request note, party information and a redirect reason', async () => {
    const { caseId, b } = await twoPartyCase(t);
    await desk.post(caseId, '/answer');
    const facts = await desk.put(caseId, '/facts', { place: `建设三路 ${CARD} 号`, summary: `B 车司机身份证 ${ID_NUMBER}`, directions: { A: `卡 ${GROUPED_CARD}` } });
    expect(facts.status).toBe(200);
    expect((await desk.post(caseId, '/shot-requests', { party: 'B', kind: 'other', note: `请拍银行卡 ${CARD} 正面` })).status).toBe(201);
    expect((await desk.put(caseId, '/parties/B', { driverName: `李四 ${ID_NUMBER}`, insurer: `人保 ${CARD}`, policyNo: 'PDAA202344070000012345' })).status).toBe(200);

    const deskView = (await desk.get(caseId)).body;
    expectNoWholeNumbers(deskView);
    expect(deskView.facts.summary).toBe('B 车司机身份证 4407**********123X');
    // A policy number is not a card number: kept as entered.
    expect(JSON.stringify(deskView)).toContain('PDAA202344070000012345');
    expectNoWholeNumbers((await b.get(`/api/v1/cases/${caseId}/call`)).body);

    const redirected = await desk.post(caseId, '/redirect', { reason: `身份证 ${ID_NUMBER} 与驾驶证不符`, alternatives: ['call_122'] });
    expect(redirected.body.redirect.reason).toBe('身份证 4407**********123X 与驾驶证不符');
    expectNoWholeNumbers((await b.get(`/api/v1/cases/${caseId}/call`)).body);
    expectNoWholeNumbers(await Case.findById(caseId).lean());
  });

  it('in a cancel reason', async () => {
    const { caseId, a } = await twoPartyCase(t);
    const cancelled = await a.post(`/api/v1/cases/${caseId}/cancel`, { reason: `已私了，转账到 ${GROUPED_CARD}` });
    expect(cancelled.status).toBe(200);
    const history = await caseHistory(caseId);
    expect(history.at(-1)).toMatchObject({ event: 'cancel', reason: '已私了，转账到 6217 **** **** 7890' });
    expectNoWholeNumbers(history);
  });
});
