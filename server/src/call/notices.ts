import type { SmsTemplate } from '../clients/sms/sms-client';
import { caseNumber, type CaseSnapshot } from '../cases';
import { verifiedPhoneOf } from '../identity';
import type { CallServices } from './call-services';

/**
 * SMS to every party when the call is answered and when they may leave: the phone they gave during the
 * call, else the one from 实人认证. Best effort — a failed notice is logged, never blocks the case.
 */
export async function notifyParties(services: CallServices, c: CaseSnapshot, template: Extract<SmsTemplate, 'case_answered' | 'case_released'>): Promise<void> {
  // One equality read per party: FerretDB pushes an equality down to an index, not a `$in`.
  const verifiedPhones = await Promise.all(c.parties.map((p) => verifiedPhoneOf(p.driverId)));
  await Promise.all(
    c.parties.map(async (party) => {
      const phone = party.info?.phone || verifiedPhones[c.parties.indexOf(party)];
      if (!phone) return;
      try {
        await services.sms.send(phone, template, { caseNo: caseNumber(c._id), plate: party.plate });
      } catch (err) {
        services.logger.warn({ err, caseId: String(c._id), template }, 'case notice SMS not sent');
      }
    }),
  );
}
