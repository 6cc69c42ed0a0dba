import { onScopeDispose, ref, type Ref } from 'vue';

/** A clock that ticks every `intervalMs`, so waiting times count up between queue refreshes. */
export function useNow(intervalMs = 1000): Ref<number> {
  const now = ref(Date.now());
  const timer = window.setInterval(() => (now.value = Date.now()), intervalMs);
  onScopeDispose(() => window.clearInterval(timer));
  return now;
}
