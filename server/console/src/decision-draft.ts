import type { StaffCaseView } from '../../../typings/api/call';
import type { LiabilityGrade, LiabilityProposal } from '../../../typings/api/decisions';
import { formatDateTime } from './format';

/**
 * Whether the officer's grades differ from the proposal — or there is no proposal to follow. Then the
 * server requires a written reason (REASON_REQUIRED); the form marks the field required on the same rule.
 */
export function differsFromProposal(proposal: LiabilityProposal, grades: Record<string, LiabilityGrade | null>): boolean {
  if (!proposal.parties) return true;
  return proposal.parties.some((p) => grades[p.label] !== p.liability);
}

/**
 * The facts in words, to start the decision's text from: the call's summary when the dispatcher wrote
 * one, otherwise the time, the place and each party's direction and point of impact as recorded.
 */
export function factsDraft(c: StaffCaseView, whoLabel: (who: string) => string): string {
  if (c.facts.summary?.trim()) return c.facts.summary.trim();
  const when = c.facts.occurredAt ?? c.reportedAt;
  const where = c.facts.place || c.place.address;
  const parties = c.parties
    .map((p) => {
      const direction = c.facts.directions[p.label];
      const impact = c.facts.impactPoints[p.label];
      if (!direction && !impact) return '';
      return `${whoLabel(p.label)}（${p.plate}）${direction ?? ''}${impact ? `，碰撞部位为${impact}` : ''}`;
    })
    .filter(Boolean);
  return [`${formatDateTime(when)}，${where || '事故地点'}`, ...parties].join('；') + (parties.length ? '。' : '，发生交通事故。');
}
