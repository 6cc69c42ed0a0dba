import { onScopeDispose, ref, type Ref } from 'vue';
import { toApiError } from '../api';
import { expireSession } from '../session';

export interface Polled {
  /** Why the last refresh failed (Chinese, for the page), null once one succeeds. */
  error: Ref<string | null>;
  /** True until the first answer (or failure). */
  loading: Ref<boolean>;
  refresh: () => Promise<void>;
}

/**
 * Data fetched now and every `intervalMs`, one request at a time. For screens without a stream of
 * their own (the 复核 desk: the queue stream is the brigades' and a city-wide reviewer has none). A 401
 * returns the desk to the login form; a 404 calls `onGone` and stops. Stops with the caller's scope.
 */
export function usePolling<T>(fetch: () => Promise<T>, onData: (data: T) => void, intervalMs: number, onGone?: () => void): Polled {
  const error = ref<string | null>(null);
  const loading = ref(true);
  let stopped = false;
  let timer: number | undefined;
  let inFlight: Promise<void> | null = null;

  async function load(): Promise<void> {
    try {
      const answer = await fetch();
      if (stopped) return;
      onData(answer);
      error.value = null;
    } catch (err) {
      if (stopped) return;
      const apiError = toApiError(err);
      if (apiError.isUnauthenticated) {
        stop();
        expireSession();
        return;
      }
      if (apiError.status === 404 && onGone) {
        stop();
        onGone();
      }
      error.value = apiError.message;
    } finally {
      loading.value = false;
    }
  }

  function refresh(): Promise<void> {
    window.clearTimeout(timer);
    inFlight ??= load().finally(() => {
      inFlight = null;
      if (!stopped) timer = window.setTimeout(() => void refresh(), intervalMs);
    });
    return inFlight;
  }

  function stop(): void {
    stopped = true;
    window.clearTimeout(timer);
  }

  // A background tab catches up as soon as the desk looks at it again.
  const onVisible = () => {
    if (document.visibilityState === 'visible') void refresh();
  };
  document.addEventListener('visibilitychange', onVisible);
  onScopeDispose(() => {
    stop();
    document.removeEventListener('visibilitychange', onVisible);
  });

  void refresh();
  return { error, loading, refresh };
}
