import type { Logger } from '../platform/logger';
import type { CaseSnapshot } from './case-change';
import type { CaseEditKind, CaseEvent } from './lifecycle';

export type CaseEventName = CaseEvent | CaseEditKind;

/** One applied change, as a listener hears it: the case as it is now, and what happened to it. */
export interface CaseHappened {
  event: CaseEventName;
  case: CaseSnapshot;
  actor: { kind: string; id: string | null };
}

export type CaseListener = (happened: CaseHappened) => Promise<unknown>;

/**
 * Side effects that belong to another module (stop the cloud recording when a case is released; fix
 * its manifest as evidence once it stopped) hang on the case's events instead of the module that made
 * the change calling them — so no module calls back into the one that called it. Listeners run after
 * the change is stored, in the process that stored it, once; they never delay the answer to the
 * request, and a failure is logged: the change stands.
 */
export interface CaseListeners {
  on(events: CaseEventName | readonly CaseEventName[], name: string, listener: CaseListener): void;
  emit(happened: CaseHappened): void;
  /** Resolves when every listener started so far has finished (shutdown, tests). */
  settled(): Promise<void>;
}

export function createCaseListeners(logger: Logger): CaseListeners {
  const byEvent = new Map<CaseEventName, Map<string, CaseListener>>();
  const running = new Set<Promise<unknown>>();
  return {
    on(events, name, listener) {
      for (const event of typeof events === 'string' ? [events] : events) {
        // By name: registering the same listener again replaces it rather than running it twice.
        byEvent.set(event, (byEvent.get(event) ?? new Map()).set(name, listener));
      }
    },
    emit(happened) {
      for (const [name, listener] of byEvent.get(happened.event) ?? []) {
        const run = Promise.resolve()
          .then(() => listener(happened))
          .catch((err: unknown) => logger.warn({ err, caseId: String(happened.case._id), event: happened.event, listener: name }, 'case listener failed'))
          .finally(() => running.delete(run));
        running.add(run);
      }
    },
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
