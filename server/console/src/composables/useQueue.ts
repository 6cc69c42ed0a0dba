import { onScopeDispose, ref, shallowRef, type Ref } from 'vue';
import type { QueueResponse } from '../../../../typings/api/cases';
import { api, toApiError } from '../api';
import { expireSession } from '../session';

/** Polling for now; a later issue replaces it with server-sent events (see useQueue below). */
export const QUEUE_REFRESH_MS = 5000;

export interface QueueFeed {
  /** The last good answer; kept on screen while a refresh fails. */
  queue: Ref<QueueResponse | null>;
  /** `Date.now()` when `queue` arrived: waiting times count up from here, not from the server clock. */
  receivedAt: Ref<number>;
  /** Why the last refresh failed (Chinese, for the page), null once one succeeds. */
  error: Ref<string | null>;
  /** True until the first answer (or failure). */
  loading: Ref<boolean>;
  refresh: () => Promise<void>;
}

/**
 * The live queue, as one feed the view renders. All of how the data arrives lives here, so swapping
 * the 5 s poll for an EventSource changes this file only: the view keeps reading the same refs.
 * Stops by itself when the calling component's scope is disposed (e.g. on logout).
 */
export function useQueue(intervalMs: number = QUEUE_REFRESH_MS): QueueFeed {
  const queue = shallowRef<QueueResponse | null>(null);
  const receivedAt = ref(Date.now());
  const error = ref<string | null>(null);
  const loading = ref(true);
  let stopped = false;
  let timer: number | undefined;
  let inFlight: Promise<void> | null = null;

  async function load(): Promise<void> {
    try {
      const answer = await api('GET /api/v1/queue');
      if (stopped) return;
      queue.value = answer;
      receivedAt.value = Date.now();
      error.value = null;
    } catch (err) {
      if (stopped) return;
      const apiError = toApiError(err);
      if (apiError.isUnauthenticated) {
        expireSession();
        return;
      }
      error.value = apiError.message;
    } finally {
      loading.value = false;
    }
  }

  /** One request at a time; the next poll is scheduled after this one settles, never stacked. */
  function refresh(): Promise<void> {
    inFlight ??= load().finally(() => {
      inFlight = null;
      schedule();
    });
    return inFlight;
  }

  function schedule(): void {
    window.clearTimeout(timer);
    if (!stopped) timer = window.setTimeout(() => void refresh(), intervalMs);
  }

  // A background tab's timers get throttled: catch up as soon as the desk looks at it again.
  function onVisible(): void {
    if (document.visibilityState === 'visible') void refresh();
  }
  document.addEventListener('visibilitychange', onVisible);

  onScopeDispose(() => {
    stopped = true;
    window.clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  });

  void refresh();
  return { queue, receivedAt, error, loading, refresh };
}
