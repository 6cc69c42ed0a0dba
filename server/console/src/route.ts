import { readonly, ref } from 'vue';

/**
 * The console's in-app routes, kept in the URL hash so a reload — or a browser crash mid-call — comes
 * back to the same screen: `#/case/<id>` (a call), `#/decisions/<id>` (an officer's case file),
 * `#/reviews/<id>` (a 复核 on the reviewer's desk), `#/queue`, `#/decisions`, `#/reviews` (复核),
 * `#/ops/<page>` (the ops console; the old `#/identities` opens its identity review) — the sections —
 * and no hash: the role's own landing section.
 * No router library: a handful of screens do not need one.
 */
export type Section = 'queue' | 'decisions' | 'reviews' | 'ops';
/** The ops console's pages, in the order of its side menu. */
export const OPS_PAGES = ['dashboard', 'staffing', 'service', 'roads', 'brigades', 'identities', 'scenarios', 'audit'] as const;
export type OpsPage = (typeof OPS_PAGES)[number];
export type Route =
  | { name: 'home' }
  | { name: Exclude<Section, 'ops'> }
  | { name: 'ops'; page: OpsPage }
  | { name: 'case'; caseId: string }
  | { name: 'file'; caseId: string }
  | { name: 'review'; caseId: string };

const CASE_HASH = /^#\/case\/([0-9a-f]{24})$/i;
const FILE_HASH = /^#\/decisions\/([0-9a-f]{24})$/i;
const REVIEW_HASH = /^#\/reviews\/([0-9a-f]{24})$/i;
const OPS_HASH = /^#\/ops(?:\/([a-z]+))?$/;
const SECTIONS = ['queue', 'decisions', 'reviews'] as const;

function parse(hash: string): Route {
  const call = CASE_HASH.exec(hash);
  if (call?.[1]) return { name: 'case', caseId: call[1] };
  const file = FILE_HASH.exec(hash);
  if (file?.[1]) return { name: 'file', caseId: file[1] };
  const review = REVIEW_HASH.exec(hash);
  if (review?.[1]) return { name: 'review', caseId: review[1] };
  if (hash === '#/identities') return { name: 'ops', page: 'identities' };
  const ops = OPS_HASH.exec(hash);
  if (ops) return { name: 'ops', page: OPS_PAGES.find((p) => p === ops[1]) ?? 'dashboard' };
  const section = SECTIONS.find((s) => hash === `#/${s}`);
  return section ? { name: section } : { name: 'home' };
}

const current = ref<Route>(parse(window.location.hash));
window.addEventListener('hashchange', () => (current.value = parse(window.location.hash)));

export const route = readonly(current);

export function openCase(caseId: string): void {
  window.location.hash = `#/case/${caseId}`;
  current.value = { name: 'case', caseId };
}

/** An officer's case file (待认定 → one case). */
export function openFile(caseId: string): void {
  window.location.hash = `#/decisions/${caseId}`;
  current.value = { name: 'file', caseId };
}

/** A reviewer's 复核 (复核 → one case). */
export function openReview(caseId: string): void {
  window.location.hash = `#/reviews/${caseId}`;
  current.value = { name: 'review', caseId };
}

export function openSection(section: Section): void {
  if (section === 'ops') return openOpsPage('dashboard');
  window.location.hash = `#/${section}`;
  current.value = { name: section };
}

export function openOpsPage(page: OpsPage): void {
  window.location.hash = `#/ops/${page}`;
  current.value = { name: 'ops', page };
}

/**
 * Back to the queue; `replace` (no hash) so the browser's Back button does not reopen a finished call.
 * The route still says "queue": an officer back from a call sees the queue, not their landing section.
 */
export function openQueue(): void {
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  current.value = { name: 'queue' };
}

/** The signed-in role's landing section (a new shift at the desk, after signing out). */
export function openHome(): void {
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  current.value = { name: 'home' };
}
