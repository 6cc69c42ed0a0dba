import { z } from 'zod';
import { bool, duration, url } from './values';

/** The process: where it listens, what sits in front of it, how it stops, what it serves. */
export const processSettings = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public origin of this server, used in links the console and the mini-program are given. */
  PUBLIC_URL: url.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Behind a load balancer: trust X-Forwarded-For for client IPs (rate limits) and proto (cookies). */
  TRUST_PROXY: bool.default(false),
  /**
   * How many proxies in front append to X-Forwarded-For (1: the load balancer). The client's address is
   * that many entries from the right; anything further left is the client's own claim and is ignored.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(5).default(1),
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  SHUTDOWN_GRACE_MS: duration.default(10_000),
  /**
   * After SIGTERM, how long to keep accepting connections while /readyz answers 503, so a load balancer
   * that routes by readiness stops sending first (Kubernetes: a few seconds). 0: refuse new ones at once.
   */
  SHUTDOWN_READINESS_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  MAX_JSON_BODY: z.string().default('256kb'),
  /** Where the built dispatcher console is served from. */
  CONSOLE_DIST_DIR: z.string().optional(),
};
