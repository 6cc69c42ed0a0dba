import type { InsurerHandoffView } from '../../../typings/api/insurers';
import type { MatterDecision, MatterStep, MatterStepKind, MatterSummary } from '../../../typings/api/matters';
import { caseNumber, isUnderReview, placeLabel, type CaseSnapshot } from '../cases';
import { LIABILITY_WORDS } from '../certificates';

/** Which applied events a driver sees as a step of their matter. */
const STEP_OF_EVENT: Record<string, MatterStepKind> = {
  answer: 'answered',
  release: 'released',
  determine: 'decided',
  deliver: 'delivered',
  request_review: 'review_requested',
  review: 'reviewed',
  close: 'closed',
  refuse: 'redirected',
  redirect: 'redirected',
  cancel: 'cancelled',
  time_out: 'abandoned',
};

export function matterSteps(c: CaseSnapshot, history: { event: string; at: Date }[]): MatterStep[] {
  const steps: MatterStep[] = [{ kind: 'reported', at: c.reportedAt.toISOString() }];
  for (const e of history) {
    const kind = STEP_OF_EVENT[e.event];
    if (kind) steps.push({ kind, at: e.at.toISOString() });
  }
  return steps;
}

export function matterDecision(c: CaseSnapshot, driverId: string, now: Date, verifyUrl: (n: string) => string, handoff: InsurerHandoffView | null = null): MatterDecision | null {
  const d = c.decision;
  if (!d?.certificateNumber || !d.certificateIssuedAt) return null;
  const myLabel = c.parties.find((p) => String(p.driverId) === driverId)?.label;
  const parties = d.parties
    .map((p) => ({
      label: p.label,
      plate: c.parties.find((x) => x.label === p.label)?.plate ?? '',
      liability: p.liability as MatterDecision['parties'][number]['liability'],
      words: LIABILITY_WORDS[p.liability as keyof typeof LIABILITY_WORDS] ?? p.liability,
      basis: p.basis,
      damages: (p.damages ?? 'self_settle') as MatterDecision['parties'][number]['damages'],
      mine: p.label === myLabel,
    }))
    .sort((a, b) => Number(b.mine) - Number(a.mine) || a.label.localeCompare(b.label));
  const deadline = c.reviewDeadline ?? null;
  const appliedByMe = !!c.review?.applications.some((a) => String(a.driverId) === driverId);
  // Whether this driver can still apply: inside the window, and either nobody has (the case is
  // delivered) or another party's application is received and this one may join it. Once per
  // accident: a case decided again after a review has no second window.
  const inWindow = !!deadline && now < deadline;
  const canJoin = c.state === 'review_requested' && c.review?.status === 'received' && !appliedByMe;
  return {
    certificateNumber: d.certificateNumber,
    issuedAt: d.certificateIssuedAt.toISOString(),
    deliveredAt: c.deliveredAt ? c.deliveredAt.toISOString() : null,
    verifyUrl: verifyUrl(d.certificateNumber),
    parties,
    review: {
      deadline: deadline ? deadline.toISOString() : null,
      open: inWindow && ((c.state === 'delivered' && !c.review) || canJoin),
      requested: isUnderReview(c.state) || !!c.review,
      status: (c.review?.status as MatterDecision['review']['status']) ?? null,
      appliedByMe,
    },
    handoff,
  };
}

export function matterSummary(
  c: CaseSnapshot,
  driverId: string,
  history: { event: string; at: Date }[],
  now: Date,
  verifyUrl: (n: string) => string,
  handoff: InsurerHandoffView | null = null,
): MatterSummary {
  const me = c.parties.find((p) => String(p.driverId) === driverId);
  return {
    caseId: String(c._id),
    caseNo: caseNumber(c._id),
    state: c.state,
    reportedAt: c.reportedAt.toISOString(),
    address: placeLabel(c),
    me: { label: me?.label ?? '', plate: me?.plate ?? '' },
    otherPlates: c.parties.filter((p) => p !== me).map((p) => p.plate),
    steps: matterSteps(c, history),
    decision: matterDecision(c, driverId, now, verifyUrl, handoff),
  };
}
