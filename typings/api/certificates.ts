/**
 * The public check of a 道路交通事故认定书: anyone holding a certificate (an insurer, a court, the other
 * party) may ask whether it is one the brigade issued and still stands. Answers carry no personal data.
 */
export type CertificateStatus = 'valid' | 'superseded' | 'withdrawn';

/** `GET /api/v1/certificates/:number/verify`: what the QR code's page shows. */
export interface CertificateVerification {
  number: string;
  /** ISO time; shown to people in Asia/Shanghai. */
  issuedAt: string;
  unit: { name: string; code: string };
  /** valid; superseded (a review sent it back and a new certificate replaced it); withdrawn. */
  status: CertificateStatus;
  /** The number of the certificate that replaced this one, when superseded. */
  supersededBy: string | null;
  /** The stored content still matches the signature the server made when it issued it. */
  signatureValid: boolean;
}

/**
 * Why a presented certificate is or is not one we issued:
 * - `authentic`: signed by us, stored under its number, and (for a PDF) the very file we issued;
 * - `not_a_certificate`: no signed content inside (not our PDF, or stripped);
 * - `signature_invalid`: the content or its signature was changed, or another key signed it;
 * - `unknown_number`: no certificate of ours has that number;
 * - `content_mismatch`: signed content that differs from what is stored under its number;
 * - `file_altered`: the signed content is ours but the file's bytes are not the ones we issued
 *   (what the page shows may have been changed: trust the verify page, not the file).
 */
export type CertificateCheckVerdict = 'authentic' | 'not_a_certificate' | 'signature_invalid' | 'unknown_number' | 'content_mismatch' | 'file_altered';

/** `POST /api/v1/certificates/verify`: the body is the PDF (application/pdf) or the signed content as JSON. */
export interface CertificateCheckRequest {
  /** The certificate's content, as embedded in the PDF. */
  content: Record<string, unknown>;
  /** Ed25519 signature of its canonical JSON (RFC 8785), base64. */
  signature: string;
}

export interface CertificateCheckResult {
  authentic: boolean;
  verdict: CertificateCheckVerdict;
  /** The stored certificate the presented one names, when the signature holds and the number is ours. */
  certificate: CertificateVerification | null;
}
