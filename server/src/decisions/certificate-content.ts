import { DateTime } from 'luxon';
import { findBrigade } from '../brigades';
import type { CaseSnapshot } from '../cases';
import { defaultReviewNotice, type CertificateContent } from '../certificates';
import { certificateIdentityOf, type IdCipher } from '../identity';
import { AppError } from '../platform/errors';
import { officerBadge } from '../staff';

/** No item fixed (the chain starts empty): the certificate prints zeros where the head would be. */
const EMPTY_CHAIN = '0'.repeat(64);

const impactPointsOf = (c: CaseSnapshot, label: string): string[] => {
  const raw = (c.facts?.impactPoints as Record<string, unknown> | undefined)?.[label];
  if (Array.isArray(raw)) return raw.filter((x): x is string => typeof x === 'string' && x.trim() !== '').slice(0, 12);
  return typeof raw === 'string' && raw.trim() ? [raw.trim()] : [];
};

/** Everything the certificate prints, gathered from the decided case; personal numbers masked. */
export async function certificateContentFor(services: { idCipher: IdCipher }, c: CaseSnapshot, number: string, issuedAt: Date): Promise<CertificateContent> {
  const decision = c.decision;
  if (!decision?.officer) throw new AppError(409, 'CASE_NOT_RELEASED', '案件尚未认定');
  const [brigade, badge, identities] = await Promise.all([
    c.brigadeCode ? findBrigade(c.brigadeCode) : null,
    officerBadge(decision.officer.id),
    Promise.all(c.parties.map((p) => certificateIdentityOf(services, p.driverId))),
  ]);
  const head = [...c.evidence].sort((a, b) => a.seq - b.seq).at(-1)?.chainHash ?? EMPTY_CHAIN;
  return {
    number,
    issuedAt: DateTime.fromJSDate(issuedAt).setZone('Asia/Shanghai').toISO()!,
    unit: { name: brigade?.name ?? '江门市公安局交通警察支队', code: c.brigadeCode ?? 'JM' },
    officer: { name: badge?.name ?? decision.officer.name, number: badge?.number ?? decision.officer.id.slice(-6) },
    accident: {
      occurredAt: DateTime.fromJSDate(c.facts?.occurredAt ?? c.reportedAt).setZone('Asia/Shanghai').toISO()!,
      place: c.facts?.place || c.address || c.districtName || '江门市',
      weather: decision.weather,
      type: decision.accidentType,
      facts: decision.facts,
    },
    parties: c.parties.map((p, i) => {
      const decided = decision.parties.find((d) => d.label === p.label);
      const who = identities[i];
      return {
        label: p.label,
        name: p.info?.driverName || who?.name || `${p.label} 方当事人`,
        idNumberMasked: who?.idNumberMasked ?? '未登记',
        licenceNoMasked: p.info?.licenceNo ?? null,
        phoneMasked: who?.phoneMasked ?? '未登记',
        vehicleType: p.info?.vehicleType || '机动车',
        plate: p.plate,
        insurer: p.info?.insurer ?? null,
        policyNo: p.info?.policyNo ?? null,
        impactPoints: impactPointsOf(c, p.label),
        liability: (decided?.liability ?? 'none') as CertificateContent['parties'][number]['liability'],
        basis: decided?.basis || '无',
        damages: (decided?.damages ?? 'self_settle') as CertificateContent['parties'][number]['damages'],
      };
    }),
    evidenceHeadHash: head,
    reviewNotice: defaultReviewNotice('江门市公安局交通警察支队'),
    supersedes: c.supersedesCertificate ?? null,
  };
}
