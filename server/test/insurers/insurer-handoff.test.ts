import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../harness';
import { seedBrigades, verifiedDriver, type TestDriver } from '../cases/fixtures';
import { decision, party, releasedCase, signedInStaff } from '../decisions/decision-fixtures';
import type { InsurerClaim } from '../../src/clients/insurer/insurer-client';

let t: TestServer;
const MONDAY = new Date('2026-11-30T10:00:00+08:00');
const HANDOFF = (caseId: string) => `/api/v1/matters/${caseId}/insurer-handoff`;
const sha = () => randomBytes(32).toString('hex');

beforeAll(async () => {
  t = await startTestServer();
  await seedBrigades();
  t.services.clock = () => MONDAY;
});
afterAll(() => t.close());
beforeEach(() => t.fakes.insurer.reset());

/** An evidence item's summary as the case keeps it. */
const item = (seq: number, kind: string, fixedAt: Date) => ({
  id: `ev-${seq}-${randomBytes(4).toString('hex')}`,
  seq,
  kind,
  party: 'A',
  mimeType: 'image/jpeg',
  size: 1000,
  sha256: sha(),
  prevChainHash: '',
  chainHash: sha(),
  fixedAt,
});

/**
 * A released case of two real drivers decided by an officer, hence delivered; two photos fixed during
 * the call and one 复核 photo fixed after the certificate was issued.
 */
async function deliveredCaseOf(a: TestDriver, b: TestDriver, deliver = true) {
  const before = new Date(MONDAY.getTime() - 3600_000);
  const evidence = [item(1, 'photo', before), item(2, 'still', before), item(3, 'review_evidence', new Date(MONDAY.getTime() + 3600_000))];
  const caseId = await releasedCase({ parties: [party('A', '粤J11111', a.id as never), party('B', '粤J22222', b.id as never)], evidence });
  if (deliver) {
    const res = await (await signedInStaff(t, 'officer')).post(`/decisions/cases/${caseId}/decision`, decision({ A: 'full', B: 'none' }, 'A 车未与前车保持安全距离'));
    expect(res.status).toBe(201);
  }
  return { caseId, evidence };
}

const matterOf = async (driver: TestDriver, caseId: string) =>
  (await driver.get('/api/v1/matters')).body.items.find((m: { caseId: string }) => m.caseId === caseId);

describe('发送给保险公司', () => {
  it('lists the insurers a driver may pick, as the data file has them', async () => {
    const a = await verifiedDriver(t);
    const res = await a.get('/api/v1/insurers');
    expect(res.status).toBe(200);
    const shipped = (JSON.parse(readFileSync(join(__dirname, '../../data/insurers.json'), 'utf8')) as { insurers: { code: string; name: string }[] }).insurers;
    expect(res.body.items).toEqual(shipped.map(({ code, name }) => ({ code, name })));
    expect(res.body.items.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining(['人保财险', '平安财险', '国寿财险', '大地财险', '中华联合财险']));
    expect((await t.http.get('/api/v1/insurers')).status).toBe(401);
  });

  it('fails while the insurer is down, in Chinese; the retry is accepted under the same Idempotency-Key as one claim; 网办进度 shows its claim number', async () => {
    const [a, b] = [await verifiedDriver(t), await verifiedDriver(t)];
    const { caseId, evidence } = await deliveredCaseOf(a, b);
    t.fakes.insurer.failNextClaims(1);

    const first = await a.post(HANDOFF(caseId), { insurerCode: 'PICC', consent: true });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ insurerCode: 'PICC', insurerName: '人保财险', status: 'failed', claimNo: null, sentAt: null, consentAt: MONDAY.toISOString() });
    expect(first.body.error).toBe('人保财险系统暂时无法受理，请稍后重试');
    expect((await matterOf(a, caseId)).decision.handoff).toMatchObject({ status: 'failed', claimNo: null });

    const second = await a.post(HANDOFF(caseId), { insurerCode: 'PICC', consent: true });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'accepted', error: null, sentAt: MONDAY.toISOString(), consentAt: MONDAY.toISOString() });
    expect(second.body.claimNo).toMatch(/^PICC\d{8}\d{6}$/);

    // The fake saw the one key twice and registered one claim, under it.
    const fake = t.fakes.insurer;
    expect(fake.keysReceived).toHaveLength(2);
    expect(fake.keysReceived[1]).toBe(fake.keysReceived[0]);
    expect(fake.claims).toEqual([expect.objectContaining({ claimNo: second.body.claimNo, idempotencyKey: fake.keysReceived[0], insurerCode: 'PICC', policyNo: 'PDZA2026A0001', plate: '粤J11111' })]);
    // Both attempts carried the same request: the certificate as delivered, the evidence the decision rested on, only this party.
    const [sent1, sent2] = fake.callsTo('claims').map((c) => c.body as InsurerClaim) as [InsurerClaim, InsurerClaim];
    expect(fake.callsTo('claims')).toHaveLength(2);
    expect(sent2).toEqual(sent1);
    const matter = await matterOf(a, caseId);
    const pdf = Buffer.from(await (await fetch(`${t.url}/api/v1/matters/${caseId}/certificate.pdf`, { headers: { authorization: `Bearer ${a.token}` } })).arrayBuffer());
    expect(sent2.certificate).toEqual({
      number: matter.decision.certificateNumber,
      verifyUrl: matter.decision.verifyUrl,
      pdfBase64: pdf.toString('base64'),
      pdfSha256: createHash('sha256').update(pdf).digest('hex'),
    });
    expect(sent2.evidence).toEqual(evidence.slice(0, 2).map(({ id, kind, sha256 }) => ({ id, kind, sha256 })));
    expect(sent2.party).toEqual({ label: 'A', name: '司机A', phoneMasked: expect.stringMatching(/^137\*{4}\d{4}$/), plate: '粤J11111', policyNo: 'PDZA2026A0001' });
    expect(sent2.consentAt).toBe(MONDAY.toISOString());
    const text = JSON.stringify({ ...sent2, certificate: { ...sent2.certificate, pdfBase64: '' } });
    expect(text).not.toContain(a.idNumber);
    expect(text).not.toContain(a.phone);

    // 网办进度 shows it to this party; the other party has none of their own.
    expect(matter.decision.handoff).toEqual(second.body);
    expect((await matterOf(b, caseId)).decision.handoff).toBeNull();

    // Once accepted, asking again answers the same claim without troubling the insurer.
    const again = await a.post(HANDOFF(caseId), { insurerCode: 'PICC', consent: true });
    expect(again.body).toEqual(second.body);
    expect(fake.keysReceived).toHaveLength(2);
    const other = await a.post(HANDOFF(caseId), { insurerCode: 'PAIC', consent: true });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('HANDOFF_ALREADY_ACCEPTED');
  });

  it('another insurer after a failure is a new hand-off under a new key; an unknown policy fails in words', async () => {
    const [a, b] = [await verifiedDriver(t), await verifiedDriver(t)];
    const { caseId } = await deliveredCaseOf(a, b);
    t.fakes.insurer.acceptUnknownPolicies = false;
    t.fakes.insurer.addPolicy('PAIC', 'PDZA2026B0001', '粤J22222');

    const wrong = await b.post(HANDOFF(caseId), { insurerCode: 'CPIC', consent: true });
    expect(wrong.body).toMatchObject({ status: 'failed', insurerName: '太平洋财险（太保）', error: '太平洋财险（太保）未查到与车牌相符的交强险保单，请确认保险公司是否选对' });
    const right = await b.post(HANDOFF(caseId), { insurerCode: 'PAIC', consent: true });
    expect(right.body).toMatchObject({ status: 'accepted', insurerCode: 'PAIC', claimNo: expect.stringMatching(/^PAIC/) });
    const keys = t.fakes.insurer.keysReceived;
    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(keys[0]);
    expect((await matterOf(b, caseId)).decision.handoff).toMatchObject({ insurerCode: 'PAIC', claimNo: right.body.claimNo });
  });

  it('requires the party’s consent (400)', async () => {
    const [a, b] = [await verifiedDriver(t), await verifiedDriver(t)];
    const { caseId } = await deliveredCaseOf(a, b);
    for (const body of [{ insurerCode: 'PICC' }, { insurerCode: 'PICC', consent: false }, { insurerCode: 'PICC', consent: 'true' }]) {
      const res = await a.post(HANDOFF(caseId), body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('同意') });
    }
    expect(t.fakes.insurer.keysReceived).toHaveLength(0);
    expect((await matterOf(a, caseId)).decision.handoff).toBeNull();
  });

  it('refuses before the certificate is delivered (409), a stranger (404) and an insurer not on the list (400)', async () => {
    const [a, b, stranger] = [await verifiedDriver(t), await verifiedDriver(t), await verifiedDriver(t)];
    const undelivered = await deliveredCaseOf(a, b, false);
    const early = await a.post(HANDOFF(undelivered.caseId), { insurerCode: 'PICC', consent: true });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'CERTIFICATE_NOT_DELIVERED', message: '认定书送达后才能发送给保险公司' });

    const { caseId } = await deliveredCaseOf(a, b);
    const foreign = await stranger.post(HANDOFF(caseId), { insurerCode: 'PICC', consent: true });
    expect(foreign.status).toBe(404);
    const unknown = await a.post(HANDOFF(caseId), { insurerCode: 'ACME', consent: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('INSURER_UNKNOWN');
    expect(t.fakes.insurer.keysReceived).toHaveLength(0);
  });

  it('brakes a driver who keeps sending (429 with the wait)', async () => {
    const [a, b] = [await verifiedDriver(t), await verifiedDriver(t)];
    const { caseId } = await deliveredCaseOf(a, b);
    const limit = t.config.INSURER_HANDOFF_MAX_PER_MINUTE;
    t.fakes.insurer.failNextClaims(limit + 1);
    for (let i = 0; i < limit; i++) expect((await a.post(HANDOFF(caseId), { insurerCode: 'PICC', consent: true })).body.status).toBe('failed');
    const braked = await a.post(HANDOFF(caseId), { insurerCode: 'PICC', consent: true });
    expect(braked.status).toBe(429);
    expect(braked.body).toMatchObject({ code: 'HANDOFF_RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(t.fakes.insurer.keysReceived).toHaveLength(limit);
  });
});
