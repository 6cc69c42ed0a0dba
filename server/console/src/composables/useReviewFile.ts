import { ref, shallowRef, type Ref } from 'vue';
import type { CaseFileView } from '../../../../typings/api/decisions';
import type { ReviewView } from '../../../../typings/api/reviews';
import { apiAt } from '../api';
import { QUEUE_REFRESH_MS } from './useQueue';
import { usePolling, type Polled } from './usePolling';

export interface ReviewFileFeed extends Polled {
  /** The case file (the same the officer decided from), newest by rev. */
  file: Ref<CaseFileView | null>;
  /** The 复核: applications, status, deadlines. */
  review: Ref<ReviewView | null>;
  /** The case, or its 复核, does not exist for this reviewer (404). */
  gone: Ref<boolean>;
  /** A write's answer, shown at once. */
  acceptReview: (review: ReviewView) => void;
}

/** One 复核 on the reviewer's desk: the case file and the review, fetched together and polled. */
export function useReviewFile(caseId: string, intervalMs: number = QUEUE_REFRESH_MS): ReviewFileFeed {
  const file = shallowRef<CaseFileView | null>(null);
  const review = shallowRef<ReviewView | null>(null);
  const gone = ref(false);
  /** Bumped by each write's answer: a poll that started before it must not put the older review back. */
  let writes = 0;
  const polled = usePolling(
    async () => {
      const startedAt = writes;
      const [nextFile, nextReview] = await Promise.all([apiAt('GET /api/v1/decisions/cases/:id', { id: caseId }), apiAt('GET /api/v1/reviews/cases/:id', { id: caseId })]);
      return { nextFile, nextReview, stale: startedAt !== writes };
    },
    ({ nextFile, nextReview, stale }) => {
      if (!file.value || nextFile.case.rev >= file.value.case.rev) file.value = nextFile;
      if (!stale) review.value = nextReview;
    },
    intervalMs,
    () => (gone.value = true),
  );
  function acceptReview(next: ReviewView): void {
    writes++;
    review.value = next;
    polled.error.value = null;
    // The case moved with it (state, timeline): fetch the file now rather than at the next poll.
    void polled.refresh();
  }
  return { ...polled, file, review, gone, acceptReview };
}
