import { onScopeDispose, ref, shallowRef, type Ref } from 'vue';
import type { QueueResponse } from '../../../../typings/api/cases';
import { api, toApiError } from '../api';
import { expireSession } from '../session';

/** The live stream; GET, so the cookie alone authenticates it (EventSource cannot send headers). */
export const QUEUE_STREAM_PATH = '/api/v1/queue/stream';
/** While the stream is down, poll this often so the desk never goes blind. */
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
  /** 'live': server-sent events; 'polling': the stream is down and we ask every few seconds. */
  mode: Ref<'live' | 'polling'>;
  refresh: () => Promise<void>;
}

/**
 * The live queue, as one feed the view renders: server-sent events push the whole queue on every
 * change. When the stream drops, the browser reconnects by itself; meanwhile we poll, and a 401 from a
 * poll (the session ended) returns the desk to the login form.
 * Stops by itself when the calling component's scope is disposed (e.g. on logout).
 */
export function useQueue(intervalMs: number = QUEUE_REFRESH_MS): QueueFeed {
  const queue = shallowRef<QueueResponse | null>(null);
  const receivedAt = ref(Date.now());
  const error = ref<string | null>(null);
  const loading = ref(true);
  const mode = ref<'live' | 'polling'>('polling');
  let stopped = false;
  let timer: number | undefined;
  let inFlight: Promise<void> | null = null;
  let source: EventSource | null = null;

  function accept(answer: QueueResponse): void {
    queue.value = answer;
    receivedAt.value = Date.now();
    error.value = null;
    loading.value = false;
  }

  async function load(): Promise<void> {
    try {
      const answer = await api('GET /api/v1/queue');
      if (stopped) return;
      accept(answer);
      // A stream refused outright (e.g. 401 before a fresh login, or a 502 from a proxy) is not
      // retried by the browser: once a poll works again, open a new one.
      if (source?.readyState === EventSource.CLOSED) connect();
    } catch (err) {
      if (stopped) return;
      const apiError = toApiError(err);
      if (apiError.isUnauthenticated) {
        stop();
        expireSession();
        return;
      }
      error.value = apiError.message;
    } finally {
      loading.value = false;
    }
  }

  /** One request at a time; while the stream is down the next poll follows this one, never stacked. */
  function refresh(): Promise<void> {
    inFlight ??= load().finally(() => {
      inFlight = null;
      schedule();
    });
    return inFlight;
  }

  function schedule(): void {
    window.clearTimeout(timer);
    if (!stopped && mode.value === 'polling') timer = window.setTimeout(() => void refresh(), intervalMs);
  }

  function connect(): void {
    source = new EventSource(QUEUE_STREAM_PATH);
    source.addEventListener('open', () => {
      mode.value = 'live';
      window.clearTimeout(timer);
    });
    source.addEventListener('queue', (event) => {
      if (!stopped) accept(JSON.parse((event as MessageEvent<string>).data) as QueueResponse);
    });
    source.addEventListener('error', () => {
      if (stopped) return;
      // EventSource retries by itself (the server asks for 3 s); a poll meanwhile also tells a
      // dropped connection from an ended session.
      mode.value = 'polling';
      void refresh();
    });
  }

  function stop(): void {
    stopped = true;
    source?.close();
    window.clearTimeout(timer);
  }

  // A background tab may have missed a reconnect: catch up as soon as the desk looks at it again.
  function onVisible(): void {
    if (document.visibilityState === 'visible' && mode.value === 'polling') void refresh();
  }
  document.addEventListener('visibilitychange', onVisible);

  onScopeDispose(() => {
    stop();
    document.removeEventListener('visibilitychange', onVisible);
  });

  connect();
  return { queue, receivedAt, error, loading, mode, refresh };
}
