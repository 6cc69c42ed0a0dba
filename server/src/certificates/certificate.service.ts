import { z } from 'zod';
import type { CertificateCheckResult, CertificateCheckVerdict, CertificateVerification } from '../../../typings/api/certificates';
import type { Config } from '../config';
import { isDuplicateKey } from '../platform/database';
import { AppError } from '../platform/errors';
import type { PlatformServices } from '../platform/services';
import { parseWith } from '../platform/validate';
import { certificateFonts, sealImage } from './certificate-assets';
import { certificateContentSchema, certificateNumberSchema, type CertificateContent } from './certificate-content';
import { Certificate, type CertificateRecord } from './certificate.model';
import { EMBEDDED_KEYS, renderCertificatePdf } from './certificate-pdf';
import { canonicalContent, sha256Hex, signerFor } from './signing';

/** What issuing needs: the settings (key, fonts, seal, public URL), where the PDF is kept, the time. */
export type CertificateServices = Pick<PlatformServices, 'config' | 'blobs' | 'clock'>;

export interface IssuedCertificate {
  number: string;
  /** The PDF's key in the blob store. */
  pdfKey: string;
  /** Ed25519 signature of the canonical content, base64. */
  signature: string;
}

const notFound = (number: string) => new AppError(404, 'CERTIFICATE_NOT_FOUND', `没有编号为 ${number} 的道路交通事故认定书`);
const caseIdSchema = z.string().trim().min(1).max(64);

/** The page the certificate's QR code opens. */
export function verifyUrl(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>, number: string): string {
  const base = (config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/+$/, '');
  return `${base}/verify/${encodeURIComponent(number)}`;
}

/**
 * Signs the content, renders the PDF, keeps it, and records the certificate under its number. Issuing
 * the same content under the same number again returns the first issue (a retried decision is safe);
 * other content under a number already used is refused. A certificate that `supersedes` another marks
 * that one superseded once it is stored.
 */
export async function issueCertificate(services: CertificateServices, input: CertificateContent, caseIdInput: string): Promise<IssuedCertificate> {
  const content = parseWith(certificateContentSchema, input);
  const caseId = parseWith(caseIdSchema, caseIdInput);
  const canonical = canonicalContent(content);
  const contentSha256 = sha256Hex(canonical);

  const earlier = await Certificate.findById(content.number).lean<CertificateRecord>();
  if (earlier) return sameIssue(earlier, contentSha256, caseId);
  if (content.supersedes) await checkReplaceable(content.supersedes, content.number, caseId);

  const signer = signerFor(services.config);
  const signature = signer.sign(canonical);
  const [fonts, seal] = await Promise.all([certificateFonts(services.config), sealImage(services.config)]);
  const pdf = await renderCertificatePdf(
    content,
    { canonical, signature, keyId: signer.keyId, verifyUrl: verifyUrl(services.config, content.number) },
    { fonts, sealImage: seal },
  );
  const pdfSha256 = sha256Hex(pdf);
  // A key per rendering: two racing issues of one number never overwrite the file the winner recorded.
  const pdfKey = `certificates/${content.number}/${pdfSha256.slice(0, 16)}.pdf`;
  await services.blobs.put(pdfKey, pdf);

  try {
    await Certificate.create({
      _id: content.number,
      caseId,
      issuedAt: new Date(content.issuedAt),
      unitName: content.unit.name,
      unitCode: content.unit.code,
      status: 'valid',
      supersedes: content.supersedes,
      canonical,
      contentSha256,
      signature,
      keyId: signer.keyId,
      pdfKey,
      pdfSha256,
      createdAt: services.clock(),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = await Certificate.findById(content.number).lean<CertificateRecord>();
    if (winner?.pdfKey !== pdfKey) await services.blobs.delete(pdfKey);
    if (!winner) throw err;
    return sameIssue(winner, contentSha256, caseId);
  }
  if (content.supersedes) await markSuperseded(content.supersedes, content.number, services.clock());
  return { number: content.number, pdfKey, signature };
}

function sameIssue(record: CertificateRecord, contentSha256: string, caseId: string): IssuedCertificate {
  if (record.contentSha256 !== contentSha256 || record.caseId !== caseId) {
    throw new AppError(409, 'CERTIFICATE_NUMBER_TAKEN', `编号 ${record._id} 已用于另一份认定书，请重新分配编号`);
  }
  return { number: record._id, pdfKey: record.pdfKey, signature: record.signature };
}

async function checkReplaceable(old: string, by: string, caseId: string) {
  const record = await Certificate.findById(old).lean<CertificateRecord>();
  if (!record || record.caseId !== caseId) throw notFound(old);
  if (record.status === 'withdrawn' || (record.status === 'superseded' && record.supersededBy !== by)) {
    throw new AppError(409, 'CERTIFICATE_NOT_VALID', `编号 ${old} 的认定书已${record.status === 'withdrawn' ? '撤销' : '被取代'}，不能再被取代`);
  }
}

/** The case a certificate number was issued for, or null when none was. */
export async function caseOfCertificate(number: string): Promise<string | null> {
  return (await Certificate.findById(number, { caseId: 1 }).lean<Pick<CertificateRecord, '_id' | 'caseId'>>())?.caseId ?? null;
}

/** The stored PDF of a certificate. */
export async function certificatePdf(services: Pick<PlatformServices, 'blobs'>, number: string): Promise<Buffer> {
  const record = await Certificate.findById(number, { pdfKey: 1 }).lean<Pick<CertificateRecord, '_id' | 'pdfKey'>>();
  if (!record) throw notFound(number);
  return services.blobs.get(record.pdfKey);
}

/** A review sent the case back and `byNumber` was issued in its place. Repeating it is harmless. */
export async function markSuperseded(number: string, byNumber: string, at: Date = new Date()): Promise<CertificateStatusChange> {
  if (number === byNumber || !(await Certificate.exists({ _id: byNumber }))) throw notFound(byNumber);
  return changeStatus(number, 'superseded', byNumber, at);
}

/** The certificate no longer stands and nothing replaces it (issued in error). Repeating it is harmless. */
export function withdraw(number: string, at: Date = new Date()): Promise<CertificateStatusChange> {
  return changeStatus(number, 'withdrawn', null, at);
}

export interface CertificateStatusChange {
  number: string;
  status: CertificateVerification['status'];
  supersededBy: string | null;
}

async function changeStatus(number: string, status: 'superseded' | 'withdrawn', supersededBy: string | null, at: Date): Promise<CertificateStatusChange> {
  // Guarded: only a valid certificate changes, so two racing changes cannot both win.
  const changed = await Certificate.findOneAndUpdate(
    { _id: number, status: 'valid' },
    { $set: { status, supersededBy, statusChangedAt: at } },
    { returnDocument: 'after' },
  ).lean<CertificateRecord>();
  if (changed) return { number, status, supersededBy };
  const current = await Certificate.findById(number).lean<CertificateRecord>();
  if (!current) throw notFound(number);
  if (current.status === status && current.supersededBy === supersededBy) return { number, status, supersededBy };
  throw new AppError(409, 'CERTIFICATE_NOT_VALID', `编号 ${number} 的认定书已${current.status === 'withdrawn' ? '撤销' : '被取代'}`);
}

/** The public answer for a number: no personal data, and whether the stored content still bears our signature. */
export async function verifyNumber(services: Pick<PlatformServices, 'config'>, number: string): Promise<CertificateVerification> {
  const parsed = certificateNumberSchema.safeParse(number);
  if (!parsed.success) throw notFound(number.slice(0, 40));
  const record = await Certificate.findById(parsed.data).lean<CertificateRecord>();
  if (!record) throw notFound(parsed.data);
  return publicView(record, signatureHolds(record, services.config));
}

function signatureHolds(record: CertificateRecord, config: Pick<Config, 'CERT_SIGNING_KEY'>): boolean {
  return sha256Hex(record.canonical) === record.contentSha256 && signerFor(config).verify(record.canonical, record.signature);
}

function publicView(record: CertificateRecord, signatureValid: boolean): CertificateVerification {
  return {
    number: record._id,
    issuedAt: record.issuedAt.toISOString(),
    unit: { name: record.unitName, code: record.unitCode },
    status: record.status,
    supersededBy: record.supersededBy ?? null,
    signatureValid,
  };
}

/** The signed content and signature a PDF of ours carries in its document information, or null. */
export function embeddedSeal(pdf: Buffer): { canonical: string; signature: string } | null {
  const text = pdf.toString('latin1');
  // pdfkit writes each value as an indirect object holding a literal string (`/Key 21 0 R` …
  // `21 0 obj\n(…)`); base64 needs no escaping inside it.
  const field = (key: string) => {
    const ref = new RegExp(`/${key} (\\d{1,9}) 0 R`).exec(text)?.[1];
    if (!ref) return undefined;
    return new RegExp(`(?:^|[\\r\\n])${ref} 0 obj\\s*\\(([A-Za-z0-9+/=]{1,200000})\\)\\s*endobj`).exec(text)?.[1];
  };
  const content = field(EMBEDDED_KEYS.content);
  const signature = field(EMBEDDED_KEYS.signature);
  if (!content || !signature) return null;
  return { canonical: Buffer.from(content, 'base64').toString('utf8'), signature };
}

/** Is this PDF one we issued, unaltered? */
export async function checkPdf(services: Pick<PlatformServices, 'config'>, pdf: Buffer): Promise<CertificateCheckResult> {
  const seal = embeddedSeal(pdf);
  if (!seal) return verdict('not_a_certificate');
  return checkSigned(services, seal.canonical, seal.signature, sha256Hex(pdf));
}

/** Is this content, with this signature, a certificate we issued? */
export async function checkContent(services: Pick<PlatformServices, 'config'>, content: unknown, signature: string): Promise<CertificateCheckResult> {
  const parsed = certificateContentSchema.safeParse(content);
  if (!parsed.success) return verdict('signature_invalid');
  return checkSigned(services, canonicalContent(parsed.data), signature, null);
}

async function checkSigned(services: Pick<PlatformServices, 'config'>, canonical: string, signature: string, pdfSha256: string | null): Promise<CertificateCheckResult> {
  if (!signerFor(services.config).verify(canonical, signature)) return verdict('signature_invalid');
  const number = numberOf(canonical);
  if (!number) return verdict('not_a_certificate');
  const record = await Certificate.findById(number).lean<CertificateRecord>();
  if (!record) return verdict('unknown_number');
  const view = publicView(record, signatureHolds(record, services.config));
  if (sha256Hex(canonical) !== record.contentSha256) return verdict('content_mismatch', view);
  if (pdfSha256 !== null && pdfSha256 !== record.pdfSha256) return verdict('file_altered', view);
  return verdict('authentic', view);
}

function numberOf(canonical: string): string | null {
  try {
    const parsed = certificateNumberSchema.safeParse((JSON.parse(canonical) as { number?: unknown }).number);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const verdict = (v: CertificateCheckVerdict, certificate: CertificateVerification | null = null): CertificateCheckResult => ({
  authentic: v === 'authentic',
  verdict: v,
  certificate,
});
