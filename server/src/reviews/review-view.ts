import type { PendingReview, ReviewView } from '../../../typings/api/reviews';
import { caseNumber, placeLabel, type CaseSnapshot } from '../cases';

type StoredReview = NonNullable<CaseSnapshot['review']>;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The deadline the review is working to now: acceptance, then the conclusion; none once concluded. */
function currentDue(review: StoredReview): Date | null {
  if (review.status === 'received') return review.acceptBy;
  if (review.status === 'accepted') return review.concludeBy ?? null;
  return null;
}

export function reviewView(review: StoredReview, now: Date): ReviewView {
  const due = currentDue(review);
  return {
    status: review.status as ReviewView['status'],
    applications: review.applications.map((a) => ({ party: a.party ?? '', request: a.request ?? '', reasons: a.reasons ?? '', evidenceIds: [...a.evidenceIds], appliedAt: iso(a.appliedAt) ?? '' })),
    receivedAt: review.receivedAt.toISOString(),
    acceptBy: review.acceptBy.toISOString(),
    acceptedAt: iso(review.acceptedAt),
    notAcceptedReason: review.notAcceptedReason ?? null,
    concludeBy: iso(review.concludeBy),
    concludedAt: iso(review.concludedAt),
    conclusionReason: review.conclusionReason ?? null,
    reviewer: review.reviewer?.id ? { id: review.reviewer.id, name: review.reviewer.name ?? '' } : null,
    overdue: !!due && now > due,
  };
}

export function pendingReview(c: CaseSnapshot, now: Date): PendingReview {
  const review = c.review!;
  const due = currentDue(review);
  return {
    caseId: String(c._id),
    caseNo: caseNumber(c._id),
    brigadeCode: c.brigadeCode ?? null,
    certificateNumber: c.decision?.certificateNumber ?? review.certificateNumber ?? null,
    address: placeLabel(c),
    parties: c.parties.map((p) => ({ label: p.label, plate: p.plate })),
    status: review.status as PendingReview['status'],
    receivedAt: review.receivedAt.toISOString(),
    acceptBy: review.acceptBy.toISOString(),
    concludeBy: iso(review.concludeBy),
    overdue: !!due && now > due,
  };
}
