import { ref, shallowRef, type Ref } from 'vue';
import type { CaseFileView } from '../../../../typings/api/decisions';
import { apiAt } from '../api';
import { QUEUE_REFRESH_MS, QUEUE_STREAM_PATH } from './useQueue';
import { useLiveFeed, type LiveFeed } from './useLiveFeed';

export interface CaseFileFeed extends LiveFeed {
  /** The newest file seen (by the case's rev); kept on screen while a refresh fails. */
  file: Ref<CaseFileView | null>;
  /** The case does not exist for this officer (404). */
  gone: Ref<boolean>;
  /** A file a write answered with (the decision), shown at once unless a newer one is already here. */
  accept: (file: CaseFileView) => void;
}

/**
 * One case file, live. The brigade's queue stream announces every change to its cases (a tag, another
 * officer's decision, evidence arriving after release), and each announcement fetches the file again.
 * The desk's own case stream is not used: its heartbeat marks the desk present on the call, which a
 * released case no longer has.
 */
export function useCaseFile(caseId: string, intervalMs: number = QUEUE_REFRESH_MS): CaseFileFeed {
  const file = shallowRef<CaseFileView | null>(null);
  const gone = ref(false);

  function apply(next: CaseFileView): void {
    if (gone.value || next.case.caseId !== caseId) return;
    if (!file.value || next.case.rev >= file.value.case.rev) file.value = next;
  }

  const feed = useLiveFeed<CaseFileView>({
    streamPath: QUEUE_STREAM_PATH,
    event: 'queue',
    fetch: () => apiAt('GET /api/v1/decisions/cases/:id', { id: caseId }),
    intervalMs,
    onData: apply,
    onSignal: () => undefined,
    onGone: () => {
      gone.value = true;
    },
    fetchFirst: true,
  });

  function accept(next: CaseFileView): void {
    apply(next);
    feed.error.value = null;
    feed.loading.value = false;
  }

  return { ...feed, file, gone, accept };
}
