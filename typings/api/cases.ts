/**
 * The case lifecycle (see docs/ARCHITECTURE.md and server/src/cases/lifecycle.ts, which holds the
 * transition table every other piece reads).
 */
export type CaseState =
  | 'draft'
  | 'queued'
  | 'in_call'
  | 'collecting'
  | 'released'
  | 'determined'
  | 'delivered'
  | 'review_requested'
  | 'reviewed'
  | 'closed'
  | 'redirected'
  | 'cancelled'
  | 'abandoned';

export interface QueueItem {
  caseId: string;
  state: CaseState;
  createdAt: string;
  waitingSeconds: number;
  districtName: string;
  address: string;
  vehicleCount: number;
}

export interface QueueResponse {
  brigade: BrigadeSummary | null;
  items: QueueItem[];
  serverTime: string;
}

export interface BrigadeSummary {
  code: string;
  name: string;
}
