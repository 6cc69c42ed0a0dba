import { onScopeDispose, ref, shallowRef, type Ref } from 'vue';
import type { StaffCaseView } from '../../../../typings/api/call';
import { apiAt, toApiError } from '../api';
import { expireSession } from '../session';

/** While the stream is down, poll this often: the clock and the evidence must not freeze. */
export const CASE_REFRESH_MS = 3000;

export const caseStreamPath = (caseId: string) => `/api/v1/desk/cases/${encodeURIComponent(caseId)}/stream`;

export interface CaseFeed {
  /** The newest view (highest rev) seen so far; kept on screen while a refresh fails. */
  view: Ref<StaffCaseView | null>;
  /** Server clock minus this machine's clock, in ms, from the last view's `serverTime`. */
  serverOffsetMs: Ref<number>;
  /** Why the last refresh failed (Chinese), null once one succeeds. */
  error: Ref<string | null>;
  /** The case does not exist for this dispatcher (404): nothing more will come. */
  gone: Ref<boolean>;
  loading: Ref<boolean>;
  mode: Ref<'live' | 'polling'>;
  refresh: () => Promise<void>;
  /** A view a write answered with (PUT parties, release…): shown at once, unless a newer one is already here. */
  accept: (view: StaffCaseView) => void;
}

/**
 * One case, live: the server pushes the whole StaffCaseView (`case` events) on connect and after
 * every change; while the stream is down we poll GET /desk/cases/:id. Views carry `rev`, so an
 * older answer arriving late (a slow poll after a push) never overwrites a newer one.
 * Same pattern as useQueue; stops when the calling component's scope is disposed.
 */
export function useCase(caseId: string, intervalMs: number = CASE_REFRESH_MS): CaseFeed {
  const view = shallowRef<StaffCaseView | null>(null);
  const serverOffsetMs = ref(0);
  const error = ref<string | null>(null);
  const gone = ref(false);
  const loading = ref(true);
  const mode = ref<'live' | 'polling'>('polling');
  let stopped = false;
  let timer: number | undefined;
  let inFlight: Promise<void> | null = null;
  let source: EventSource | null = null;

  function accept(next: StaffCaseView): void {
    if (stopped || next.caseId !== caseId) return;
    serverOffsetMs.value = Date.parse(next.serverTime) - Date.now();
    if (!view.value || next.rev >= view.value.rev) view.value = next;
    error.value = null;
    loading.value = false;
  }

  async function load(): Promise<void> {
    try {
      const answer = await apiAt('GET /api/v1/desk/cases/:id', { id: caseId });
      if (stopped) return;
      accept(answer);
      if (source?.readyState === EventSource.CLOSED) connect();
    } catch (err) {
      if (stopped) return;
      const apiError = toApiError(err);
      if (apiError.isUnauthenticated) {
        stop();
        expireSession();
        return;
      }
      if (apiError.status === 404) {
        gone.value = true;
        stop();
      }
      error.value = apiError.message;
    } finally {
      loading.value = false;
    }
  }

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
    source?.close();
    source = new EventSource(caseStreamPath(caseId));
    source.addEventListener('open', () => {
      mode.value = 'live';
      window.clearTimeout(timer);
    });
    source.addEventListener('case', (event) => {
      try {
        accept(JSON.parse((event as MessageEvent<string>).data) as StaffCaseView);
      } catch {
        // A malformed event is skipped; the next one (or a poll) brings the state.
      }
    });
    source.addEventListener('error', () => {
      if (stopped) return;
      mode.value = 'polling';
      void refresh();
    });
  }

  function stop(): void {
    stopped = true;
    source?.close();
    window.clearTimeout(timer);
  }

  function onVisible(): void {
    if (document.visibilityState === 'visible' && mode.value === 'polling') void refresh();
  }
  document.addEventListener('visibilitychange', onVisible);

  onScopeDispose(() => {
    stop();
    document.removeEventListener('visibilitychange', onVisible);
  });

  // The first view by GET too: the page has something to show even before the stream opens.
  void refresh();
  connect();
  return { view, serverOffsetMs, error, gone, loading, mode, refresh, accept };
}
