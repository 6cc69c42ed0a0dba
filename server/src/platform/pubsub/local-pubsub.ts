import { EventEmitter } from 'node:events';
import type { PubSub } from './pubsub';

/** The single-instance bus: an EventEmitter. Delivery is asynchronous, as it would be over Redis. */
export function createLocalPubSub(): PubSub {
  const emitter = new EventEmitter();
  // One listener per open console connection: no leak warning at a busy brigade.
  emitter.setMaxListeners(0);
  return {
    async publish(topic, message) {
      setImmediate(() => emitter.emit(topic, message));
    },
    subscribe(topic, listener) {
      emitter.on(topic, listener);
      return () => emitter.off(topic, listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
