import { ref, shallowRef, type Ref } from 'vue';
import type { StaffCaseView } from '../../../../typings/api/call';
import { apiAt } from '../api';
import { useLiveFeed, type LiveFeed } from './useLiveFeed';

/** While the stream is down, poll this often: the clock and the evidence must not freeze. */
export const CASE_REFRESH_MS = 3000;

export const caseStreamPath = (caseId: string) => `/api/v1/desk/cases/${encodeURIComponent(caseId)}/stream`;

export interface CaseFeed extends LiveFeed {
  /** The newest view (highest rev) seen so far; kept on screen while a refresh fails. */
  view: Ref<StaffCaseView | null>;
  /** Server clock minus this machine's clock, in ms, from the last view's `serverTime`. */
  serverOffsetMs: Ref<number>;
  /** The case does not exist for this dispatcher (404): nothing more will come. */
  gone: Ref<boolean>;
  /** A view a write answered with (PUT parties, release…): shown at once, unless a newer one is already here. */
  accept: (view: StaffCaseView) => void;
}

/**
 * One case, live (useLiveFeed: the whole StaffCaseView pushed on connect and after every change,
 * polled while the stream is down). Views carry `rev`, so an older answer arriving late (a slow poll
 * after a push) never overwrites a newer one.
 */
export function useCase(caseId: string, intervalMs: number = CASE_REFRESH_MS): CaseFeed {
  const view = shallowRef<StaffCaseView | null>(null);
  const serverOffsetMs = ref(0);
  const gone = ref(false);

  function apply(next: StaffCaseView): void {
    if (gone.value || next.caseId !== caseId) return;
    serverOffsetMs.value = Date.parse(next.serverTime) - Date.now();
    if (!view.value || next.rev >= view.value.rev) view.value = next;
  }

  const feed = useLiveFeed<StaffCaseView>({
    streamPath: caseStreamPath(caseId),
    event: 'case',
    fetch: () => apiAt('GET /api/v1/desk/cases/:id', { id: caseId }),
    intervalMs,
    onData: apply,
    onGone: () => {
      gone.value = true;
    },
    // The first view by GET too: the page has something to show even before the stream opens.
    fetchFirst: true,
  });

  function accept(next: StaffCaseView): void {
    apply(next);
    feed.error.value = null;
    feed.loading.value = false;
  }

  return { ...feed, view, serverOffsetMs, gone, accept };
}
