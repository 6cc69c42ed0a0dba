import type { PendingReview, ReviewView } from '../../../typings/api/reviews';
import type { CaseSnapshot } from '../cases';

type StoredReview = NonNullable<CaseSnapshot['review']>;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function reviewView(review: StoredReview): ReviewView {
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
  };
}

export function pendingReview(c: CaseSnapshot, now: Date): PendingReview {
  const review = c.review!;
  const due = review.status === 'received' ? review.acceptBy : review.concludeBy;
  return {
    caseId: String(c._id),
    caseNo: String(c._id).slice(-8).toUpperCase(),
    brigadeCode: c.brigadeCode ?? null,
    certificateNumber: c.decision?.certificateNumber ?? review.certificateNumber ?? null,
    status: review.status as PendingReview['status'],
    receivedAt: review.receivedAt.toISOString(),
    acceptBy: review.acceptBy.toISOString(),
    concludeBy: iso(review.concludeBy),
    overdue: !!due && now > due,
  };
}
