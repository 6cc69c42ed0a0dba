/** The hash-chained audit log. */

export interface AuditVerificationResponse {
  ok: boolean;
  /** Entries checked before the first that does not hold (all of them when ok). */
  checked: number;
  /** `altered`: its content no longer matches its hash; `missing`: a number is gone; `relinked`: it does not follow the entry before it. */
  problem: { seq: number; reason: 'altered' | 'missing' | 'relinked' } | null;
}
