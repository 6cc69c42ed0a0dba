import type { PubSub } from '../platform/pubsub/pubsub';

/** What subscribers hear when a case changes: enough to decide whether to refresh, nothing more. */
export interface CaseChanged {
  caseId: string;
  brigadeCode: string | null;
  state: string;
  event: string;
  /**
   * False when the queue shows no difference (queueSeesChange): the brigades' shared desk reads are
   * kept. Consoles are told all the same (the case files of 认定 and 复核 follow the queue topic).
   */
  queue?: boolean;
}

/** Every brigade's queue listens on its own topic; ops consoles (all brigades) on the `*` topic. */
export const queueTopic = (brigadeCode: string | null) => `queue:${brigadeCode ?? '*'}`;
export const caseTopic = (caseId: string) => `case:${caseId}`;

export async function notifyCaseChanged(pubsub: PubSub, change: CaseChanged): Promise<void> {
  await Promise.all([
    pubsub.publish(queueTopic(change.brigadeCode), change),
    pubsub.publish(queueTopic(null), change),
    pubsub.publish(caseTopic(change.caseId), change),
  ]);
}
