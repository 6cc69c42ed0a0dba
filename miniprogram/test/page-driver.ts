/**
 * Drives a rendered page the way a finger does. A TDesign <t-button> is a virtual host around a
 * native <button class="t-button">; tapping that inner button goes through TDesign's own handler
 * (which ignores taps while `loading`/`disabled`) before our page's bind:tap.
 */
import * as simulate from 'miniprogram-simulate';

type Rendered = ReturnType<typeof simulate.render>;
type Queryable = { querySelector(selector: string): unknown };

/** `props` stand for the page query: WeChat hands a Component-built page its query as properties. */
export function renderPage(id: string, props?: Record<string, unknown>): Rendered {
  const page = simulate.render(id, props);
  page.attach(document.createElement('parent-wrapper')); // runs `attached`, like opening the page
  return page;
}

/**
 * The first match of `selector` on the page, looking into the page's own parts too: a page built
 * from our components (components/*) gives each of them `class="part"`, and the simulator's
 * `a >>> b` finds `b` inside the components under `a`, as WeChat's selectComponent does.
 */
export function find(page: Queryable, selector: string): ReturnType<Rendered['querySelector']> {
  return (page.querySelector(selector) ?? page.querySelector(`.part >>> ${selector}`)) as ReturnType<Rendered['querySelector']>;
}

export async function tap(page: Rendered, selector: string): Promise<void> {
  const host = find(page, selector);
  if (!host) throw new Error(`nothing matches ${selector}`);
  // TDesign hosts are virtual: tap the element TDesign itself listens on.
  const button =
    host.querySelector('.t-button') ?? host.querySelector('.t-switch') ?? host.querySelector('.t-checkbox') ?? host.querySelector('.t-radio') ?? host;
  button.dispatchEvent('tap');
  await simulate.sleep(0); // dispatchEvent is asynchronous
}

/**
 * Whether a TDesign <t-checkbox> / <t-radio> shows as ticked: TDesign's own `--checked` class, on
 * the checkbox itself or (radio) on its icon.
 */
export function isChecked(page: Rendered, selector: string): boolean {
  const host = find(page, selector);
  if (!host) throw new Error(`nothing matches ${selector}`);
  const dom = (host.querySelector('.t-checkbox') ?? host.querySelector('.t-radio'))?.dom;
  if (!dom) throw new Error(`${selector} is no checkbox or radio`);
  return /--checked\b/.test(dom.className) || dom.querySelector('[class*="--checked"]') !== null;
}

/**
 * The DOM behind a selector, or null when it is not rendered. TDesign components are virtual hosts
 * (no element of their own), so for a <t-button> it is the native button inside.
 */
export function domOf(page: Rendered, selector: string): HTMLElement | null {
  const found = find(page, selector);
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

/**
 * Types into a <t-input> or <t-textarea> (or a native <input>): the native input inside fires `input` with the
 * whole new value, as the keyboard does, and TDesign turns it into its `change` event.
 */
export async function typeInto(page: Rendered, selector: string, value: string): Promise<void> {
  const host = find(page, selector);
  if (!host) throw new Error(`nothing matches ${selector}`);
  // The simulator matches TDesign's inner elements by class (its tag selectors find nothing there).
  const input = host.querySelector('.t-input__control') ?? host.querySelector('.t-textarea__wrapper-inner') ?? host;
  input.dispatchEvent('input', { detail: { value, cursor: value.length, keyCode: 0 } });
  await simulate.sleep(0);
}

/** Leaves a <t-input>: its native input fires `blur` with the current value. */
export async function blur(page: Rendered, selector: string, value: string): Promise<void> {
  const host = find(page, selector);
  if (!host) throw new Error(`nothing matches ${selector}`);
  (host.querySelector('.t-input__control') ?? host).dispatchEvent('blur', { detail: { value } });
  await simulate.sleep(0);
}

/** A native component's event (picker `change`, …) with its detail. */
export async function fire(page: Rendered, selector: string, event: string, detail: unknown): Promise<void> {
  const target = find(page, selector);
  if (!target) throw new Error(`nothing matches ${selector}`);
  target.dispatchEvent(event, { detail });
  await simulate.sleep(0);
}

/** Taps a <t-cell>: TDesign listens on its inner `.t-cell` view and re-emits `click`. */
export async function tapCell(page: Rendered, selector: string): Promise<void> {
  const host = find(page, selector);
  if (!host) throw new Error(`nothing matches ${selector}`);
  const inner = host.querySelector('.t-cell');
  if (!inner) throw new Error(`${selector} has no inner .t-cell`);
  inner.dispatchEvent('tap');
  await simulate.sleep(0);
}

/** What j-component can do that its outdated typings leave out. */
interface PageControls {
  triggerPageLifeTime(lifeTime: 'show' | 'hide', ...args: unknown[]): void;
  detach(): void;
}

/** The page goes to the background (`hide`: another page on top, the phone locked …) or comes back (`show`). */
export function pageLifetime(page: Rendered, lifeTime: 'show' | 'hide'): void {
  (page as unknown as PageControls).triggerPageLifeTime(lifeTime);
}

/** Closes the page (navigateBack, redirectTo …): `detached` runs. */
export function closePage(page: Rendered): void {
  (page as unknown as PageControls).detach();
}
