import type { InsurerClaim } from '../clients/insurer/insurer-client';
import type { CaseSnapshot } from '../cases';
import { verifyUrl } from '../certificates';
import type { Config } from '../config';
import { certificateIdentityOf, maskPhone, type IdCipher } from '../identity';

/** The claim as stored and re-sent: everything but the PDF's bytes, which the certificate store keeps. */
export type StoredClaim = Omit<InsurerClaim, 'certificate'> & { certificate: Omit<InsurerClaim['certificate'], 'pdfBase64'> };

/**
 * What the insurer is given for one party: the certificate (number, where to verify it, the PDF's
 * hash), the evidence the decision rested on (items fixed up to the certificate's issue, by id, kind
 * and hash) and this party's policy data — no ID or licence number, the phone masked.
 */
export async function claimRequestFor(
  services: { config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>; idCipher: IdCipher },
  c: CaseSnapshot,
  label: string,
  insurerCode: string,
  pdfSha256: string,
  consentAt: Date,
): Promise<StoredClaim> {
  const number = c.decision!.certificateNumber!;
  const issuedAt = c.decision!.certificateIssuedAt ?? c.deliveredAt ?? new Date();
  const p = c.parties.find((x) => x.label === label)!;
  const who = p.info?.driverName && p.info?.phone ? null : await certificateIdentityOf(services, p.driverId);
  return {
    insurerCode,
    certificate: { number, verifyUrl: verifyUrl(services.config, number), pdfSha256 },
    evidence: [...c.evidence]
      .filter((e) => e.fixedAt <= issuedAt)
      .sort((a, b) => a.seq - b.seq)
      .map((e) => ({ id: e.id, kind: e.kind, sha256: e.sha256 })),
    party: {
      label,
      name: p.info?.driverName || who?.name || `${label} 方当事人`,
      phoneMasked: p.info?.phone ? maskPhone(p.info.phone) : (who?.phoneMasked ?? null),
      plate: p.plate,
      policyNo: p.info!.policyNo!,
    },
    consentAt: consentAt.toISOString(),
  };
}
