/** The officer's liability decision (§60 of 《道路交通事故处理程序规定》) and its decision support. */
import type { StaffCaseView } from './call';

/** §60 grades: 全部 / 主要 / 同等 / 次要 / 无责任. */
export type LiabilityGrade = 'full' | 'main' | 'equal' | 'minor' | 'none';

/** How a party will settle the damages; printed on the certificate. */
export type DamagesChoice = 'self_settle' | 'insurance' | 'mediation';

/** One standard scenario of the library: the party it fits usually bears full liability. */
export interface AccidentScenario {
  code: string;
  title: string;
  description: string;
  /** The legal basis printed beside the grade, e.g. 《中华人民共和国道路交通安全法》第四十三条. */
  basis: string;
}

export interface ScenarioLibraryView {
  rev: number;
  changedBy: string;
  changedAt: string;
  scenarios: AccidentScenario[];
}

/** ops: a new revision of the library; refused (409) when `baseRev` is not the current one. */
export interface SaveScenarioLibraryRequest {
  baseRev: number;
  scenarios: AccidentScenario[];
}

export interface ScenarioTagsRequest {
  party: string;
  scenarioCodes: string[];
}

export interface PartyLiability {
  label: string;
  liability: LiabilityGrade;
  basis: string;
}

/**
 * The server's proposal from the tags: one party fits → that party full, the others none; all fit →
 * equal; none (or some but not all of three) → no proposal, the officer decides.
 */
export interface LiabilityProposal {
  rule: 'one_fits' | 'all_fit' | 'undecided';
  parties: PartyLiability[] | null;
  explanation: string;
}

export interface PartyTags {
  party: string;
  scenarioCodes: string[];
}

export interface TagsResponse {
  tags: PartyTags[];
  proposal: LiabilityProposal;
}

export interface DecisionPartyInput {
  label: string;
  liability: LiabilityGrade;
  basis: string;
  damages: DamagesChoice;
}

/** The simple procedure's record (§24) beside the decision itself. */
export interface DecideRequest {
  parties: DecisionPartyInput[];
  /** Required whenever the decision differs from the proposal (or there is none). */
  reason: string | null;
  weather: string;
  /** 追尾, 刮擦, … */
  accidentType: string;
  facts: string;
}

export interface DecisionRecord {
  proposal: LiabilityProposal;
  parties: DecisionPartyInput[];
  reason: string | null;
  differsFromProposal: boolean;
  weather: string;
  accidentType: string;
  facts: string;
  officer: { id: string; name: string };
  decidedAt: string;
  certificate: { number: string; issuedAt: string; verifyUrl: string } | null;
}

export interface PendingDecision {
  caseId: string;
  caseNo: string;
  brigadeCode: string | null;
  address: string;
  releasedAt: string | null;
  parties: { label: string; plate: string }[];
  tagged: boolean;
}

export interface PendingDecisionsResponse {
  items: PendingDecision[];
}

/** One applied event of the case, as the officer's file shows it. */
export interface TimelineEntry {
  at: string;
  event: string;
  from: string;
  to: string;
  actor: string;
  reason: string | null;
}

/** The case file on one screen: the call's view, the tags and proposal, the decision, the timeline. */
export interface CaseFileView {
  /** The number the SMS and the parties' phones show (the case id's last 8 characters). */
  caseNo: string;
  case: StaffCaseView;
  tags: PartyTags[];
  proposal: LiabilityProposal;
  scenarioLibraryRev: number;
  decision: DecisionRecord | null;
  timeline: TimelineEntry[];
}
