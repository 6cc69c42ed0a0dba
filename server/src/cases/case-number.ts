import { Case } from './case.model';

/**
 * The number people read a case by: the last 8 characters of its id in capitals. The SMS to the
 * parties, the desk, the 认定书 list and the reviewers all carry this same number, so a driver reading
 * it over the phone is understood at every desk.
 */
export function caseNumber(id: { toString(): string }): string {
  return String(id).slice(-8).toUpperCase();
}

/**
 * The cases a number names (8 characters of 24: two may share one). No stored field holds the number,
 * so this reads every case id — a full pass over the cases, fine for an ops search now and then, not for
 * anything hot (storing the number on the case, indexed, is the fix if it ever is).
 */
export async function casesNumbered(number: string): Promise<string[]> {
  const tail = number.toLowerCase();
  const ids: string[] = [];
  for await (const c of Case.find({}, { _id: 1 }).lean().cursor()) {
    if (String(c._id).endsWith(tail)) ids.push(String(c._id));
  }
  return ids;
}
