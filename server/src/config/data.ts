import { z } from 'zod';
import { duration } from './values';

/** The database and Redis. */
export const dataSettings = {
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI').default('mongodb://127.0.0.1:27017'),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('quickhandling'),
  /** How long a request waits for an unreachable database before it is answered 503 (retry later). */
  DB_UNAVAILABLE_AFTER_MS: duration.default(5_000),
  /**
   * Redis shared by every instance (pub/sub between them, rate limits, burst brakes): redis:// or
   * rediss://. Unset: one instance, with the in-process bus and brakes.
   */
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional(),
};
