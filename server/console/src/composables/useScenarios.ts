import { shallowRef, type Ref } from 'vue';
import type { ScenarioLibraryView } from '../../../../typings/api/decisions';
import { api, toApiError } from '../api';

/** The scenario library changes rarely (ops save revisions): fetched once per page load, shared by every tagger. */
const library = shallowRef<ScenarioLibraryView | null>(null);
const error = shallowRef<string | null>(null);
let loading: Promise<void> | null = null;

export function useScenarios(): { library: Ref<ScenarioLibraryView | null>; error: Ref<string | null>; reload: () => Promise<void> } {
  const reload = (): Promise<void> => {
    loading ??= api('GET /api/v1/scenarios')
      .then((answer) => {
        library.value = answer;
        error.value = null;
      })
      .catch((err: unknown) => {
        error.value = toApiError(err).message;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  };
  if (!library.value) void reload();
  return { library, error, reload };
}
