/** The hash-chained audit log. */

/** GET /api/v1/admin/audit/cases/:id/verify: one case's chain of state changes. */
export interface CaseEventVerificationResponse {
  ok: boolean;
  /** Events whose hash and link were checked. */
  checked: number;
  /** Events written before the chain existed (no hash). */
  unchained: number;
  problem: { rev: number; reason: 'altered' | 'missing' | 'relinked' } | null;
}

export interface AuditVerificationResponse {
  ok: boolean;
  /** Entries checked before the first that does not hold (all of them when ok). */
  checked: number;
  /** `altered`: its content no longer matches its hash; `missing`: a number is gone; `relinked`: it does not follow the entry before it. */
  problem: { seq: number; reason: 'altered' | 'missing' | 'relinked' } | null;
}

/**
 * `GET /api/v1/admin/audit` and `GET /api/v1/admin/audit/export.csv` (ops), query string, all optional.
 * Bad filters: 400 AUDIT_FILTER_INVALID with `issues`.
 */
export interface AuditSearchQuery {
  /** A staff member's username or account id. */
  actor?: string;
  /** A case id (24 hex) or its case number (the 8 characters the SMS carries). */
  caseId?: string;
  /** An exact action (`service.suspend`) or a prefix ending in a dot (`service.`, `case.`). */
  action?: string;
  /** An Asia/Shanghai day `YYYY-MM-DD` (from its start) or an ISO instant with offset; inclusive. */
  from?: string;
  /** An Asia/Shanghai day (to its end) or an ISO instant; inclusive. */
  to?: string;
  /** Keyset paging: entries numbered below this (the previous page's `nextBefore`). */
  before?: string;
  /** Entries of the chain per page (1–200, default 50); for the export, rows (at most 50 000, the default). */
  limit?: string;
}

/** The role an entry's actor acted in; null when an older entry did not say and the account is gone. */
export type AuditActorRole = 'dispatcher' | 'officer' | 'reviewer' | 'ops' | 'driver' | 'system';

/** One field an entry changed, in words. */
export interface AuditChange {
  field: string;
  label: string;
  before: string | null;
  after: string | null;
}

/** One entry as ops read it: who, in which role, did what to what, when, in which request. */
export interface AuditEntryView {
  /** The chain's number; null for an event of a case's own log (merged into a case search). */
  seq: number | null;
  source: 'chain' | 'case_event';
  at: string;
  actor: {
    /** Staff account id, driver id, or null (the system). */
    id: string | null;
    username: string | null;
    /** Display name of the account, 当事人 for a driver, 系统 for the system. */
    name: string;
    role: AuditActorRole | null;
    roleLabel: string;
  };
  action: string;
  actionLabel: string;
  target: { kind: string; id: string; label: string };
  caseId: string | null;
  caseNo: string | null;
  /** Before/after where the entry records them (a case's state change; `details.before` / `details.after`). */
  changes: AuditChange[];
  /** Whatever else the entry holds, ID numbers masked. */
  details: Record<string, unknown>;
  requestId: string | null;
}

export interface AuditSearchResponse {
  /**
   * Newest first: up to `limit` entries of the chain and, for a case search, the case's own events that
   * fall between them (so a page of a case search may hold more).
   */
  items: AuditEntryView[];
  /** `before` of the next page; null on the last. */
  nextBefore: number | null;
}
