/**
 * Who wants to hear that a hand-off settled (accepted or failed): the statistics count hand-offs per
 * case, and a hand-off is not a case event. Listeners run after the change is stored, never delay the
 * party's answer, and a failure is only logged (the statistics reconcile catches up what was missed).
 */
type HandoffListener = (caseId: string) => Promise<unknown>;

const listeners = new Map<string, HandoffListener>();

/** By name: registering again (a second app in one process, as tests build) replaces rather than doubles. */
export function onHandoffSettled(name: string, listener: HandoffListener): void {
  listeners.set(name, listener);
}

export function handoffSettled(caseId: string, logger: { warn: (obj: object, msg: string) => void }): void {
  for (const [name, listener] of listeners) {
    void Promise.resolve()
      .then(() => listener(caseId))
      .catch((err: unknown) => logger.warn({ err, caseId, listener: name }, 'hand-off listener failed'));
  }
}
