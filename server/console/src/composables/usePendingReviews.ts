import { ref, shallowRef, type Ref } from 'vue';
import type { PendingReview } from '../../../../typings/api/reviews';
import { api } from '../api';
import { QUEUE_REFRESH_MS } from './useQueue';
import { usePolling, type Polled } from './usePolling';

export interface PendingReviewsFeed extends Polled {
  /** The last good list (the server's order); kept on screen while a refresh fails. */
  items: Ref<PendingReview[] | null>;
  /** `Date.now()` when the list arrived. */
  receivedAt: Ref<number>;
}

/** 复核 to do: applications received or accepted and not concluded, with their deadlines; polled. */
export function usePendingReviews(intervalMs: number = QUEUE_REFRESH_MS): PendingReviewsFeed {
  const items = shallowRef<PendingReview[] | null>(null);
  const receivedAt = ref(Date.now());
  const polled = usePolling(
    () => api('GET /api/v1/reviews/pending'),
    (answer) => {
      items.value = answer.items;
      receivedAt.value = Date.now();
    },
    intervalMs,
  );
  return { ...polled, items, receivedAt };
}
