import type { SmsTemplate } from '../clients/sms/sms-client';
import type { CaseSnapshot } from '../cases/case-revisions';
import { DriverIdentity } from '../identity/identity.model';
import type { AppServices } from '../platform/services';

/**
 * SMS to every party when the call is answered and when they may leave: the phone they gave during the
 * call, else the one from 实人认证. Best effort — a failed notice is logged, never blocks the case.
 */
export async function notifyParties(services: AppServices, c: CaseSnapshot, template: Extract<SmsTemplate, 'case_answered' | 'case_released'>): Promise<void> {
  // One equality read per party: FerretDB pushes an equality down to an index, not a `$in`.
  const identities = await Promise.all(c.parties.map((p) => DriverIdentity.findOne({ driverId: p.driverId }, { driverId: 1, phone: 1 }).lean()));
  await Promise.all(
    c.parties.map(async (party) => {
      const phone = party.info?.phone || identities.find((i) => i && String(i.driverId) === String(party.driverId))?.phone;
      if (!phone) return;
      try {
        await services.sms.send(phone, template, { caseNo: String(c._id).slice(-8).toUpperCase(), plate: party.plate });
      } catch (err) {
        services.logger.warn({ err, caseId: String(c._id), template }, 'case notice SMS not sent');
      }
    }),
  );
}
