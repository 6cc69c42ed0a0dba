import { shallowRef, type Ref } from 'vue';
import type { QueueAreaResponse } from '../../../../typings/api/cases';
import { api } from '../api';

/**
 * One request per signed-in account and page load: the outline changes only when ops reassign
 * districts (and the server lets the browser cache it). Keyed by account: another login, another area.
 */
const pending = new Map<string, Promise<QueueAreaResponse>>();

/**
 * The signed-in desk's area outline (ops: every district) for the maps. `settled` once answered or failed, so
 * the map is drawn with the pins alone rather than waiting for ever.
 */
export function useQueueArea(staffId: string): { area: Ref<QueueAreaResponse['area'] | null>; settled: Ref<boolean> } {
  const area = shallowRef<QueueAreaResponse['area'] | null>(null);
  const settled = shallowRef(false);
  let request = pending.get(staffId);
  if (!request) pending.set(staffId, (request = api('GET /api/v1/queue/area')));
  request
    .then((answer) => (area.value = answer.area))
    .catch(() => {
      // A later page may try again (a session that expired meanwhile, say).
      pending.delete(staffId);
    })
    .finally(() => (settled.value = true));
  return { area, settled };
}
