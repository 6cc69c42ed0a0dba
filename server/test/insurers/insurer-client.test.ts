import { createHash } from 'node:crypto';
import { UpstreamUnavailableError } from '../../src/clients/http/fetch-json';
import { InsurerApiError, InsurerClient, INSURER_CODE, type InsurerClaim } from '../../src/clients/insurer/insurer-client';
import { loadConfig } from '../../src/config';
import { InsurerFake } from '../../fakes';
import { PRODUCTION_ENV } from '../production-env';

const TOKEN = 'insurer-test-token';
const fake = new InsurerFake(TOKEN);
let client: InsurerClient;

beforeAll(async () => {
  await fake.start();
  client = new InsurerClient({ baseUrl: fake.url, token: TOKEN, timeoutMs: 2000 });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const pdf = Buffer.from('%PDF-1.7\n% a certificate\n');
const claim = (overrides: Partial<InsurerClaim['party']> = {}): InsurerClaim => ({
  insurerCode: 'PICC',
  certificate: { number: 'JM-PJ-2026-000001', verifyUrl: 'https://jmjj-kc.example.cn/verify/JM-PJ-2026-000001', pdfBase64: pdf.toString('base64'), pdfSha256: createHash('sha256').update(pdf).digest('hex') },
  evidence: [{ id: 'ev-1', kind: 'photo', sha256: 'a'.repeat(64) }],
  party: { label: 'A', name: '张三', phoneMasked: '137****0001', plate: '粤J10001', policyNo: 'PDZA2026A0001', ...overrides },
  consentAt: '2026-11-30T02:00:00.000Z',
});
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'no error', (err: unknown) => (err instanceof InsurerApiError ? err.code : String(err)));

describe('the insurer gateway (client and fake, docs/contracts/insurer.md)', () => {
  it('answers a claim number; the same Idempotency-Key and body answer the same claim, another body under it is refused', async () => {
    const first = await client.submitClaim(claim(), 'key-0000000001');
    expect(first).toEqual({ claimNo: expect.stringMatching(/^PICC\d{14}$/), replayed: false });
    expect(await client.submitClaim(claim(), 'key-0000000001')).toEqual({ claimNo: first.claimNo, replayed: true });
    expect(fake.claims).toHaveLength(1);
    expect(await codeOf(client.submitClaim(claim({ plate: '粤J99999' }), 'key-0000000001'))).toBe(INSURER_CODE.KEY_REUSED);
    const other = await client.submitClaim(claim(), 'key-0000000002');
    expect(other.claimNo).not.toBe(first.claimNo);
  });

  it('refuses what the contract refuses: no key, a whole phone number, a PDF that is not its hash, a wrong token, an unknown policy', async () => {
    expect(await codeOf(client.submitClaim(claim(), 'short'))).toBe(INSURER_CODE.BAD_REQUEST);
    await expect(client.submitClaim(claim({ phoneMasked: '13700000001' }), 'key-0000000003')).rejects.toMatchObject({ code: INSURER_CODE.BAD_REQUEST, detail: 'party.phoneMasked' });
    const forged = claim();
    forged.certificate.pdfSha256 = 'b'.repeat(64);
    await expect(client.submitClaim(forged, 'key-0000000004')).rejects.toMatchObject({ code: INSURER_CODE.BAD_REQUEST, detail: 'certificate.pdfSha256' });
    const stranger = new InsurerClient({ baseUrl: fake.url, token: 'wrong', timeoutMs: 2000 });
    expect(await codeOf(stranger.submitClaim(claim(), 'key-0000000005'))).toBe(INSURER_CODE.UNAUTHORISED);

    fake.acceptUnknownPolicies = false;
    fake.addPolicy('PICC', 'PDZA2026A0001', '粤J10001');
    expect(await codeOf(client.submitClaim(claim({ policyNo: 'PDZA2026X9999' }), 'key-0000000006'))).toBe(INSURER_CODE.UNKNOWN_POLICY);
    expect(await codeOf(client.submitClaim(claim({ plate: '粤J77777' }), 'key-0000000007'))).toBe(INSURER_CODE.UNKNOWN_POLICY);
    expect((await client.submitClaim(claim(), 'key-0000000008')).replayed).toBe(false);
    expect(fake.claims).toHaveLength(1);
  });

  it('the failure switch: the next N claims fail as a down insurer (503 → no answer to read), then it answers', async () => {
    fake.failNextClaims(2);
    for (let i = 0; i < 2; i++) await expect(client.submitClaim(claim(), 'key-0000000009')).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect((await client.submitClaim(claim(), 'key-0000000009')).replayed).toBe(false);
    expect(fake.keysReceived).toEqual(['key-0000000009', 'key-0000000009', 'key-0000000009']);
    fake.failNextClaims(1, INSURER_CODE.UNKNOWN_POLICY);
    expect(await codeOf(client.submitClaim(claim(), 'key-0000000010'))).toBe(INSURER_CODE.UNKNOWN_POLICY);
  });

  it('gives up on an insurer that does not answer in time', async () => {
    fake.delay('claims', 500);
    const impatient = new InsurerClient({ baseUrl: fake.url, token: TOKEN, timeoutMs: 100 });
    await expect(impatient.submitClaim(claim(), 'key-0000000011')).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('refuses the development token in production', () => {
    const { INSURER_TOKEN: _real, ...withoutToken } = PRODUCTION_ENV;
    expect(() => loadConfig(withoutToken)).toThrow(/INSURER_TOKEN: the development default/);
    expect(loadConfig(PRODUCTION_ENV).INSURER_TOKEN).toBe('real-insurer-token');
  });
});
