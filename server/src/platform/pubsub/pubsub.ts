/**
 * Publish/subscribe between server instances. One instance today uses the in-process bus; several
 * instances behind a load balancer use Redis (PUBLISH/SUBSCRIBE) behind this same interface, so a case
 * reported through instance A appears on a console connected to instance B.
 * Messages are hints ("something changed"), never the data itself: a subscriber re-reads the database,
 * so a lost or duplicated message costs a refresh, not correctness.
 */
export interface PubSub {
  publish(topic: string, message: unknown): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(topic: string, listener: (message: unknown) => void): () => void;
  close(): Promise<void>;
}
