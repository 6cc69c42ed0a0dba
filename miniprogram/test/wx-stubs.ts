/**
 * Stand-ins for wx callback APIs (getLocation, showModal, scanCode …) with the phone's calling
 * convention: they return at once and later call `success(result)` or `fail({ errMsg })`, then
 * `complete`. Outcomes are used in order; the last one repeats.
 */
export type Outcome = { ok: Record<string, unknown> } | { fail: string };

type CallbackOptions = {
  success?: (res: unknown) => void;
  fail?: (err: { errMsg: string }) => void;
  complete?: (res: unknown) => void;
};

export function stubWx(name: string, ...outcomes: Outcome[]): jest.Mock {
  let next = 0;
  const mock = jest.fn((options: CallbackOptions = {}) => {
    const outcome = outcomes[Math.min(next, outcomes.length - 1)];
    next += 1;
    setTimeout(() => {
      if (!outcome || 'ok' in outcome) {
        const res = { errMsg: `${name}:ok`, ...(outcome?.ok ?? {}) };
        options.success?.(res);
        options.complete?.(res);
      } else {
        const err = { errMsg: outcome.fail };
        options.fail?.(err);
        options.complete?.(err);
      }
    }, 1);
  });
  (wx as unknown as Record<string, unknown>)[name] = mock;
  return mock;
}

/** The options object of a stub's nth call (0-based). */
export function optionsOf(mock: jest.Mock, call = 0): Record<string, unknown> {
  return (mock.mock.calls[call]?.[0] ?? {}) as Record<string, unknown>;
}
