import { DateTime } from 'luxon';
import { isDuplicateKey } from '../platform/database';
import { CertificateCounter, CertificateNumberClaim } from './certificate-number.model';

const MAX_CLAIMS = 50;

/**
 * The certificate number of one decision (`decisionKey`), e.g. `JM-PJ-2026-000123`: a brigade's
 * sequence per year that never repeats. The counter proposes the next value; inserting the claim
 * (unique number, unique decision) decides. Asking again for the same decision gives the same number,
 * with the same issue time, so a retried issue signs the same content and leaves no gap; a claim lost
 * to another decision simply takes the next value.
 */
export async function certificateNumberFor(decisionKey: string, brigadeCode: string, at: Date): Promise<{ number: string; issuedAt: Date }> {
  const mine = await CertificateNumberClaim.findOne({ decisionKey }, { _id: 1, claimedAt: 1 }).lean();
  if (mine) return { number: mine._id, issuedAt: mine.claimedAt };
  const prefix = `${brigadeCode}-${DateTime.fromJSDate(at, { zone: 'Asia/Shanghai' }).year}`;
  for (let attempt = 0; attempt < MAX_CLAIMS; attempt++) {
    const seq = await nextSeq(prefix);
    const number = `${prefix}-${String(seq).padStart(6, '0')}`;
    try {
      await CertificateNumberClaim.create({ _id: number, decisionKey, claimedAt: at });
      return { number, issuedAt: at };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Our decision claimed one meanwhile (a concurrent retry): that one is ours.
      const claimed = await CertificateNumberClaim.findOne({ decisionKey }, { _id: 1, claimedAt: 1 }).lean();
      if (claimed) return { number: claimed._id, issuedAt: claimed.claimedAt };
    }
  }
  throw new Error(`no certificate number claimed for ${prefix} after ${MAX_CLAIMS} tries`);
}

async function nextSeq(prefix: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const counter = await CertificateCounter.findOneAndUpdate({ _id: prefix }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
      return counter!.seq;
    } catch (err) {
      // The first numbers of a year at once: both upserts insert, one loses on _id and tries again.
      if (isDuplicateKey(err) && attempt < 3) continue;
      throw err;
    }
  }
}
