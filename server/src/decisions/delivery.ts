import { caseNumber, edit, loadCase, transition, type CaseFieldChanges, type CaseServices, type CaseSnapshot } from '../cases';
import { caseOfCertificate, issueCertificate, type CertificateServices } from '../certificates';
import { AppError } from '../platform/errors';
import type { SmsClient } from '../clients/sms/sms-client';
import { currentWorkingDayCalendar, reviewDeadline } from '../eligibility';
import { verifiedPhoneOf, type IdCipher } from '../identity';
import { certificateContentFor } from './certificate-content';
import { certificateNumberFor } from './certificate-number';

export interface DeliveryServices extends CaseServices, CertificateServices {
  idCipher: IdCipher;
  sms: SmsClient;
}

/**
 * After the decision: the certificate is numbered, signed and kept, then delivered to every party at
 * once (网办进度), the 复核 window starts, and each party gets an SMS. Every step can run again — after a
 * crash the decision sweeper finishes a case left `determined` — and none is done twice: the number is
 * recorded on the case before the certificate is delivered, and delivery is one row of the table.
 */
export async function issueAndDeliver(services: DeliveryServices, caseId: string): Promise<CaseSnapshot> {
  let c = await loadCase(caseId);
  if (c.state !== 'determined' || !c.decision) return c;
  if (!c.decision.certificateNumber) c = await issue(services, c);
  return deliver(services, c);
}

async function issue(services: DeliveryServices, c: CaseSnapshot): Promise<CaseSnapshot> {
  const { number, issuedAt } = await certificateNumberFor(c.decision!.decisionId ?? `${String(c._id)}:${c.decision!.decidedAt.getTime()}`, c.brigadeCode ?? 'JM', services.clock());
  const content = await certificateContentFor(services, c, number, issuedAt);
  try {
    await issueCertificate(services, content, String(c._id));
  } catch (err) {
    // An earlier attempt signed and kept this number for this case, then stopped before the case recorded
    // it; the case changed since (a late evidence item moves the head hash), so the content differs. The
    // certificate already issued is the one: record it rather than stay undelivered.
    const ours = err instanceof AppError && err.code === 'CERTIFICATE_NUMBER_TAKEN' && (await caseOfCertificate(number)) === String(c._id);
    if (!ours) throw err;
  }
  try {
    return await edit(
      String(c._id),
      'certificate_issued',
      { kind: 'system', id: null },
      (current) => {
        // Another process numbered it first: keep theirs (this number stays a gap, never a second certificate on the case).
        if (current.decision?.certificateNumber) throw new AlreadyNumbered();
        return { reason: `认定书 ${number}`, set: { decision: { ...current.decision, certificateNumber: number, certificateIssuedAt: issuedAt } } as CaseFieldChanges };
      },
      services,
    );
  } catch (err) {
    if (err instanceof AlreadyNumbered) return loadCase(String(c._id));
    throw err;
  }
}

class AlreadyNumbered extends Error {}

async function deliver(services: DeliveryServices, c: CaseSnapshot): Promise<CaseSnapshot> {
  const deliveredAt = services.clock();
  const deadline = reviewDeadline(deliveredAt, await currentWorkingDayCalendar());
  let delivered: CaseSnapshot;
  try {
    delivered = await transition(String(c._id), 'deliver', { kind: 'system', id: null }, {
      set: { deliveredAt, reviewDeadline: deadline, deliveries: c.parties.map((p) => ({ party: p.label, deliveredAt })) } as CaseFieldChanges,
      services,
    });
  } catch (err) {
    // Delivered meanwhile by another process (the sweeper and the decision racing): that delivery stands.
    const now = await loadCase(String(c._id));
    if (now.state !== 'determined') return now;
    throw err;
  }
  void noticeParties(services, delivered);
  return delivered;
}

/** Best effort: the 认定书 is already under 网办进度; a failed SMS is logged, never undoes delivery. */
async function noticeParties(services: DeliveryServices, c: CaseSnapshot): Promise<void> {
  const number = c.decision?.certificateNumber ?? '';
  await Promise.all(
    c.parties.map(async (party) => {
      try {
        const phone = party.info?.phone || (await verifiedPhoneOf(party.driverId));
        if (phone) await services.sms.send(phone, 'case_decided', { caseNo: caseNumber(c._id), number });
      } catch (err) {
        services.logger.warn({ err, caseId: String(c._id) }, 'decision notice SMS not sent');
      }
    }),
  );
}
