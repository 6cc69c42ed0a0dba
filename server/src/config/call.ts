import { z } from 'zod';
import { duration } from './values';

/** The call (server/src/call): RTC tokens, idle and resume windows, long polls and the queue stream. */
export const callSettings = {
  /** RTC tokens last this long; the SDK warns 30 s before expiry and the phone or console renews. */
  RTC_TOKEN_TTL_SECONDS: duration.default(3600),
  /** A call with no sign of life from anyone for this long is parked (abandoned), resumable for RESUME_WINDOW_SECONDS. */
  CALL_IDLE_SECONDS: duration.default(10 * 60),
  RESUME_WINDOW_SECONDS: duration.default(2 * 3600),
  /** The dispatcher's console silent this long on a call: the case goes back to the head of the queue. */
  DESK_SILENCE_SECONDS: duration.default(90),
  /** How long a party's long poll waits for a change before answering with the same view. */
  LONG_POLL_SECONDS: duration.default(25),
  /** Live-queue streams beat this often: keeps proxies from closing them and re-checks the session. */
  QUEUE_STREAM_HEARTBEAT_MS: duration.default(15_000),
  /** Queue ageing: a case back from a dropped call ranks as if it had waited this much longer. */
  REQUEUE_PRIORITY_SECONDS: z.coerce.number().int().min(0).default(600),
};
