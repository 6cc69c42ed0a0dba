import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from '../logger';
import { closeRedis, createRedisConnection, redisDown } from '../redis/redis-connection';
import type { PubSub } from './pubsub';

/** What a listener hears when messages may have been missed: re-read everything (the same as any hint). */
export const RESYNC_MESSAGE = Object.freeze({ event: 'resync' });
/** Channel (after the prefix) on which an instance that could not publish says "re-read" once Redis is back. */
const RESYNC_CHANNEL = '!resync';

interface Envelope {
  from: string;
  message: unknown;
}

/**
 * The bus between instances: Redis PUBLISH/SUBSCRIBE on two connections (a subscribing connection can
 * do nothing else), JSON messages tagged with the sending instance.
 *
 * This instance's own listeners are told directly, not through Redis, so a console on the instance that
 * made a change sees it even while Redis is down. Messages are hints (pubsub.ts): a publish that fails is
 * logged and the request that made it goes on. What an outage lost is made good once Redis is back:
 * a subscriber that reconnects tells its own listeners to re-read, and a publisher that failed to send
 * asks every instance to (RESYNC_CHANNEL), so open streams converge on the database again.
 *
 * `prefix` scopes the channels: instances of one deployment (one database) share a bus, others sharing
 * the Redis server do not hear them.
 */
export function createRedisPubSub(url: string, logger: Logger, prefix: string): PubSub {
  const log = logger.child({ component: 'redis-pubsub' });
  const instance = randomUUID();
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const publisher = createRedisConnection(url, logger, { name: 'publish' });
  const subscriber = createRedisConnection(url, logger, { name: 'subscribe' });
  const channelOf = (topic: string) => `${prefix}${topic}`;
  /** Topics with a listener here, i.e. the channels this instance must be subscribed to. */
  const topics = new Set<string>();
  let closed = false;

  const resyncLocal = () => {
    for (const topic of topics) local.emit(topic, RESYNC_MESSAGE);
  };

  subscriber.on('message', (channel: string, text: string) => {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      log.warn({ channel }, 'unreadable pub/sub message ignored');
      return;
    }
    if (envelope?.from === instance) return; // told directly when published
    if (channel === channelOf(RESYNC_CHANNEL)) return resyncLocal();
    local.emit(channel.slice(prefix.length), envelope.message);
  });

  const subscribeAll = (channels: string[]) => {
    if (channels.length === 0 || closed || redisDown(subscriber)) return; // 'ready' subscribes them all
    subscriber.subscribe(...channels).catch((err: unknown) => log.debug({ err }, 'subscribe deferred to the next reconnect'));
  };

  // Re-subscribed here on every connect (not by ioredis): a SUBSCRIBE that failed during an outage is
  // not in ioredis' own list, but is in ours.
  let wasConnected = false;
  let lostConnection = false;
  subscriber.on('close', () => {
    if (wasConnected) lostConnection = true;
  });
  subscriber.on('ready', () => {
    wasConnected = true;
    subscribeAll([channelOf(RESYNC_CHANNEL), ...[...topics].map(channelOf)]);
    if (lostConnection) {
      lostConnection = false;
      log.info({ topics: topics.size }, 'pub/sub reconnected: listeners re-read');
      resyncLocal();
    }
  });

  let publishFailed = false;
  const publishFailure = (err: unknown) => {
    if (!publishFailed) log.warn({ err }, 'pub/sub publish failed: other instances refresh once Redis is back');
    publishFailed = true;
  };
  publisher.on('ready', () => {
    if (!publishFailed) return;
    publishFailed = false;
    publisher
      .publish(channelOf(RESYNC_CHANNEL), JSON.stringify({ from: instance, message: RESYNC_MESSAGE } satisfies Envelope))
      .catch(publishFailure);
  });

  return {
    async publish(topic, message) {
      setImmediate(() => local.emit(topic, message));
      if (closed) return;
      if (redisDown(publisher)) return publishFailure(new Error('redis is down'));
      try {
        await publisher.publish(channelOf(topic), JSON.stringify({ from: instance, message } satisfies Envelope));
      } catch (err) {
        publishFailure(err);
      }
    },
    subscribe(topic, listener) {
      local.on(topic, listener);
      if (!topics.has(topic)) {
        topics.add(topic);
        subscribeAll([channelOf(RESYNC_CHANNEL), channelOf(topic)]);
      }
      return () => {
        local.off(topic, listener);
        if (local.listenerCount(topic) > 0 || !topics.delete(topic)) return;
        if (!closed && !redisDown(subscriber) && subscriber.status === 'ready') {
          subscriber.unsubscribe(channelOf(topic)).catch((err: unknown) => log.debug({ err }, 'unsubscribe failed'));
        }
      };
    },
    async close() {
      closed = true;
      local.removeAllListeners();
      topics.clear();
      await Promise.all([closeRedis(publisher), closeRedis(subscriber)]);
    },
  };
}
