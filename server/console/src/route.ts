import { readonly, ref } from 'vue';

/**
 * The console's only in-app route besides "who is signed in": which case is open, kept in the URL
 * hash (`#/case/<id>`) so a reload — or a browser crash mid-call — comes back to the same call.
 * No router library: two screens do not need one.
 */
export type Route = { name: 'queue' } | { name: 'case'; caseId: string };

const CASE_HASH = /^#\/case\/([0-9a-f]{24})$/i;

function parse(hash: string): Route {
  const match = CASE_HASH.exec(hash);
  return match?.[1] ? { name: 'case', caseId: match[1] } : { name: 'queue' };
}

const current = ref<Route>(parse(window.location.hash));
window.addEventListener('hashchange', () => (current.value = parse(window.location.hash)));

export const route = readonly(current);

export function openCase(caseId: string): void {
  window.location.hash = `#/case/${caseId}`;
  current.value = { name: 'case', caseId };
}

/** Back to the queue; `replace` so the browser's Back button does not reopen a finished call. */
export function openQueue(): void {
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  current.value = { name: 'queue' };
}
