/**
 * What the chaos clients did, per operation kind: how many they started, how many the server
 * acknowledged with a 2xx (after however many retries), how many retries that took, and how many
 * ended without an answer or with a refusal. Each acknowledgement is kept with what identifies it in
 * the database, for verify.ts to find it there exactly once.
 */
export const KINDS = ['safety', 'report', 'join', 'answer', 'upload', 'redirect'] as const;
export type Kind = (typeof KINDS)[number];

export interface KindCounts {
  sent: number;
  acknowledged: number;
  /** Requests sent again (the same key / the same chunk) after no answer or a 5xx. */
  retried: number;
  /** No 2xx by the deadline. */
  unanswered: number;
  /** A 4xx the round did not expect: the scenario (or the server) is wrong. */
  refused: number;
  /** Wall time spent on this kind's operations, retries included (for the mean). */
  ms: number;
}

export interface ReportAck {
  driverId: string;
  key: string;
  caseId: string;
}
export interface JoinAck {
  caseId: string;
  driverId: string;
}
export interface CaseAck {
  caseId: string;
}
export interface UploadAck {
  caseId: string;
  uploadId: string;
  /** The SHA-256 of the bytes the client sent. */
  sha256: string;
  evidenceId: string;
  /** A request of this upload went unanswered, failed, or was cut on purpose: it was resumed from what the server said it held. */
  interrupted: boolean;
}

export class Ledger {
  readonly counts = Object.fromEntries(KINDS.map((k) => [k, { sent: 0, acknowledged: 0, retried: 0, unanswered: 0, refused: 0, ms: 0 }])) as Record<Kind, KindCounts>;
  readonly reports: ReportAck[] = [];
  readonly joins: JoinAck[] = [];
  readonly answers: CaseAck[] = [];
  readonly uploads: UploadAck[] = [];
  readonly redirects: CaseAck[] = [];
  /** Every case a client reported (acknowledged or not), for the stuck check. */
  readonly drivers = new Set<string>();
  /** Why the first rounds that went wrong did (a few, for the report). */
  readonly problems: string[] = [];
  /** Answers 500 or other 5xx seen (each is retried; a 500 is a bug even when the retry succeeds). */
  readonly fiveHundreds = new Map<string, number>();

  problem(text: string): void {
    if (this.problems.length < 20) this.problems.push(text);
  }

  /** The first few 500s, with what answered them (a 500 is a bug even when the retry succeeds). */
  readonly errors: string[] = [];

  sawStatus(kind: string, status: number, what = ''): void {
    if (status < 500) return;
    if (status === 500 && this.errors.length < 10) this.errors.push(`${kind}: ${what}`);
    const key = `${kind} ${status}`;
    this.fiveHundreds.set(key, (this.fiveHundreds.get(key) ?? 0) + 1);
  }

  total(field: keyof KindCounts): number {
    return KINDS.reduce((sum, k) => sum + this.counts[k][field], 0);
  }
}
