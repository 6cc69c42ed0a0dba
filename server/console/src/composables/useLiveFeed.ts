import { onScopeDispose, ref, type Ref } from 'vue';
import { toApiError } from '../api';
import { expireSession } from '../session';

export interface LiveFeedOptions<T> {
  /** The server-sent-events endpoint (a GET: the cookie alone authenticates it; EventSource cannot send headers). */
  streamPath: string;
  /** The SSE event name whose data is a whole T (or, with `onSignal`, only news that something changed). */
  event: string;
  /**
   * The stream announces changes without carrying T (e.g. the queue stream for a list built from
   * another endpoint): each event's data goes here, and T is fetched again.
   */
  onSignal?: (data: unknown) => void;
  /** The same data by a plain GET, while the stream is down. */
  fetch: () => Promise<T>;
  /** How often to poll while the stream is down. */
  intervalMs: number;
  /** Each T that arrives, pushed or polled. */
  onData: (data: T) => void;
  /** A 404 from the poll: the thing is gone for this user; the feed stops. */
  onGone?: () => void;
  /** Also GET once at once, so the page has something before the stream opens. */
  fetchFirst?: boolean;
}

export interface LiveFeed {
  /** Why the last refresh failed (Chinese, for the page), null once one succeeds. */
  error: Ref<string | null>;
  /** True until the first answer (or failure). */
  loading: Ref<boolean>;
  /** 'live': server-sent events; 'polling': the stream is down and we ask every few seconds. */
  mode: Ref<'live' | 'polling'>;
  refresh: () => Promise<void>;
}

/**
 * Data kept live: server-sent events push the whole state on every change. When the stream drops, the
 * browser reconnects by itself; meanwhile we poll, and a 401 from a poll (the session ended) returns
 * the desk to the login form. One request at a time; stops when the caller's scope is disposed.
 */
export function useLiveFeed<T>(options: LiveFeedOptions<T>): LiveFeed {
  const error = ref<string | null>(null);
  const loading = ref(true);
  const mode = ref<'live' | 'polling'>('polling');
  let stopped = false;
  let timer: number | undefined;
  let inFlight: Promise<void> | null = null;
  let source: EventSource | null = null;
  /** A change was announced while a fetch was already under way (it may predate the change): fetch again after it. */
  let again = false;

  function accept(data: T): void {
    if (stopped) return;
    options.onData(data);
    error.value = null;
    loading.value = false;
  }

  async function load(): Promise<void> {
    try {
      const answer = await options.fetch();
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
      if (apiError.status === 404 && options.onGone) {
        stop();
        options.onGone();
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
      if (again) {
        again = false;
        void refresh();
      } else schedule();
    });
    return inFlight;
  }

  function changed(): void {
    if (inFlight) again = true;
    else void refresh();
  }

  function schedule(): void {
    window.clearTimeout(timer);
    if (!stopped && mode.value === 'polling') timer = window.setTimeout(() => void refresh(), options.intervalMs);
  }

  function connect(): void {
    source?.close();
    source = new EventSource(options.streamPath);
    source.addEventListener('open', () => {
      mode.value = 'live';
      window.clearTimeout(timer);
    });
    source.addEventListener(options.event, (event) => {
      try {
        const data: unknown = JSON.parse((event as MessageEvent<string>).data);
        if (options.onSignal) {
          options.onSignal(data);
          changed();
        } else accept(data as T);
      } catch {
        // A malformed event is skipped; the next one (or a poll) brings the state.
      }
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

  if (options.fetchFirst) void refresh();
  connect();
  return { error, loading, mode, refresh };
}
