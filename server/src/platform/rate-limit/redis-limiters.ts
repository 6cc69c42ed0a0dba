import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { closeRedis, createRedisConnection, redisDown } from '../redis/redis-connection';
import { WINDOW_MS, type BurstLimiter } from './burst-limiter';
import { limiterCache, type Limiters } from './limiters';
import { createRateLimiter, type RateLimiter, type RateLimitStatus } from './rate-limiter';

/*
 * Sliding windows as sorted sets (score = ms, member unique per event), pruned and counted in one Lua
 * script so concurrent requests on any instance see one count. Times are Redis' own clock (TIME), so
 * instances whose clocks differ still agree. Each key expires a window after its last event.
 */

/** KEYS: the windows; ARGV: window ms, a unique tag, then each key's limit. Returns ms to wait, 0 = taken. */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local limit = tonumber(ARGV[i + 2])
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local unblocking = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local w = tonumber(unblocking[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, now .. ':' .. ARGV[2])
  redis.call('PEXPIRE', key, window)
end
return 0`;

/** KEYS[1]: the window; ARGV: window ms, a unique tag. Returns the event's member. */
const RECORD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local member = now .. ':' .. ARGV[2]
redis.call('ZADD', KEYS[1], now, member)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('PEXPIRE', KEYS[1], window)
return member`;

/** KEYS[1]: the window; ARGV: window ms, limit. Returns { count, ms until one more is allowed }. */
const STATUS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local scores = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - window), '+inf', 'WITHSCORES')
local count = #scores / 2
if count <= limit then return { count, 0 } end
return { count, tonumber(scores[(count - limit) * 2 + 2]) + window - now }`;

const tag = () => randomBytes(6).toString('hex');
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
/** Ids of events counted in Redis, told apart from the database's ObjectIds when one is discarded. */
const REDIS_ID = 'redis:';

/**
 * Limiters shared through Redis, on a connection of their own. When Redis cannot answer they fail in a
 * chosen direction (logged once per outage):
 * - Burst brakes let the request through. They stop runaway scripts on writes that are already
 *   authenticated and validated; refusing every chat message or case edit for as long as Redis is down
 *   would stop the service over a brake.
 * - Rate limits (SMS sends, code and join-code guesses) fall back to the database's count, the store
 *   the request needs anyway: failing open would hand a guesser unlimited tries (or free SMS) for the
 *   outage, failing closed would lock every driver out. The database count starts afresh at the outage,
 *   so at worst one window's allowance is granted twice.
 * (Staff login lock-outs never depended on Redis: auth/login-lock.ts keeps them in the database.)
 */
export function createRedisLimiters(url: string, logger: Logger, prefix: string): Limiters {
  const redis = createRedisConnection(url, logger, { name: 'limits' });
  const log = logger.child({ component: 'redis-limits' });
  let degraded = false;
  redis.on('ready', () => (degraded = false));
  const unavailable = (err: unknown, fallback: string) => {
    if (!degraded) log.warn({ err }, `redis limits unavailable: ${fallback}`);
    degraded = true;
  };
  return limiterCache(
    {
      rate: (name, windowSeconds) => redisRateLimiter(redis, `${prefix}rl:${name}/`, windowSeconds, createRateLimiter(name, windowSeconds), unavailable),
      burst: (name) => redisBurstLimiter(redis, `${prefix}burst:${name}/`, unavailable),
    },
    () => closeRedis(redis),
  );
}

type Unavailable = (err: unknown, fallback: string) => void;

/** Runs `work` on Redis, or says at once that it cannot (a connection known to be down is not waited on). */
async function onRedis<T>(redis: Redis, work: () => Promise<T>): Promise<T> {
  if (redisDown(redis)) throw new Error(`redis is ${redis.status}`);
  return work();
}

function redisBurstLimiter(redis: Redis, prefix: string, unavailable: Unavailable): BurstLimiter {
  return {
    async take(...limits) {
      if (limits.length === 0) return 0;
      try {
        const waitMs = Number(
          await onRedis(redis, () => redis.eval(TAKE, limits.length, ...limits.map(([key]) => prefix + key), WINDOW_MS, tag(), ...limits.map(([, perMinute]) => perMinute))),
        );
        return waitMs > 0 ? seconds(waitMs) : 0;
      } catch (err) {
        unavailable(err, 'burst brakes let requests through');
        return 0;
      }
    },
  };
}

function redisRateLimiter(redis: Redis, prefix: string, windowSeconds: number, database: RateLimiter, unavailable: Unavailable): RateLimiter {
  const windowMs = windowSeconds * 1000;
  const fallback = 'rate limits counted in the database';
  return {
    async record(key) {
      try {
        const member = String(await onRedis(redis, () => redis.eval(RECORD, 1, prefix + key, windowMs, tag())));
        return REDIS_ID + JSON.stringify([prefix + key, member]);
      } catch (err) {
        unavailable(err, fallback);
        return database.record(key);
      }
    },
    async status(key, limit): Promise<RateLimitStatus> {
      try {
        const [count, waitMs] = (await onRedis(redis, () => redis.eval(STATUS, 1, prefix + key, windowMs, limit))) as [number, number];
        return { count, retryAfterSeconds: waitMs > 0 ? seconds(waitMs) : 0 };
      } catch (err) {
        unavailable(err, fallback);
        return database.status(key, limit);
      }
    },
    async discard(ids) {
      const inRedis = ids.filter((id) => id.startsWith(REDIS_ID)).map((id) => JSON.parse(id.slice(REDIS_ID.length)) as [string, string]);
      const inDatabase = ids.filter((id) => !id.startsWith(REDIS_ID));
      if (inDatabase.length > 0) await database.discard(inDatabase);
      try {
        await Promise.all(inRedis.map(([key, member]) => onRedis(redis, () => redis.zrem(key, member))));
      } catch (err) {
        unavailable(err, fallback); // the events age out with their window
      }
    },
    async reset(key) {
      await database.reset(key);
      try {
        await onRedis(redis, () => redis.del(prefix + key));
      } catch (err) {
        unavailable(err, fallback);
      }
    },
  };
}
