import { Redis } from 'ioredis';
import type { Logger } from '../logger';

/** A command waits at most this long for Redis (queued while connecting included): a request never hangs on it. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** Reconnect delays double from 100 ms up to this; an instance never gives up, so a restarted Redis is found again. */
const MAX_RECONNECT_DELAY_MS = 2_000;

export interface RedisConnectionOptions {
  /** Names the connection in logs and in CLIENT LIST (`qh-<name>`). */
  name: string;
  /** A subscriber re-subscribes by itself (redis-pubsub.ts keeps its own list of channels). */
  autoResubscribe?: boolean;
}

/**
 * One ioredis connection as every use here wants it: connected on first use (a server whose Redis is
 * late still starts), reconnecting with capped back-off for ever, and failing a command fast instead of
 * holding a request: one retry per command across a reconnect, a one-second timeout, and nothing queued
 * while Redis is known to be down (see `redisDown`). Errors are logged once per outage, never thrown as
 * an unhandled 'error' event (which would end the process).
 */
export function createRedisConnection(url: string, logger: Logger, options: RedisConnectionOptions): Redis {
  const log = logger.child({ redis: options.name });
  const redis = new Redis(url, {
    connectionName: `qh-${options.name}`,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    autoResubscribe: options.autoResubscribe ?? false,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times - 1, 5), MAX_RECONNECT_DELAY_MS),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: err.message, code: (err as NodeJS.ErrnoException).code } }, 'redis unreachable: retrying in the background');
  });
  redis.on('ready', () => {
    if (down) log.info('redis reachable again');
    down = false;
  });
  return redis;
}

/**
 * True while the connection is known to be broken (it was up, or tried, and is now between retries):
 * callers skip Redis at once rather than wait out the command timeout on every request.
 */
export function redisDown(redis: Redis): boolean {
  return redis.status === 'reconnecting' || redis.status === 'close' || redis.status === 'end';
}

/** Closes without waiting on a dead server: QUIT when connected, otherwise just drop the socket. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
