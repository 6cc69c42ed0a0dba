import { z } from 'zod';
import { DEV_SECRET_PREFIX } from './dev-defaults';
import { bool, duration } from './values';

/** Tokens, staff sessions and the login lock. */
export const authSettings = {
  JWT_SECRET: z.string().min(32).default(`${DEV_SECRET_PREFIX}jwt-secret-0123456789abcdef0123456789`),
  JWT_ISSUER: z.string().default('jiangmen-accident-quick'),
  /** Driver access tokens are short-lived; the refresh token keeps a driver signed in. */
  DRIVER_ACCESS_TTL_SECONDS: duration.default(15 * 60),
  DRIVER_REFRESH_TTL_SECONDS: duration.default(30 * 24 * 3600),
  /** A staff session lasts a shift. */
  STAFF_SESSION_TTL_SECONDS: duration.default(12 * 3600),
  STAFF_COOKIE_NAME: z.string().default('qh_staff'),
  /** Secure cookies need HTTPS; on by default in production. */
  COOKIE_SECURE: bool.optional(),
  /** Failed staff logins before the account is locked; failures are forgotten after a quiet window this long. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: duration.default(15 * 60),
  /** The first lock lasts this long; each further lock within a day twice as long, up to LOGIN_LOCK_MAX_SECONDS. */
  LOGIN_LOCK_BASE_SECONDS: duration.default(60),
  LOGIN_LOCK_MAX_SECONDS: duration.default(3600),
  /** A browser that signed in to an account is trusted this long (its own failure count, not the account's lock). */
  LOGIN_DEVICE_TTL_SECONDS: duration.default(180 * 24 * 3600),
  /** bcrypt cost of staff passwords (each +1 doubles the work). */
  PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(15).default(12),
};
