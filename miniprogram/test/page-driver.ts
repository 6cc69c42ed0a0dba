/**
 * Drives a rendered page the way a finger does. A TDesign <t-button> is a virtual host around a
 * native <button class="t-button">; tapping that inner button goes through TDesign's own handler
 * (which ignores taps while `loading`/`disabled`) before our page's bind:tap.
 */
import * as simulate from 'miniprogram-simulate';

type Rendered = ReturnType<typeof simulate.render>;

export function renderPage(id: string): Rendered {
  const page = simulate.render(id);
  page.attach(document.createElement('parent-wrapper')); // runs `attached`, like opening the page
  return page;
}

export async function tap(page: Rendered, selector: string): Promise<void> {
  const host = page.querySelector(selector);
  if (!host) throw new Error(`nothing matches ${selector}`);
  const button = host.querySelector('.t-button') ?? host;
  button.dispatchEvent('tap');
  await simulate.sleep(0); // dispatchEvent is asynchronous
}

/**
 * The DOM behind a selector, or null when it is not rendered. TDesign components are virtual hosts
 * (no element of their own), so for a <t-button> it is the native button inside.
 */
export function domOf(page: Rendered, selector: string): HTMLElement | null {
  const found = page.querySelector(selector);
  if (!found) return null;
  return found.dom ?? found.querySelector('.t-button')?.dom ?? null;
}

/** Visible text behind a selector, whitespace collapsed; null when it is not rendered. */
export function textOf(page: Rendered, selector: string): string | null {
  const dom = domOf(page, selector);
  return dom ? (dom.textContent ?? '').replace(/\s+/g, ' ').trim() : null;
}

/** Polls until `check` stops throwing: the page reacts to timers we do not control one by one. */
export async function waitFor(check: () => void, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await simulate.sleep(5);
    }
  }
}
