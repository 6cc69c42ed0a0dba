import { ref, shallowRef, type Ref } from 'vue';
import type { QueueResponse } from '../../../../typings/api/cases';
import { api } from '../api';
import { useLiveFeed, type LiveFeed } from './useLiveFeed';

/** The live stream; GET, so the cookie alone authenticates it (EventSource cannot send headers). */
export const QUEUE_STREAM_PATH = '/api/v1/queue/stream';
/** While the stream is down, poll this often so the desk never goes blind. */
export const QUEUE_REFRESH_MS = 5000;

export interface QueueFeed extends LiveFeed {
  /** The last good answer; kept on screen while a refresh fails. */
  queue: Ref<QueueResponse | null>;
  /** `Date.now()` when `queue` arrived: waiting times count up from here, not from the server clock. */
  receivedAt: Ref<number>;
}

/** The brigade's live queue (useLiveFeed: pushed over server-sent events, polled while the stream is down). */
export function useQueue(intervalMs: number = QUEUE_REFRESH_MS): QueueFeed {
  const queue = shallowRef<QueueResponse | null>(null);
  const receivedAt = ref(Date.now());
  const feed = useLiveFeed<QueueResponse>({
    streamPath: QUEUE_STREAM_PATH,
    event: 'queue',
    fetch: () => api('GET /api/v1/queue'),
    intervalMs,
    onData: (answer) => {
      queue.value = answer;
      receivedAt.value = Date.now();
    },
  });
  return { ...feed, queue, receivedAt };
}
