import { readonly, ref } from 'vue';

const KEY = 'qh.console.brigadeName';

/**
 * The signed-in desk's brigade name, as the queue last reported it, for the header of views that do
 * not load the queue (the call view). Kept for the tab's life so a reload mid-call still shows it.
 */
const name = ref<string | null>(read());

function read(): string | null {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export const knownBrigadeName = readonly(name);

export function rememberBrigadeName(value: string | null): void {
  name.value = value;
  try {
    if (value) window.sessionStorage.setItem(KEY, value);
    else window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: the header falls back to the brigade code.
  }
}
