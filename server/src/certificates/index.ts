/**
 * certificates — the 道路交通事故认定书（简易程序）: signs the content it is given (Ed25519 over its
 * canonical JSON), prints it as an A4 PDF with the unit's seal and a QR code to the public verify page,
 * keeps it, and answers anyone who asks whether a certificate is one the brigade issued and still stands.
 * It knows no case: the caller gathers the content and allocates the number.
 */
export type { CertificateContent, CertificateParty, DamagesChoice, LiabilityGrade } from './certificate-content';
export { certificateContentSchema, defaultReviewNotice, DAMAGES_WORDS, LIABILITY_WORDS } from './certificate-content';
export type { CertificateServices, CertificateStatusChange, IssuedCertificate } from './certificate.service';
export { caseOfCertificate, certificatePdf, issueCertificate, markSuperseded, verifyUrl, withdraw } from './certificate.service';
export { certificateRoutes } from './certificate.routes';
