/** 网办进度: each of a driver's matters with its state, its steps, and the decision as they read it. */
import type { CaseState } from './cases';
import type { DamagesChoice, LiabilityGrade } from './decisions';
import type { InsurerHandoffView } from './insurers';
import type { ReviewStatus } from './reviews';

export type MatterStepKind = 'reported' | 'answered' | 'released' | 'decided' | 'delivered' | 'review_requested' | 'reviewed' | 'closed' | 'redirected' | 'cancelled' | 'abandoned';

export interface MatterStep {
  kind: MatterStepKind;
  at: string;
}

export interface MatterSummary {
  caseId: string;
  caseNo: string;
  state: CaseState;
  reportedAt: string;
  address: string;
  /** This driver's party label and plate. */
  me: { label: string; plate: string };
  otherPlates: string[];
  steps: MatterStep[];
  /** Set once the certificate is delivered. */
  decision: MatterDecision | null;
}

export interface MatterDecision {
  certificateNumber: string;
  issuedAt: string;
  deliveredAt: string | null;
  verifyUrl: string;
  /** Every party's grade, mine first; `words` in plain Chinese (全部责任 …). */
  parties: { label: string; plate: string; liability: LiabilityGrade; words: string; basis: string; damages: DamagesChoice; mine: boolean }[];
  /** 复核: the window's end (24:00 Asia/Shanghai of its last day) and whether it is still open. */
  review: { deadline: string | null; open: boolean; requested: boolean; status: ReviewStatus | null; appliedByMe: boolean };
  /** This party's hand-off to their insurer, if they asked for one. */
  handoff: InsurerHandoffView | null;
}

export interface MattersResponse {
  items: MatterSummary[];
}
