import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateCheckResult, CertificateVerification } from '../../../typings/api/certificates';
import { certificatePdf, issueCertificate, markSuperseded, verifyUrl, withdraw } from '../../src/certificates';
import { certificateFonts, sealImage } from '../../src/certificates/certificate-assets';
import { Certificate } from '../../src/certificates/certificate.model';
import { renderCertificatePdf } from '../../src/certificates/certificate-pdf';
import { canonicalContent, createSigner, signerFor } from '../../src/certificates/signing';
import { REPO_ROOT } from '../../src/platform/paths';
import { startTestServer, type TestServer } from '../harness';
import { sampleContent } from './fixtures';

const OUTPUT = join(REPO_ROOT, 'test-output/certificates');
const PUBLIC_URL = 'https://jmjj-kc.example.cn';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { PUBLIC_URL, CERT_VERIFY_MAX_PER_MINUTE: '1000' } });
  mkdirSync(OUTPUT, { recursive: true });
});
afterAll(() => server.close());

const postPdf = async (pdf: Buffer): Promise<{ status: number; body: CertificateCheckResult }> => {
  const res = await fetch(`${server.url}/api/v1/certificates/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(pdf) });
  return { status: res.status, body: (await res.json()) as CertificateCheckResult };
};

/** The PDF with one byte changed at `at` (to another character of the same class, so the file still parses). */
function withByteChanged(pdf: Buffer, at: number): Buffer {
  const copy = Buffer.from(pdf);
  const c = String.fromCharCode(copy[at]!);
  copy[at] = (/[A-Za-z]/.test(c) ? (c === 'A' ? 'B' : 'A') : c === '0' ? '1' : '0').charCodeAt(0);
  return copy;
}

const personalData = (content = sampleContent()) => content.parties.flatMap((p) => [p.name, p.plate, p.phoneMasked, p.idNumberMasked, p.policyNo!]).concat(content.officer.name);

describe('the certificate (道路交通事故认定书（简易程序）)', () => {
  const content = sampleContent();
  let pdf: Buffer;

  beforeAll(async () => {
    await issueCertificate(server.services, content, 'case-0001');
    pdf = await certificatePdf(server.services, content.number);
  });

  it('renders one A4 page whose QR code, read from the picture, opens the verify page, and whose text is the form', () => {
    const pdfPath = join(OUTPUT, `${content.number}.pdf`);
    writeFileSync(pdfPath, pdf);
    expect(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n[\s\S]*Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);

    execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', pdfPath, join(OUTPUT, 'certificate')]);
    const qr = execFileSync('zbarimg', ['--raw', '-q', join(OUTPUT, 'certificate.png')], { encoding: 'utf8' }).trim();
    expect(qr).toBe(`${PUBLIC_URL}/verify/${content.number}`);
    expect(qr).toBe(verifyUrl(server.config, content.number));

    // pdftotext breaks lines where the table cells wrap: compare without whitespace.
    const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    const has = (s: string) => expect(text).toContain(s.replace(/\s+/g, ''));
    has('道路交通事故认定书（简易程序）');
    has(`编号：${content.number}`);
    has('江门市公安局交通警察支队蓬江大队');
    for (const party of content.parties) {
      has(party.plate);
      has(party.name);
      has(party.idNumberMasked);
    }
    has('全部责任');
    has('无责任');
    has('保险理赔');
    has('追尾');
    has('中国人民财产保险股份有限公司');
    has(content.reviewNotice);
    has('交通警察：李建国');
    has('警号：440123');
    // Issued at 2026-11-30T16:30Z: already 1 December in Beijing. The accident at 15:48Z: 23:48 on the 30th.
    has('2026年12月01日');
    expect(text).not.toContain('2026年11月30日16');
    has('2026年11月30日23时48分');
    has(content.evidenceHeadHash);
  });

  it('is issued once per number: the same content again returns the first issue, other content under that number is refused', async () => {
    const first = await issueCertificate(server.services, content, 'case-0001');
    const again = await issueCertificate(server.services, sampleContent(), 'case-0001');
    expect(again).toEqual(first);
    expect(await Certificate.countDocuments({ _id: content.number })).toBe(1);
    const other = sampleContent({ officer: { name: '王强', number: '440999' } });
    await expect(issueCertificate(server.services, other, 'case-0001')).rejects.toMatchObject({ status: 409, code: 'CERTIFICATE_NUMBER_TAKEN' });
    await expect(issueCertificate(server.services, content, 'case-0002')).rejects.toMatchObject({ status: 409, code: 'CERTIFICATE_NUMBER_TAKEN' });
  });

  it('refuses content that would print a whole ID or phone number', async () => {
    const leaky = sampleContent({ number: 'JM-PJ-2026-000900' });
    leaky.parties[0]!.idNumberMasked = '440703199001011234';
    await expect(issueCertificate(server.services, leaky, 'case-0009')).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('answers the public check of its number with number, date, unit and status, and no personal data', async () => {
    const res = await server.http.get<CertificateVerification>(`/api/v1/certificates/${content.number}/verify`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      number: content.number,
      issuedAt: '2026-11-30T16:30:00.000Z',
      unit: { name: '江门市公安局交通警察支队蓬江大队', code: 'JM-PJ' },
      status: 'valid',
      supersededBy: null,
      signatureValid: true,
    });
    const page = await server.http.get<string>(`/verify/${content.number}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    for (const shown of [content.number, '2026年12月01日', '江门市公安局交通警察支队蓬江大队', '有效']) expect(page.body).toContain(shown);
    for (const secret of personalData()) {
      expect(JSON.stringify(res.body)).not.toContain(secret);
      expect(page.body).not.toContain(secret);
    }
  });

  it('answers a forged number with 404 CERTIFICATE_NOT_FOUND, as JSON and as a page', async () => {
    for (const forged of ['JM-PJ-2026-000124', 'JM-PJ-2026-00012X', '<script>', 'x'.repeat(300)]) {
      const res = await server.http.get(`/api/v1/certificates/${encodeURIComponent(forged)}/verify`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('CERTIFICATE_NOT_FOUND');
      const page = await server.http.get<string>(`/verify/${encodeURIComponent(forged)}`);
      expect(page.status).toBe(404);
      expect(page.body).toContain('未找到该认定书');
      expect(page.body).not.toContain('<script>');
    }
  });

  it('recognises the issued PDF, and refuses it once its signed content, its signature or its page is changed', async () => {
    expect((await postPdf(pdf)).body).toMatchObject({ authentic: true, verdict: 'authentic', certificate: { number: content.number, status: 'valid' } });

    const latin = pdf.toString('latin1');
    // Where the value of a document-information key starts: `/Key n 0 R` … `n 0 obj\n(value)`.
    const valueAt = (key: string) => {
      const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(latin)![1]!;
      return latin.indexOf(`\n${ref} 0 obj\n(`) + `\n${ref} 0 obj\n(`.length;
    };
    const contentAt = valueAt('CertificateContent') + 40;
    expect((await postPdf(withByteChanged(pdf, contentAt))).body).toMatchObject({ authentic: false, verdict: 'signature_invalid', certificate: null });

    const signatureAt = valueAt('CertificateSignature') + 10;
    expect((await postPdf(withByteChanged(pdf, signatureAt))).body).toMatchObject({ authentic: false, verdict: 'signature_invalid' });

    // A byte of the page itself (the QR image's data, inside a stream): the signed content is intact, the file is not.
    const streamAt = latin.indexOf('stream\n', latin.indexOf('/Subtype /Image')) + 'stream\n'.length + 20;
    expect((await postPdf(withByteChanged(pdf, streamAt))).body).toMatchObject({ authentic: false, verdict: 'file_altered', certificate: { number: content.number } });

    const stripped = Buffer.from(latin.replace(/\/CertificateSignature \d+ 0 R/, ''), 'latin1');
    expect((await postPdf(stripped)).body).toMatchObject({ authentic: false, verdict: 'not_a_certificate' });
    expect((await postPdf(Buffer.from('%PDF-1.3\nnot ours'))).body).toMatchObject({ authentic: false, verdict: 'not_a_certificate' });
  });

  it('refuses content and PDFs signed with another key', async () => {
    const canonical = canonicalContent(content);
    const ours = signerFor(server.config).sign(canonical);
    const accepted = await server.http.post<CertificateCheckResult>('/api/v1/certificates/verify', { content, signature: ours });
    expect(accepted.body).toMatchObject({ authentic: true, verdict: 'authentic' });

    const otherKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const other = createSigner(otherKey);
    const refused = await server.http.post<CertificateCheckResult>('/api/v1/certificates/verify', { content, signature: other.sign(canonical) });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ authentic: false, verdict: 'signature_invalid', certificate: null });

    const forgedPdf = await renderCertificatePdf(
      content,
      { canonical, signature: other.sign(canonical), keyId: other.keyId, verifyUrl: verifyUrl(server.config, content.number) },
      { fonts: await certificateFonts(server.config), sealImage: await sealImage(server.config) },
    );
    expect((await postPdf(forgedPdf)).body).toMatchObject({ authentic: false, verdict: 'signature_invalid' });

    // Our signature over content changed after signing (the officer's grade edited).
    const edited = sampleContent();
    edited.parties[0]!.liability = 'equal';
    const changed = await server.http.post<CertificateCheckResult>('/api/v1/certificates/verify', { content: edited, signature: ours });
    expect(changed.body).toMatchObject({ authentic: false, verdict: 'signature_invalid' });
  });

  it('says so when the stored record no longer matches its signature', async () => {
    const number = 'JM-PJ-2026-000130';
    await issueCertificate(server.services, sampleContent({ number }), 'case-0130');
    await Certificate.updateOne({ _id: number }, { $set: { canonical: canonicalContent(sampleContent({ number, officer: { name: '王强', number: '440999' } })) } });
    const res = await server.http.get<CertificateVerification>(`/api/v1/certificates/${number}/verify`);
    expect(res.body.signatureValid).toBe(false);
    const page = await server.http.get<string>(`/verify/${number}`);
    expect(page.body).toContain('电子签名核验未通过');
    expect(page.body).not.toContain('>有效<');
  });

  it('shows a certificate replaced after review as superseded, and a withdrawn one as withdrawn', async () => {
    const old = sampleContent({ number: 'JM-PJ-2026-000140' });
    await issueCertificate(server.services, old, 'case-0140');
    const redone = sampleContent({ number: 'JM-PJ-2026-000141', supersedes: old.number, issuedAt: '2026-12-10T02:00:00Z' });
    redone.parties[0]!.liability = 'main';
    redone.parties[1]!.liability = 'minor';
    // The replacement must be of the same case.
    await expect(issueCertificate(server.services, redone, 'case-9999')).rejects.toMatchObject({ status: 404, code: 'CERTIFICATE_NOT_FOUND' });
    await issueCertificate(server.services, redone, 'case-0140');

    const res = await server.http.get<CertificateVerification>(`/api/v1/certificates/${old.number}/verify`);
    expect(res.body).toMatchObject({ status: 'superseded', supersededBy: redone.number, signatureValid: true });
    const page = await server.http.get<string>(`/verify/${old.number}`);
    expect(page.body).toContain('已被复核后重新认定的认定书取代');
    expect(page.body).toContain(`href="/verify/${redone.number}"`);
    // Marking it again is harmless; withdrawing a superseded certificate is not a thing.
    await expect(markSuperseded(old.number, redone.number)).resolves.toMatchObject({ status: 'superseded' });
    await expect(withdraw(old.number)).rejects.toMatchObject({ status: 409, code: 'CERTIFICATE_NOT_VALID' });

    // The old file is still ours, and says it is no longer valid.
    const oldPdf = await certificatePdf(server.services, old.number);
    expect((await postPdf(oldPdf)).body).toMatchObject({ authentic: true, certificate: { status: 'superseded', supersededBy: redone.number } });
    const newText = execFileSync('pdftotext', ['-', '-'], { input: await certificatePdf(server.services, redone.number), encoding: 'utf8' }).replace(/\s+/g, '');
    expect(newText).toContain(`原编号${old.number}的认定书同时失效`);
    expect(newText).toContain('主要责任');
    expect(newText).toContain('次要责任');

    await withdraw(redone.number);
    await withdraw(redone.number);
    expect((await server.http.get<string>(`/verify/${redone.number}`)).body).toContain('已撤销');
    await expect(markSuperseded('JM-PJ-2026-000777', redone.number)).rejects.toMatchObject({ status: 404, code: 'CERTIFICATE_NOT_FOUND' });
  });

  it('numbers the pages of a certificate too long for one (six parties, long facts), and keeps the QR code readable', async () => {
    const long = sampleContent({ number: 'JM-PJ-2026-000150' });
    long.accident.facts = '经查，'.concat('各方车辆在路口等候通行时依次发生碰撞，'.repeat(70)).slice(0, 1500);
    long.parties = ['A', 'B', 'C', 'D', 'E', 'F'].map((label, i) => ({ ...sampleContent().parties[i % 2]!, label, plate: `粤J8${i}00${i}`, liability: i === 0 ? 'full' : 'none' }));
    await issueCertificate(server.services, long, 'case-0150');
    const path = join(OUTPUT, `${long.number}.pdf`);
    writeFileSync(path, await certificatePdf(server.services, long.number));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(1);
    const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (let page = 1; page <= pages; page++) expect(text).toContain(`编号：${long.number}第${page}页共${pages}页`);
    for (const party of long.parties) expect(text).toContain(party.plate);
    execFileSync('pdftoppm', ['-png', '-r', '100', '-f', String(pages), '-l', String(pages), '-singlefile', path, join(OUTPUT, 'certificate-long-last-page')]);
    expect(execFileSync('zbarimg', ['--raw', '-q', join(OUTPUT, 'certificate-long-last-page.png')], { encoding: 'utf8' }).trim()).toBe(verifyUrl(server.config, long.number));
  });

  it('refuses a body that is neither a PDF nor JSON', async () => {
    const res = await server.http.post('/api/v1/certificates/verify', undefined, { raw: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('the public check is limited per address', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ env: { PUBLIC_URL, CERT_VERIFY_MAX_PER_MINUTE: '2' } });
  });
  afterAll(() => limited.close());

  it('answers 429 VERIFY_RATE_LIMITED past the limit, with the wait', async () => {
    expect((await limited.http.get('/api/v1/certificates/JM-PJ-2026-000001/verify')).status).toBe(404);
    expect((await limited.http.get('/verify/JM-PJ-2026-000001')).status).toBe(404);
    const res = await limited.http.get('/api/v1/certificates/JM-PJ-2026-000001/verify');
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('VERIFY_RATE_LIMITED');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.http.get<string>('/verify/JM-PJ-2026-000001')).status).toBe(429);
  });
});
