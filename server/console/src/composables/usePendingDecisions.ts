import { ref, shallowRef, type Ref } from 'vue';
import type { QueueResponse } from '../../../../typings/api/cases';
import type { PendingDecision } from '../../../../typings/api/decisions';
import { api } from '../api';
import { rememberBrigadeName } from '../brigade';
import { QUEUE_REFRESH_MS, QUEUE_STREAM_PATH } from './useQueue';
import { useLiveFeed, type LiveFeed } from './useLiveFeed';

export interface PendingFeed extends LiveFeed {
  /** The last good list, oldest release first; kept on screen while a refresh fails. */
  items: Ref<PendingDecision[] | null>;
  /** `Date.now()` when the list arrived. */
  receivedAt: Ref<number>;
  /** The brigade's name, as the queue stream reports it (the list itself does not carry it). */
  brigadeName: Ref<string | null>;
}

/**
 * 待认定, live: the queue's stream announces every change to a case of the brigade (its data is the
 * queue, which does not list released cases), so each announcement fetches the list again; while
 * the stream is down the list is polled like the queue.
 */
export function usePendingDecisions(intervalMs: number = QUEUE_REFRESH_MS): PendingFeed {
  const items = shallowRef<PendingDecision[] | null>(null);
  const receivedAt = ref(Date.now());
  const brigadeName = ref<string | null>(null);
  const feed = useLiveFeed({
    streamPath: QUEUE_STREAM_PATH,
    event: 'queue',
    fetch: () => api('GET /api/v1/decisions/pending'),
    intervalMs,
    onData: (answer) => {
      items.value = answer.items;
      receivedAt.value = Date.now();
    },
    onSignal: (data) => {
      const name = (data as Partial<QueueResponse>).brigade?.name;
      if (name) {
        brigadeName.value = name;
        rememberBrigadeName(name);
      }
    },
    fetchFirst: true,
  });
  return { ...feed, items, receivedAt, brigadeName };
}
