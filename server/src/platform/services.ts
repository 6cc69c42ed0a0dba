import type { Config } from '../config';
import type { Logger } from './logger';
import type { RateLimiter } from './rate-limit/rate-limiter';
import type { BurstLimiter } from './rate-limit/burst-limiter';
import type { Limiters } from './rate-limit/limiters';
import type { BlobStore } from './storage/blob-store';
import type { PubSub } from './pubsub/pubsub';
import type { AppMetrics } from './metrics/metrics';
import type { Drain } from './drain';

/**
 * The infrastructure every module may use. A module that needs more (a vendor client, the token
 * service) says so in its own type, `PlatformServices & { … }`; the composition root
 * (server/src/app-services.ts) builds one object that is all of them.
 */
export interface PlatformServices {
  config: Config;
  /** The time rules are judged at; tests set it to judge 07:29 or 19:31 whenever they run. */
  clock: () => Date;
  logger: Logger;
  blobs: BlobStore;
  /** Case changes to live consoles and waiting drivers (in-process; Redis when REDIS_URL is set). */
  pubsub: PubSub;
  /** Set on SIGTERM: streams and long polls answer now, /readyz says 503, connections close (drain.ts). */
  drain: Drain;
  /** Rate limits and burst brakes by name, shared by every instance when REDIS_URL is set. */
  limits: Limiters;
  /** Wrong join codes per driver (guessing). */
  joinFailures: RateLimiter;
  /** Chat messages per sender and per case (call/chat.ts). */
  chatLimiter: BurstLimiter;
  /** Edits of a case per person and per case (call/call.service.ts). */
  editLimiter: BurstLimiter;
  /** This app's Prometheus registry and the counters code below the metrics module records into. */
  metrics: AppMetrics;
}
