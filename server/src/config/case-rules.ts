import { z } from 'zod';
import { duration } from './values';

/** The rules of a case: reporting and the queue, eligibility, chat and edit limits, the insurer hand-off, staffing. */
export const caseRuleSettings = {
  /** Hand-offs to an insurer (sends and retries) one driver may make per minute. */
  INSURER_HANDOFF_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(6),
  /** Chat messages one person may send per minute (a case allows twice that); messages kept per case at most. */
  CHAT_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  CHAT_MAX_PER_CASE: z.coerce.number().int().min(1).default(300),
  /** Edits of a case (information, facts, shot requests, checks, consent) one person may make per minute; a case allows twice that. */
  CASE_EDIT_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(60),

  // Reporting and the queue (server/src/cases).
  /** A safety confirmation (hazard lights, triangle) counts for a report made within this long. */
  SAFETY_CHECK_VALID_SECONDS: duration.default(30 * 60),
  /** The 6-character join code works this long after the report (and only while the case is open). */
  JOIN_CODE_TTL_SECONDS: duration.default(30 * 60),
  /** Wrong join codes a driver may try per window before being made to wait (guessing). */
  JOIN_MAX_FAILURES: z.coerce.number().int().min(1).default(8),
  JOIN_FAILURE_WINDOW_SECONDS: duration.default(10 * 60),
  /** A new report this close (metres) and this recent to an open case is offered to join it instead. */
  DUPLICATE_RADIUS_M: z.coerce.number().positive().default(100),
  DUPLICATE_WINDOW_SECONDS: duration.default(15 * 60),
  /** Queued cases this close to each other are flagged to the dispatcher (same scene or a pile-up). */
  NEARBY_CASES_M: z.coerce.number().positive().default(300),
  /** Answer-to-release time assumed until a brigade has handled enough cases to measure its own. */
  DEFAULT_HANDLING_SECONDS: duration.default(300),
  /** A waiting driver is offered the other ways of handling once the estimate passes this. */
  WAIT_ALTERNATIVES_SECONDS: duration.default(15 * 60),
  /** A dispatcher counts as on duty while their console has been connected within this long. */
  ON_DUTY_WINDOW_SECONDS: duration.default(90),

  // Eligibility: excluded roads (server/src/eligibility/roads.ts) and the accuracy of the phone's fix.
  /** A point this close (metres) to a line of the excluded-road layer counts as on that road. */
  ROAD_BUFFER_M: z.coerce.number().positive().max(500).default(30),
  /** GPS accuracy worse than this (metres) asks the driver to confirm the spot on a map pin. */
  GPS_ACCURACY_CONFIRM_M: z.coerce.number().positive().default(100),
  /**
   * Replaces the default excluded names (高速, 江门大道, G15-style numbers) the reverse geocoder's street
   * is matched against: comma-separated plain text, each matched as a substring (no regex syntax).
   */
  EXCLUDED_ROAD_NAME_PATTERNS: z
    .string()
    .transform((v) => v.split(/[,，]/).map((name) => name.trim()).filter(Boolean))
    .refine((names) => names.length > 0, 'give at least one road name')
    .transform((names) => names.map((name) => new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))))
    .optional(),

  // Staffing (server/src/rostering): the default target of the recommendation, ops may ask for another.
  /** Share of calls to answer within STAFFING_WITHIN_SECONDS (80 % within 60 s). */
  STAFFING_TARGET: z.coerce.number().gt(0).lt(1).default(0.8),
  STAFFING_WITHIN_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Weeks of cases the observed arrival rates and handling times are averaged over. */
  STAFFING_WEEKS: z.coerce.number().int().min(1).max(52).default(8),
};
