/**
 * The number people read a case by: the last 8 characters of its id in capitals. The SMS to the
 * parties, the desk, the 认定书 list and the reviewers all carry this same number, so a driver reading
 * it over the phone is understood at every desk.
 */
export function caseNumber(id: { toString(): string }): string {
  return String(id).slice(-8).toUpperCase();
}
